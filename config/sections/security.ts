import { Node, show } from "../reader";
import { matchesLabels } from "../selectors";
import type { MtlsMode, SecurityConfig, ServiceEntryConfig } from "../security";
import type { ServiceConfig, WorkloadConfig } from "../types";

export const INGRESS_GATEWAY_CALLER = "istio-ingressgateway";

/** The methods an AuthorizationPolicy's `operation.methods` matches (HTTP's, as Envoy reads `:method`). */
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"];


/** `istio-mesh:security`: mTLS (STRICT by default), AuthorizationPolicies, rate limits, egress. */
export function parseSecurity(n: Node, ctx: { services: ServiceConfig[]; workloads: WorkloadConfig[]; namespace: string; istioNamespace: string; gatewayRelease: string }): SecurityConfig {
    n.object(["mtls", "authorization", "rateLimits", "egress"]);
    const mtlsN = n.child("mtls");
    const mtls: MtlsMode | undefined = mtlsN.isSet && mtlsN.value !== false ? mtlsN.oneOf<MtlsMode>("STRICT", ["STRICT", "PERMISSIVE", "DISABLE"]) : mtlsN.value === false ? undefined : "STRICT";

    const service = (node: Node, name: string) => {
        const s = ctx.services.find((x) => x.name === name);
        if (!s) node.problems.add(node.path, `${show(name)} is not a service declared under istio-mesh:services (declared: ${ctx.services.map((x) => x.name).join(", ")})`);
        return s;
    };

    const authorization = n.child("authorization").entries({ dnsKeys: true }).map(([name, a]) => {
        a.object(["allowFrom", "methods", "paths"]);
        service(a, name);
        const allowFrom = a.child("allowFrom").list().map((c) => c.string(""));
        if (!a.child("allowFrom").isSet) a.problems.add(`${a.path}.allowFrom`, `is required: the callers allowed (workload names or app labels, or ${INGRESS_GATEWAY_CALLER}); everything else is denied`);
        // Istio's webhook refuses a rule whose source lists nothing ("from.source must not be empty").
        else if (Array.isArray(a.child("allowFrom").value) && allowFrom.length === 0) a.problems.add(`${a.path}.allowFrom`, `is empty, and Istio refuses an AuthorizationPolicy rule with an empty source; name at least one caller (to deny every caller, allow only one that never calls, or remove the service from istio-mesh:security.authorization to allow all)`);
        const principals = new Set<string>();
        a.child("allowFrom").list().forEach((c, i) => {
            const caller = allowFrom[i];
            if (caller === INGRESS_GATEWAY_CALLER) {
                principals.add(`cluster.local/ns/${ctx.istioNamespace}/sa/${ctx.gatewayRelease}`);
                return;
            }
            const ws = ctx.workloads.filter((w) => w.name === caller || w.labels.app === caller);
            if (ws.length === 0) c.problems.add(c.path, `${show(caller)} matches no workload (by name or app label) in istio-mesh:workloads; known: ${ctx.workloads.map((w) => w.name).join(", ")}, ${INGRESS_GATEWAY_CALLER}`);
            for (const w of ws) principals.add(`cluster.local/ns/${ctx.namespace}/sa/${w.serviceAccount}`);
        });
        // L7 rules: what a sidecar (or, on ambient, the service's waypoint) reads in the request.
        const methods = a.child("methods").list().map((m) => {
            const v = m.string("");
            if (v && !HTTP_METHODS.includes(v)) m.problems.add(m.path, `${show(v)} is not an HTTP method Istio matches; expected one of ${HTTP_METHODS.join(", ")} (upper case)`);
            return v;
        });
        const paths = a.child("paths").list().map((p) => {
            const v = p.string("");
            // Istio's string match: exact, or a prefix with one `*` at the end (ValidateAuthorizationPolicy).
            if (v && (!v.startsWith("/") || v.slice(0, -1).includes("*"))) p.problems.add(p.path, `${show(v)} is not a path Istio matches here: write an exact path (/healthz) or a prefix ending in * (/api/*)`);
            return v;
        });
        for (const key of ["methods", "paths"] as const) {
            const c = a.child(key);
            if (Array.isArray(c.value) && c.value.length === 0) a.problems.add(c.path, `is empty; list at least one, or remove ${key} to allow every ${key === "methods" ? "method" : "path"}`);
        }
        return { service: name, allowFrom, principals: [...principals].sort(), ...(methods.length ? { methods } : {}), ...(paths.length ? { paths } : {}) };
    });

    const rateLimits = n.child("rateLimits").entries({ dnsKeys: true }).map(([name, r]) => {
        r.object(["requestsPerSecond"]);
        const s = service(r, name);
        if (!r.child("requestsPerSecond").isSet) r.problems.add(`${r.path}.requestsPerSecond`, `is required, e.g. 200`);
        if (s && !ctx.workloads.some((w) => matchesLabels(s.selector, w.labels))) r.problems.add(r.path, `service ${name} selects no workload, so no sidecar would enforce the limit`);
        return { service: name, requestsPerSecond: r.child("requestsPerSecond").int(1, { min: 1, max: 1_000_000 }) };
    });

    const egress = n.child("egress");
    egress.object(["gateway", "serviceEntries"]);
    const serviceEntries: ServiceEntryConfig[] = egress.child("serviceEntries").entries({ dnsKeys: true }).map(([name, e]) => {
        e.object(["host", "port", "protocol", "timeout"]);
        if (!e.child("host").isSet) e.problems.add(`${e.path}.host`, `is required: the external API's DNS name, e.g. httpbin.org`);
        const host = e.child("host").string("");
        if (host && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(host)) e.problems.add(`${e.path}.host`, `${show(host)} is not a DNS name`);
        const protocol = e.child("protocol").oneOf<ServiceEntryConfig["protocol"]>("HTTP", ["HTTP", "HTTPS", "TLS"]);
        const timeout = e.child("timeout").duration();
        if (timeout && protocol !== "HTTP") e.problems.add(`${e.path}.timeout`, `needs protocol HTTP: with ${protocol} the sidecar only sees encrypted bytes and cannot time out requests`);
        return { name, host, port: e.child("port").port(protocol === "HTTP" ? 80 : 443), protocol, ...(timeout ? { timeout } : {}) };
    });
    return { ...(mtls ? { mtls } : {}), authorization, rateLimits, egress: { gateway: egress.child("gateway").bool(false), serviceEntries } };
}

