/**
 * `istio-mesh:trafficApi`: `istio` (default) or `gateway-api`; and, with `gateway-api`, what of the
 * stack's config has no Gateway API form. Such config is refused with the lesson it belongs to, why the
 * Gateway API cannot say it, and what to do instead; it is never rendered half-translated.
 */
import type { HttpPolicyConfig } from "../policy";
import { codeRanges, compareRules, gatewayApiDuration, LESSON, mayOverlap, retryCodes, versionServiceName } from "../gatewayApi";
import { durationMs } from "../duration";
import { Node, Problems, show } from "../reader";
import type { AddonsConfig, IngressConfig, ServiceConfig, TrafficApi } from "../types";
import { TRAFFIC_APIS } from "../types";
import type { SecurityConfig } from "../security";

const NS = "istio-mesh";
const KEEP_ISTIO = `keep this stack on ${NS}:trafficApi: istio (the default)`;

export function parseTrafficApi(n: Node): TrafficApi {
    return n.oneOf<TrafficApi>("istio", TRAFFIC_APIS);
}

interface GatewayApiInput {
    services: ServiceConfig[];
    ingress: IngressConfig;
    security: SecurityConfig;
    addons: AddonsConfig;
}

/** Where an http policy field was set: a route's own key, else its VirtualService's (routes inherit field by field). */
type PolicyAt = { policy: HttpPolicyConfig; at: (field: keyof HttpPolicyConfig) => string };

function policies(input: GatewayApiInput): PolicyAt[] {
    const out: PolicyAt[] = [];
    for (const s of input.services) {
        if (s.virtualService) out.push({ policy: s.virtualService.http, at: (f) => `${NS}:services.${s.name}.${f}` });
    }
    for (const v of input.ingress.virtualServices) {
        const base = `${NS}:ingress.virtualServices.${v.name}`;
        if (v.routes.length === 0) out.push({ policy: v.http, at: (f) => `${base}.${f}` });
        v.routes.forEach((r, i) => out.push({ policy: { ...v.http, ...r.http }, at: (f) => (r.http[f] !== undefined ? `${base}.routes[${i}].${f}` : `${base}.${f}`) }));
    }
    return out;
}

/**
 * The rules a stack on `gateway-api` must also satisfy. Errors for what has no Gateway API form (each
 * naming the lesson, the reason and the alternative); warnings where the translation is exact in shape
 * but matches a little differently, so the learner is told, not surprised.
 */
export function checkGatewayApi(input: GatewayApiInput, problems: Problems): void {
    const seen = new Set<string>();
    const once = (path: string, add: () => void) => {
        if (seen.has(path)) return;
        seen.add(path);
        add();
    };

    for (const { policy, at } of policies(input)) {
        if (policy.fault) {
            once(at("fault"), () =>
                problems.add(
                    at("fault"),
                    `${LESSON.fault} has no Gateway API equivalent: HTTPRoute has no fault filter (no GEP proposes one; kubernetes-sigs/gateway-api#3575 was closed), ` +
                        `and a VirtualService beside an HTTPRoute for the same host is undefined behaviour in Istio. Remove ${at("fault")}, or ${KEEP_ISTIO}, where a VirtualService injects the fault`,
                ),
            );
        }
        const r = policy.retries;
        if (r) {
            const t = retryCodes(r.retryOn);
            if (t.lost.length) {
                once(at("retries") + ".retryOn", () =>
                    problems.add(
                        `${at("retries")}.retryOn`,
                        `${t.lost.map((c) => show(c)).join(", ")} ${t.lost.length === 1 ? "has" : "have"} no Gateway API form (${LESSON.retries}): an HTTPRoute retry lists response codes (400–599), and Istio always adds connect-failure, refused-stream, unavailable and cancelled. ` +
                            `Write the status codes to retry instead (e.g. retryOn: 5xx,connect-failure or 502,503,504), or ${KEEP_ISTIO}`,
                    ),
                );
            }
            for (const [cond, lost] of Object.entries(t.partly)) {
                once(`${at("retries")}.retryOn#${cond}`, () => problems.warn(`${at("retries")}.retryOn`, `${show(cond)} is only partly expressible in the Gateway API: ${lost} (the route retries ${codeRanges(t.codes) || "no status code"} and connection errors)`));
            }
            if (r.perTryTimeout && policy.timeout && durationMs(r.perTryTimeout) > durationMs(policy.timeout)) {
                once(`${at("retries")}.perTryTimeout`, () =>
                    problems.add(
                        `${at("retries")}.perTryTimeout`,
                        `${show(r.perTryTimeout)} is longer than the route's timeout ${show(policy.timeout)}: the Gateway API writes them as timeouts.backendRequest and timeouts.request, and its CRD refuses a backendRequest longer than the request (${LESSON.retries}). ` +
                            `Shorten perTryTimeout to at most the timeout (a longer try is cut by the timeout anyway)`,
                    ),
                );
            }
        }
        for (const [field, d] of [["timeout", policy.timeout], ["retries", r?.perTryTimeout]] as const) {
            if (d && gatewayApiDuration(d) === undefined) once(`${at(field)}#duration`, () => problems.add(field === "timeout" ? at("timeout") : `${at("retries")}.perTryTimeout`, `${show(d)} is longer than the Gateway API's durations can say (at most 99999h)`));
        }
    }

    // One Service per version: its name must be free and a valid Service name.
    const names = new Set(input.services.map((s) => s.name));
    for (const s of input.services) {
        for (const sub of s.destinationRule?.subsets ?? []) {
            const name = versionServiceName(s.name, sub.name);
            const path = `${NS}:services.${s.name}.subsets.${sub.name}`;
            if (name.length > 63) problems.add(path, `the Gateway API routes to one Service per version, here ${show(name)}, which is longer than the 63 characters a Service name may have; shorten the service or subset name`);
            else if (names.has(name)) problems.add(path, `the Gateway API routes to one Service per version, named ${show(name)}, but istio-mesh:services.${name} is already declared; rename the subset or that service`);
        }
    }

    // HTTPRoute ranks its rules by match; a VirtualService tries them in the order written.
    for (const v of input.ingress.virtualServices) {
        const base = `${NS}:ingress.virtualServices.${v.name}`;
        v.routes.forEach((later, j) => {
            for (let i = 0; i < j; i++) {
                const earlier = v.routes[i];
                if (compareRules(later, earlier) < 0 && mayOverlap(earlier.match, later.match)) {
                    problems.add(
                        `${base}.routes[${j}]`,
                        `comes after routes[${i}] (${matchText(earlier.match)}), which the VirtualService tries first; an HTTPRoute instead ranks matches (Exact, then the longest PathPrefix, then RegularExpression, then no match) and would try ${matchText(later.match)} first, so the two APIs would answer differently (${LESSON.ingress}). ` +
                            `Put routes[${j}] before routes[${i}] (the order both APIs agree on), or ${KEEP_ISTIO}`,
                    );
                    break;
                }
            }
            const prefix = later.match?.prefix;
            if (prefix !== undefined && prefix !== "/") {
                problems.warn(`${base}.routes[${j}].prefix`, `${show(prefix)} as an HTTPRoute PathPrefix matches whole path segments (${prefix.replace(/\/$/, "")} and ${prefix.replace(/\/$/, "")}/…), where the VirtualService prefix also matched ${prefix.replace(/\/$/, "")}x… (Envoy path_separated_prefix; Istio route.go)`);
            }
        });
    }

    if (input.security.egress.gateway) {
        problems.add(
            `${NS}:security.egress.gateway`,
            `${LESSON.egress} is not translated to the Gateway API by this program: egress through a gateway takes an istio-class Gateway, an HTTPRoute with a ServiceEntry parent and one with the egress Gateway parent, which the lab has no lesson for. ` +
                `Set it to false (each ServiceEntry's timeout is then an HTTPRoute on the ServiceEntry), or ${KEEP_ISTIO}`,
        );
    }

    // The exposed dashboards stay VirtualServices on their own Gateway: a host an HTTPRoute also serves mixes the APIs.
    if (input.addons.expose.enabled) {
        const routeHosts = new Map<string, string>();
        for (const v of input.ingress.virtualServices) for (const h of v.hosts) if (!h.includes("*")) routeHosts.set(h, v.name);
        for (const [addon, host] of Object.entries(input.addons.expose.hosts)) {
            const route = routeHosts.get(host);
            if (!route) continue;
            problems.add(
                `${NS}:addons.expose.hosts.${addon}`,
                `${show(host)} is also a host of the HTTPRoute ${route} (${NS}:ingress.virtualServices.${route}.hosts), while the dashboards are exposed by a VirtualService: Istio leaves a VirtualService and an HTTPRoute on one host undefined. Give the dashboard another host`,
            );
        }
    }
}

function matchText(m: { prefix?: string; exact?: string; regex?: string } | undefined): string {
    if (!m) return "no match: every path";
    if (m.exact !== undefined) return `exact ${m.exact}`;
    if (m.prefix !== undefined) return `prefix ${m.prefix}`;
    return `regex ${m.regex}`;
}
