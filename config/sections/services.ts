import { courseServices } from "../defaults";
import { isObject, mergeEntries } from "../merge";
import { Node, show } from "../reader";
import type { StickyCanaryConfig } from "../policy";
import type { RouteDestination, ServiceConfig, SubsetConfig } from "../types";
import { hasHttpPolicy, HTTP_POLICY_KEYS, parseHttpPolicy } from "./httpPolicy";
import { parseTrafficPolicy } from "./trafficPolicy";

export const SERVICE_KEYS = [
    "selector", "port", "targetPort", "portName", "type", "nodePort",
    "destinationRule", "subsets", "trafficPolicy",
    "virtualService", "weights", ...HTTP_POLICY_KEYS, "stickyCanary",
];

/** A subset is `name: {labels}` (shorthand) or `name: {labels: {...}, trafficPolicy: {...}}`. */
function parseSubset(name: string, n: Node): SubsetConfig {
    const long = isObject(n.value) && isObject(n.value.labels);
    if (!long) return { name, labels: n.labels({}) };
    n.object(["labels", "trafficPolicy"]);
    const trafficPolicy = parseTrafficPolicy(n.child("trafficPolicy"));
    return { name, labels: n.child("labels").labels({}), ...(trafficPolicy ? { trafficPolicy } : {}) };
}

function parseStickyCanary(n: Node): StickyCanaryConfig | undefined {
    if (!n.isSet) return undefined;
    if (n.value === true) return { cookie: "istio-mesh-subset", ttl: "1h" };
    if (!n.object(["cookie", "header", "ttl"])) return undefined;
    const cookie = n.child("cookie").optionalString();
    const header = n.child("header").optionalString();
    if ((cookie === undefined) === (header === undefined)) n.problems.add(n.path, `set exactly one of cookie (browsers keep it for you) or header (the client echoes it), or write stickyCanary: true for a cookie`);
    for (const [k, v] of [["cookie", cookie], ["header", header]] as const) {
        if (v !== undefined && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(v)) n.problems.add(`${n.path}.${k}`, `${show(v)} is not a valid ${k} name`);
    }
    return { ...(cookie ? { cookie } : {}), ...(header ? { header: header.toLowerCase() } : {}), ttl: n.child("ttl").duration() ?? "1h" };
}

/**
 * Weights over subsets, as the route is rendered. One problem per mistake: a weight that is not an
 * integer is reported once, not also as "all weights are 0". A lone destination gets all traffic
 * (Istio ignores its weight), so a lone weight of 0 is refused rather than silently made 100.
 */
export function parseWeights(n: Node, declared: string[] | undefined, declaredAt: string): RouteDestination[] {
    let bad = false;
    const route = n.entries().map(([subset, w]) => {
        if (declared && !declared.includes(subset)) {
            n.problems.add(w.path, `subset ${show(subset)} is not declared under ${declaredAt} (declared: ${declared.join(", ") || "none"})`);
        }
        const before = n.problems.list.length;
        const weight = w.int(0, { min: 0 });
        if (n.problems.list.length > before) bad = true;
        return { subset, weight };
    });
    if (bad) return route;
    if (route.length > 1 && route.every((r) => r.weight === 0)) {
        n.problems.add(n.path, `all weights are 0, so no request could be routed; give at least one subset a weight > 0`);
    } else if (route.length === 1 && route[0].weight === 0) {
        n.problems.add(`${n.path}.${route[0].subset}`, `is 0, but a single destination receives all requests (Istio ignores its weight); give it 100, or add the subsets that share the traffic`);
    }
    return route;
}

/**
 * `destinationRule: <name>` or `{name, host}`; host must name this service. Istio takes a host with a
 * dot literally (only a bare name gets the namespace and cluster domain), so `<svc>.<ns>` and
 * `<svc>.<ns>.svc` would match no service: they are written as the FQDN, which is what they mean.
 */
function parseDrName(n: Node, service: string, namespace: string): { name: string; host: string } {
    if (!isObject(n.value)) return { name: n.dnsLabel(`${service}-dr`), host: service };
    n.object(["name", "host"]);
    const fqdn = `${service}.${namespace}.svc.cluster.local`;
    const hostN = n.child("host");
    const written = hostN.string(service);
    const allowed = [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, fqdn];
    let host = written;
    if (typeof hostN.value === "string" && !allowed.includes(written)) n.problems.add(`${n.path}.host`, `${show(written)} does not name this service; use ${service} or ${fqdn} (Istio takes a host with a dot literally)`);
    else if (written !== service) host = fqdn;
    return { name: n.child("name").dnsLabel(`${service}-dr`), host };
}

/** `istio-mesh:services`: Kubernetes Services and the Istio traffic policy of each, merged over the course's nginx-service. */
export function parseServices(n0: Node, namespace: string): ServiceConfig[] {
    const n = new Node(n0.problems, n0.path, mergeEntries(courseServices(namespace), n0.value));
    return n.entries({ dnsKeys: true }).map(([name, s]) => {
        s.object(SERVICE_KEYS);
        const subsets = s.child("subsets").entries({ dnsKeys: true }).map(([sub, v]) => parseSubset(sub, v));
        for (const sub of subsets) {
            if (Object.keys(sub.labels).length === 0) s.problems.add(`${s.path}.subsets.${sub.name}`, `a subset needs at least one pod label, e.g. {version: A}`);
        }
        const weightsNode = s.child("weights");
        const route = parseWeights(weightsNode, subsets.map((x) => x.name), `${s.path}.subsets`);
        if (route.length > 0 && subsets.length === 0) s.problems.add(weightsNode.path, `weights need subsets; declare them under ${s.path}.subsets`);
        const trafficPolicy = parseTrafficPolicy(s.child("trafficPolicy"));
        const http = parseHttpPolicy(s);
        const stickyCanary = parseStickyCanary(s.child("stickyCanary"));
        if (stickyCanary && route.length < 2) s.problems.add(`${s.path}.stickyCanary`, `pins users to one of several weighted subsets; declare weights over two or more subsets`);
        const dr = parseDrName(s.child("destinationRule"), name, namespace);
        const vsName = s.child("virtualService").dnsLabel(`${name}-vs`);
        const port = s.child("port").port(80);
        const type = s.child("type").oneOf<ServiceConfig["type"]>("ClusterIP", ["ClusterIP", "NodePort", "LoadBalancer"]);
        const nodePort = s.child("nodePort").isSet ? s.child("nodePort").int(30000, { min: 30000, max: 32767 }) : undefined;
        if (nodePort !== undefined && type === "ClusterIP") s.problems.add(`${s.path}.nodePort`, `only applies to type NodePort or LoadBalancer`);
        const wantsVs = route.length > 0 || hasHttpPolicy(http);
        return {
            name,
            selector: s.child("selector").labels({ app: name }),
            port,
            targetPort: s.child("targetPort").port(port),
            portName: s.child("portName").dnsLabel("http"),
            type,
            ...(nodePort !== undefined ? { nodePort } : {}),
            destinationRule: subsets.length > 0 || trafficPolicy ? { ...dr, subsets, ...(trafficPolicy ? { trafficPolicy } : {}) } : undefined,
            virtualService: wantsVs ? { name: vsName, route, http, ...(stickyCanary ? { stickyCanary } : {}) } : undefined,
        };
    });
}
