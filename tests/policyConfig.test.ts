import { expect } from "chai";
import { config, expectProblem } from "./helpers/config";

const svc = (fields: Record<string, unknown>) => ({ services: { "nginx-service": fields } });
const P = "istio-mesh:services.nginx-service";

describe("policy config: every bad value is named by its config path, before anything is deployed", () => {
    const bad: [string, Record<string, unknown>, string, RegExp][] = [
        ["fault delay percentage above 100", svc({ fault: { delay: { fixedDelay: "10s", percentage: 150 } } }), `${P}.fault.delay.percentage`, /150 .* from 0 to 100/],
        ["fault percentage in Istio's {value} form, negative", svc({ fault: { abort: { httpStatus: 500, percentage: { value: -1 } } } }), `${P}.fault.abort.percentage.value`, /from 0 to 100/],
        ["fault delay without fixedDelay", svc({ fault: { delay: { percentage: 100 } } }), `${P}.fault.delay.fixedDelay`, /is required/],
        ["fault abort status outside 200–600", svc({ fault: { abort: { httpStatus: 700, percentage: 10 } } }), `${P}.fault.abort.httpStatus`, /from 200 to 600/],
        ["fault with neither delay nor abort", svc({ fault: {} }), `${P}.fault`, /needs delay and\/or abort/],
        ["fault percentage missing", svc({ fault: { abort: { httpStatus: 500 } } }), `${P}.fault.abort.percentage`, /is required/],
        ["duration written in words", svc({ fault: { delay: { fixedDelay: "10 seconds", percentage: 100 } } }), `${P}.fault.delay.fixedDelay`, /not a duration/],
        ["duration under 1ms", svc({ timeout: "0.5ms" }), `${P}.timeout`, /shorter than 1ms/],
        ["duration not in whole ms", svc({ timeout: "1500us" }), `${P}.timeout`, /whole number of milliseconds/],
        ["negative retry attempts", svc({ retries: { attempts: -1 } }), `${P}.retries.attempts`, /integer >= 0/],
        ["retries attempts 0 with perTryTimeout", svc({ retries: { attempts: 0, perTryTimeout: "2s" } }), `${P}.retries.attempts`, /is 0 .* Istio rejects/],
        ["retries without attempts", svc({ retries: { perTryTimeout: "2s" } }), `${P}.retries.attempts`, /is required/],
        ["unknown retryOn condition", svc({ retries: { attempts: 3, retryOn: "5xx,timeout" } }), `${P}.retries.retryOn`, /"timeout" is not a retry condition/],
        ["maxEjectionPercent above 100", svc({ trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, maxEjectionPercent: 120 } } }), `${P}.trafficPolicy.outlierDetection.maxEjectionPercent`, /from 0 to 100/],
        ["minHealthPercent negative", svc({ trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, minHealthPercent: -1 } } }), `${P}.trafficPolicy.outlierDetection.minHealthPercent`, /from 0 to 100/],
        ["negative consecutiveGatewayErrors", svc({ trafficPolicy: { outlierDetection: { consecutiveGatewayErrors: -5 } } }), `${P}.trafficPolicy.outlierDetection.consecutiveGatewayErrors`, /integer >= 0/],
        ["typo in outlierDetection", svc({ trafficPolicy: { outlierDetection: { consecutiveGatewayError: 5 } } }), `${P}.trafficPolicy.outlierDetection.consecutiveGatewayError`, /did you mean "consecutiveGatewayErrors"/],
        ["negative connectionPool limit", svc({ trafficPolicy: { connectionPool: { tcp: { maxConnections: -1 } } } }), `${P}.trafficPolicy.connectionPool.tcp.maxConnections`, /integer >= 0/],
        ["unknown load balancer", svc({ trafficPolicy: { loadBalancer: { simple: "FASTEST" } } }), `${P}.trafficPolicy.loadBalancer.simple`, /one of ROUND_ROBIN, RANDOM, LEAST_REQUEST, PASSTHROUGH/],
        ["simple and consistentHash together", svc({ trafficPolicy: { loadBalancer: { simple: "RANDOM", consistentHash: { useSourceIp: true } } } }), `${P}.trafficPolicy.loadBalancer`, /alternatives/],
        ["httpCookie without name", svc({ trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { ttl: "60s" } } } } }), `${P}.trafficPolicy.loadBalancer.consistentHash.httpCookie.name`, /is required/],
        ["two hash keys", svc({ trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: "x-user", useSourceIp: true } } } }), `${P}.trafficPolicy.loadBalancer.consistentHash`, /exactly one hash key/],
        ["maglev table size not prime", svc({ trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: "x", maglev: { tableSize: 1000 } } } } }), `${P}.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize`, /not prime/],
        ["ringHash and maglev together", svc({ trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: "x", ringHash: {}, maglev: {} } } } }), `${P}.trafficPolicy.loadBalancer.consistentHash`, /ringHash and maglev are alternatives/],
        ["empty trafficPolicy", svc({ trafficPolicy: {} }), `${P}.trafficPolicy`, /sets nothing/],
        ["per-subset policy typo", svc({ subsets: { v1: { labels: { version: "A" }, trafficPolicy: { loadBalncer: {} } }, v2: { version: "B" } } }), `${P}.subsets.v1.trafficPolicy.loadBalncer`, /did you mean "loadBalancer"/],
        ["sticky canary with cookie and header", svc({ stickyCanary: { cookie: "a", header: "b" } }), `${P}.stickyCanary`, /exactly one of cookie .* or header/],
        ["sticky canary with a single subset", svc({ subsets: { all: { app: "nginx" } }, weights: { all: 1 }, stickyCanary: true }), `${P}.stickyCanary`, /two or more subsets/],
        ["DestinationRule host naming another service", svc({ destinationRule: { name: "nginx-dr", host: "other.default.svc.cluster.local" } }), `${P}.destinationRule.host`, /does not name this service/],
        ["nodePort on a ClusterIP service", svc({ nodePort: 30080 }), `${P}.nodePort`, /only applies to type NodePort or LoadBalancer/],
        ["unknown Service type", svc({ type: "ExternalName" }), `${P}.type`, /one of ClusterIP, NodePort, LoadBalancer/],
        ["ingress route to an undeclared subset", { ingress: { virtualServices: { "nginx-ingress": { routes: [{ prefix: "/b", subset: "v3" }] } } } }, "istio-mesh:ingress.virtualServices.nginx-ingress.routes[0].subset", /subset "v3" is not declared for nginx-service/],
        ["ingress prefix without a leading slash", { ingress: { virtualServices: { "nginx-ingress": { routes: [{ prefix: "b" }] } } } }, "istio-mesh:ingress.virtualServices.nginx-ingress.routes[0].prefix", /must start with "\/"/],
        ["ingress route matching prefix and exact", { ingress: { virtualServices: { "nginx-ingress": { routes: [{ prefix: "/", exact: "/a" }] } } } }, "istio-mesh:ingress.virtualServices.nginx-ingress.routes[0]", /one of prefix, exact or regex/],
        ["ingress route with subset and weights", { ingress: { virtualServices: { "nginx-ingress": { routes: [{ subset: "v1", weights: { v1: 1, v2: 1 } }] } } } }, "istio-mesh:ingress.virtualServices.nginx-ingress.routes[0]", /subset or weights, not both/],
        ["ingress VirtualService with the mesh one's name", { ingress: { virtualServices: { "nginx-vs": { service: "nginx-service" } } } }, "istio-mesh:ingress.virtualServices.nginx-vs", /also the mesh VirtualService .* one would overwrite the other/],
        ["servers and the port/hosts shorthand together", { ingress: { port: 80, servers: [{ port: 80, hosts: ["*"] }] } }, "istio-mesh:ingress.servers", /set either servers or port\/hosts/],
        ["duplicate server names", { ingress: { servers: [{ port: 80, name: "http" }, { port: 8080, name: "http" }] } }, "istio-mesh:ingress.servers[1].name", /unique/],
        ["unknown mTLS mode", { security: { mtls: "ON" } }, "istio-mesh:security.mtls", /one of STRICT, PERMISSIVE, DISABLE/],
        ["authorization for an undeclared service", { security: { authorization: { web: { allowFrom: ["nginx"] } } } }, "istio-mesh:security.authorization.web", /not a service declared/],
        ["authorization from an unknown caller", { security: { authorization: { "nginx-service": { allowFrom: ["fortoi"] } } } }, "istio-mesh:security.authorization.nginx-service.allowFrom[0]", /"fortoi" matches no workload/],
        ["authorization without allowFrom", { security: { authorization: { "nginx-service": {} } } }, "istio-mesh:security.authorization.nginx-service.allowFrom", /is required/],
        ["rate limit of 0 requests per second", { security: { rateLimits: { "nginx-service": { requestsPerSecond: 0 } } } }, "istio-mesh:security.rateLimits.nginx-service.requestsPerSecond", /from 1 to 1000000/],
        ["ServiceEntry timeout over TLS", { security: { egress: { serviceEntries: { api: { host: "api.example.com", protocol: "TLS", timeout: "3s" } } } } }, "istio-mesh:security.egress.serviceEntries.api.timeout", /needs protocol HTTP/],
        ["ServiceEntry host that is not a DNS name", { security: { egress: { serviceEntries: { api: { host: "https://api.example.com" } } } } }, "istio-mesh:security.egress.serviceEntries.api.host", /not a DNS name/],
    ];

    for (const [title, raw, path, message] of bad) {
        it(`rejects ${title} (${path})`, () => {
            expectProblem(raw, path, message);
        });
    }

    it("has at least 40 distinct bad inputs here alone", () => {
        expect(new Set(bad.map(([, raw]) => JSON.stringify(raw))).size).to.be.at.least(40);
    });

    it("accepts every policy field at once, in Istio's own names", () => {
        const c = config(
            svc({
                trafficPolicy: {
                    loadBalancer: { simple: "LEAST_REQUEST" },
                    connectionPool: { tcp: { maxConnections: 100, connectTimeout: "1s" }, http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 1, idleTimeout: "30s" } },
                    outlierDetection: { consecutive5xxErrors: 5, consecutiveGatewayErrors: 3, interval: "20s", baseEjectionTime: "30s", maxEjectionPercent: 100, minHealthPercent: 0 },
                },
                fault: { delay: { fixedDelay: "1s", percentage: 10 } },
                retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx,503" },
                timeout: "10s",
            }),
        );
        const s = c.services.find((x) => x.name === "nginx-service")!;
        expect(s.destinationRule!.trafficPolicy!.connectionPool).to.deep.equal({ tcp: { maxConnections: 100, connectTimeout: "1s" }, http: { http1MaxPendingRequests: 10, maxRequestsPerConnection: 1, idleTimeout: "30s" } });
        expect(s.virtualService!.http).to.deep.equal({ fault: { delay: { fixedDelay: "1s", percentage: 10 } }, retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx,503" }, timeout: "10s" });
    });
});
