import { COURSE_DEFAULTS } from "../defaults";
import { isObject, mergeEntries, overlay } from "../merge";
import { Node, show } from "../reader";
import type { IngressConfig, ServiceConfig } from "../types";

const HOST = /^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;

export function parseHosts(n: Node, fallback: string[]): string[] {
    if (!n.isSet) return fallback;
    const hosts = n.list().map((h) => h.string(""));
    if (n.isSet && Array.isArray(n.value) && hosts.length === 0) n.problems.add(n.path, `needs at least one host, e.g. ["*"]`);
    for (const [i, h] of hosts.entries()) {
        if (h && !HOST.test(h)) n.problems.add(`${n.path}[${i}]`, `${show(h)} is not a host; expected "*", a DNS name, or "*.<domain>"`);
    }
    return hosts;
}

/** `istio-mesh:ingress`: the ingress Gateway and the VirtualServices bound to it. */
export function parseIngress(n0: Node, services: ServiceConfig[]): IngressConfig {
    const d = COURSE_DEFAULTS.ingress;
    const user = n0.value;
    const merged = isObject(user) ? { ...d, ...user, virtualServices: mergeEntries(d.virtualServices, user.virtualServices) } : overlay(d, user);
    const n = new Node(n0.problems, n0.path, merged);
    n.object(["gateway", "port", "hosts", "virtualServices"]);
    const virtualServices = n.child("virtualServices").entries({ dnsKeys: true }).map(([name, v]) => {
        v.object(["hosts", "service"]);
        const service = v.child("service").string("");
        if (!v.child("service").isSet) v.problems.add(`${v.path}.service`, `is required: the Service this route sends traffic to`);
        else if (!services.some((s) => s.name === service)) {
            v.problems.add(`${v.path}.service`, `${show(service)} is not a service declared under istio-mesh:services (declared: ${services.map((s) => s.name).join(", ") || "none"})`);
        }
        return { name, hosts: parseHosts(v.child("hosts"), ["*"]), service };
    });
    return {
        gateway: {
            name: n.child("gateway").dnsLabel(d.gateway),
            selector: { istio: "ingressgateway" },
            port: n.child("port").port(d.port),
            portName: "http",
            protocol: "HTTP2",
            hosts: parseHosts(n.child("hosts"), [...d.hosts]),
        },
        virtualServices,
    };
}
