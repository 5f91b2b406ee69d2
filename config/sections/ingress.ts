import { COURSE_DEFAULTS } from "../defaults";
import { isObject, mergeEntries, overlay } from "../merge";
import { Node, show } from "../reader";
import type { GatewayServer, IngressConfig, IngressHttpRoute, RouteDestination, ServiceConfig, UriMatch } from "../types";
import { HTTP_POLICY_KEYS, parseHttpPolicy } from "./httpPolicy";
import { re2Problem } from "../re2";
import { parseWeights } from "./services";

const HOST = /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;

export function parseHosts(n: Node, fallback: string[]): string[] {
    if (!n.isSet) return fallback;
    const hosts = n.list().map((h) => h.string(""));
    if (Array.isArray(n.value) && hosts.length === 0) n.problems.add(n.path, `needs at least one host, e.g. ["*"]`);
    for (const [i, h] of hosts.entries()) {
        if (h && !HOST.test(h)) n.problems.add(`${n.path}[${i}]`, `${show(h)} is not a host; expected "*", a DNS name, or "*.<domain>"`);
    }
    return hosts;
}

type Services = Map<string, ServiceConfig>;

function knownService(n: Node, name: string, services: Services): ServiceConfig | undefined {
    const s = services.get(name);
    if (!s) n.problems.add(n.path, `${show(name)} is not a service declared under istio-mesh:services (declared: ${[...services.keys()].slice(0, 20).join(", ") || "none"}${services.size > 20 ? ", …" : ""})`);
    return s;
}

function knownSubset(n: Node, subset: string, svc: ServiceConfig | undefined): void {
    const declared = svc?.destinationRule?.subsets.map((x) => x.name) ?? [];
    if (svc && !declared.includes(subset)) n.problems.add(n.path, `subset ${show(subset)} is not declared for ${svc.name} (declared: ${declared.join(", ") || "none"})`);
}

function parseMatch(r: Node): UriMatch | undefined {
    const kinds = (["prefix", "exact", "regex"] as const).filter((k) => r.child(k).isSet);
    if (kinds.length > 1) r.problems.add(r.path, `match on one of prefix, exact or regex, not ${kinds.join(" and ")}`);
    if (kinds.length === 0) return undefined;
    const value = r.child(kinds[0]).string("/");
    if (kinds[0] !== "regex" && !value.startsWith("/")) r.problems.add(`${r.path}.${kinds[0]}`, `${show(value)} must start with "/"`);
    if (kinds[0] === "regex") {
        const problem = re2Problem(value);
        if (problem) r.problems.add(`${r.path}.regex`, problem);
    }
    return { [kinds[0]]: value };
}

function parseRoute(r: Node, defaultService: string, services: Services): IngressHttpRoute {
    r.object(["prefix", "exact", "regex", "service", "subset", "weights", ...HTTP_POLICY_KEYS]);
    const service = r.child("service").string(defaultService);
    const svc = r.child("service").isSet ? knownService(r.child("service"), service, services) : services.get(service);
    const subset = r.child("subset").optionalString();
    if (subset !== undefined) knownSubset(r.child("subset"), subset, svc);
    const weightsN = r.child("weights");
    let weights: RouteDestination[] | undefined;
    if (weightsN.isSet) {
        const declared = svc ? svc.destinationRule?.subsets.map((x) => x.name) ?? [] : undefined;
        weights = parseWeights(weightsN, declared, `istio-mesh:services.${service}.subsets`);
        if (subset !== undefined) r.problems.add(r.path, `set subset or weights, not both`);
    }
    const match = parseMatch(r);
    return { ...(match ? { match } : {}), service, ...(subset !== undefined ? { subset } : {}), ...(weights ? { weights } : {}), http: parseHttpPolicy(r) };
}

/** Istio parses a server's protocol case-insensitively (the course wrote `http2`); rendered upper-case. */
function protocol(n: Node): GatewayServer["protocol"] {
    const v = typeof n.value === "string" ? new Node(n.problems, n.path, n.value.toUpperCase()) : n;
    return v.oneOf<GatewayServer["protocol"]>("HTTP2", ["HTTP", "HTTP2"]);
}

function parseServers(n: Node, port: number, hosts: string[]): GatewayServer[] {
    if (!n.isSet) return [{ port, name: "http", protocol: "HTTP2", hosts }];
    const servers = n.list().map((s) => {
        s.object(["port", "name", "protocol", "hosts"]);
        const p = s.child("port").port(80);
        return {
            port: p,
            name: s.child("name").dnsLabel(`http-${p}`),
            protocol: protocol(s.child("protocol")),
            hosts: parseHosts(s.child("hosts"), ["*"]),
        };
    });
    if (Array.isArray(n.value) && servers.length === 0) n.problems.add(n.path, `needs at least one server, e.g. [{port: 80, protocol: HTTP2, hosts: ["*"]}]`);
    const names = servers.map((s) => s.name);
    names.forEach((name, i) => names.indexOf(name) !== i && n.problems.add(`${n.path}[${i}].name`, `${show(name)} is used by another server; server names must be unique`));
    return servers;
}

/** `istio-mesh:ingress`: the ingress Gateway and the VirtualServices bound to it. */
export function parseIngress(n0: Node, serviceList: ServiceConfig[]): IngressConfig {
    const services: Services = new Map(serviceList.map((s) => [s.name, s]));
    const d = COURSE_DEFAULTS.ingress;
    const user = n0.value;
    const merged = isObject(user) ? { ...d, ...user, virtualServices: mergeEntries(d.virtualServices, user.virtualServices) } : overlay(d, user);
    const n = new Node(n0.problems, n0.path, merged);
    n.object(["gateway", "port", "hosts", "servers", "virtualServices"]);
    if (isObject(user) && user.servers !== undefined && (user.port !== undefined || user.hosts !== undefined)) {
        n.problems.add(`${n.path}.servers`, `replaces port/hosts (a shorthand for a single server); set either servers or port/hosts`);
    }
    const meshVsNames = new Map(serviceList.flatMap((s) => (s.virtualService ? [[s.virtualService.name, s.name] as const] : [])));
    const virtualServices = n.child("virtualServices").entries({ dnsKeys: true }).map(([name, v]) => {
        v.object(["hosts", "service", "routes", ...HTTP_POLICY_KEYS]);
        if (meshVsNames.has(name)) {
            v.problems.add(v.path, `VirtualService ${show(name)} is also the mesh VirtualService of istio-mesh:services.${meshVsNames.get(name)}; one would overwrite the other. Rename one (services.${meshVsNames.get(name)}.virtualService) or drop its weights`);
        }
        const service = v.child("service").string("");
        if (!v.child("service").isSet) v.problems.add(`${v.path}.service`, `is required: the Service this route sends traffic to`);
        else knownService(v.child("service"), service, services);
        const routes = v.child("routes").list().map((r) => parseRoute(r, service, services));
        return { name, hosts: parseHosts(v.child("hosts"), ["*"]), service, routes, http: parseHttpPolicy(v) };
    });
    const port = n.child("port").port(d.port);
    const hosts = parseHosts(n.child("hosts"), [...d.hosts]);
    return {
        gateway: { name: n.child("gateway").dnsLabel(d.gateway), selector: { istio: "ingressgateway" }, servers: parseServers(n.child("servers"), port, hosts) },
        virtualServices,
    };
}
