/**
 * DestinationRule `trafficPolicy` (host-wide or per subset): loadBalancer, connectionPool and
 * outlierDetection, in Istio's field names, with the checks Istio's webhook makes.
 */
import { Node, show } from "../reader";
import type { ConnectionPoolConfig, ConsistentHashConfig, LoadBalancerConfig, OutlierDetectionConfig, SimpleLB, TrafficPolicyConfig } from "../policy";

const SIMPLE: readonly SimpleLB[] = ["ROUND_ROBIN", "RANDOM", "LEAST_REQUEST", "PASSTHROUGH"];
const HASH_KEYS = ["httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName"] as const;

export function isPrime(n: number): boolean {
    if (n < 2 || !Number.isInteger(n)) return false;
    for (let i = 2; i * i <= n; i++) if (n % i === 0) return false;
    return true;
}

const definedOnly = <T extends object>(o: T): T | undefined => {
    const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
    return Object.keys(out).length > 0 ? out : undefined;
};

function parseConsistentHash(n: Node): ConsistentHashConfig | undefined {
    if (!n.isSet || !n.object([...HASH_KEYS, "ringHash", "maglev", "minimumRingSize"])) return undefined;
    const set = HASH_KEYS.filter((k) => n.child(k).isSet);
    if (set.length !== 1) {
        n.problems.add(n.path, `needs exactly one hash key (${HASH_KEYS.join(", ")}); ${set.length === 0 ? "none is set" : `${set.join(" and ")} are all set`}`);
    }
    let httpCookie: ConsistentHashConfig["httpCookie"];
    const cookie = n.child("httpCookie");
    if (cookie.isSet && cookie.object(["name", "path", "ttl"])) {
        if (!cookie.child("name").isSet) n.problems.add(`${cookie.path}.name`, `is required: the cookie to hash on (Istio rejects an httpCookie without a name)`);
        httpCookie = definedOnly({ name: cookie.child("name").string(""), path: cookie.child("path").optionalString(), ttl: cookie.child("ttl").duration() }) as ConsistentHashConfig["httpCookie"];
    }
    if (n.child("minimumRingSize").isSet) {
        n.problems.add(`${n.path}.minimumRingSize`, `is deprecated in Istio; use ringHash: {minimumRingSize: ...}`);
    }
    const ring = n.child("ringHash");
    const maglev = n.child("maglev");
    if (ring.isSet && maglev.isSet) n.problems.add(n.path, `ringHash and maglev are alternatives; set one of them`);
    ring.object(["minimumRingSize"]);
    maglev.object(["tableSize"]);
    const tableSize = maglev.child("tableSize").isSet ? maglev.child("tableSize").int(65537, { min: 1 }) : undefined;
    if (tableSize !== undefined && !isPrime(tableSize)) n.problems.add(`${maglev.path}.tableSize`, `${tableSize} is not prime; Maglev needs a prime table size (e.g. 65537)`);
    return definedOnly({
        httpHeaderName: n.child("httpHeaderName").optionalString(),
        httpCookie,
        useSourceIp: n.child("useSourceIp").isSet ? n.child("useSourceIp").bool(false) : undefined,
        httpQueryParameterName: n.child("httpQueryParameterName").optionalString(),
        ringHash: ring.isSet ? definedOnly({ minimumRingSize: ring.child("minimumRingSize").isSet ? ring.child("minimumRingSize").int(1024, { min: 1 }) : undefined }) ?? {} : undefined,
        maglev: maglev.isSet ? definedOnly({ tableSize }) ?? {} : undefined,
    });
}

function parseLoadBalancer(n: Node): LoadBalancerConfig | undefined {
    if (!n.isSet || !n.object(["simple", "consistentHash"])) return undefined;
    const simpleNode = n.child("simple");
    let simple: SimpleLB | undefined;
    if (simpleNode.isSet) {
        if (simpleNode.value === "LEAST_CONN") {
            // Istio deprecates LEAST_CONN: it has meant LEAST_REQUEST for years. The course used it.
            n.problems.warn(simpleNode.path, `LEAST_CONN is deprecated in Istio; rendered as LEAST_REQUEST (write LEAST_REQUEST to silence this)`);
            simple = "LEAST_REQUEST";
        } else simple = simpleNode.oneOf<SimpleLB>("ROUND_ROBIN", SIMPLE);
    }
    const consistentHash = parseConsistentHash(n.child("consistentHash"));
    if (simpleNode.isSet && n.child("consistentHash").isSet) n.problems.add(n.path, `simple and consistentHash are alternatives; set one of them`);
    return definedOnly({ simple, consistentHash });
}

const count = (n: Node) => (n.isSet ? n.int(0, { min: 0 }) : undefined);
const percent = (n: Node) => (n.isSet ? n.int(0, { min: 0, max: 100 }) : undefined);

function parseOutlierDetection(n: Node): OutlierDetectionConfig | undefined {
    const keys = ["consecutive5xxErrors", "consecutiveGatewayErrors", "interval", "baseEjectionTime", "maxEjectionPercent", "minHealthPercent"];
    if (!n.isSet || !n.object(keys)) return undefined;
    const od = definedOnly({
        consecutive5xxErrors: count(n.child("consecutive5xxErrors")),
        consecutiveGatewayErrors: count(n.child("consecutiveGatewayErrors")),
        interval: n.child("interval").duration(),
        baseEjectionTime: n.child("baseEjectionTime").duration(),
        maxEjectionPercent: percent(n.child("maxEjectionPercent")),
        minHealthPercent: percent(n.child("minHealthPercent")),
    });
    if (od && od.consecutive5xxErrors === undefined && od.consecutiveGatewayErrors === undefined) {
        n.problems.warn(n.path, `neither consecutive5xxErrors nor consecutiveGatewayErrors is set; Istio then ejects after 5 consecutive 5xx errors`);
    }
    return od;
}

function parseConnectionPool(n: Node): ConnectionPoolConfig | undefined {
    if (!n.isSet || !n.object(["tcp", "http"])) return undefined;
    const tcp = n.child("tcp");
    const http = n.child("http");
    tcp.object(["maxConnections", "connectTimeout"]);
    http.object(["http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries", "idleTimeout"]);
    return definedOnly({
        tcp: tcp.isSet ? definedOnly({ maxConnections: count(tcp.child("maxConnections")), connectTimeout: tcp.child("connectTimeout").duration() }) : undefined,
        http: http.isSet
            ? definedOnly({
                  http1MaxPendingRequests: count(http.child("http1MaxPendingRequests")),
                  http2MaxRequests: count(http.child("http2MaxRequests")),
                  maxRequestsPerConnection: count(http.child("maxRequestsPerConnection")),
                  maxRetries: count(http.child("maxRetries")),
                  idleTimeout: http.child("idleTimeout").duration(),
              })
            : undefined,
    });
}

export const TRAFFIC_POLICY_KEYS = ["loadBalancer", "connectionPool", "outlierDetection"];

export function parseTrafficPolicy(n: Node): TrafficPolicyConfig | undefined {
    if (!n.isSet) return undefined;
    if (!n.object(TRAFFIC_POLICY_KEYS)) return undefined;
    const tp = definedOnly({
        loadBalancer: parseLoadBalancer(n.child("loadBalancer")),
        connectionPool: parseConnectionPool(n.child("connectionPool")),
        outlierDetection: parseOutlierDetection(n.child("outlierDetection")),
    });
    if (!tp) n.problems.add(n.path, `${show(n.value)} sets nothing; give loadBalancer, connectionPool or outlierDetection, or remove it`);
    return tp;
}
