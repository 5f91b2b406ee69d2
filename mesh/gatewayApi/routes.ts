/**
 * The course's routing config as HTTPRoutes: a service's split (lesson 09) and its timeouts and retries
 * (14) on a route attached to the Service, for calls inside the mesh; the ingress routes (15–17) on a
 * route attached to the ingress Gateway; an external API's timeout (18) on a route attached to its
 * ServiceEntry. Each builder takes its parents as an argument, so the same route can be attached
 * elsewhere (a waypoint in ambient mode). Routes keep the names of the VirtualServices they replace.
 */
import { versionServiceName } from "../../config/gatewayApi";
import type { HttpPolicyConfig, StickyCanaryConfig } from "../../config/policy";
import type { ServiceEntryConfig } from "../../config/security";
import type { IngressConfig, IngressHttpRoute, IngressRouteConfig, RouteDestination, ServiceConfig } from "../../config/types";
import type { K8sObject } from "../objects";
import { pinRegex, pinResponseHeader } from "../istio/stickyCanary";
import { BackendRef, gatewayParent, hostnameBackend, HttpRouteRule, httpRoute, ParentRef, pathMatch, RouteMatch, rulePolicy, serviceEntryParent, serviceParent, weightedBackends } from "./HTTPRoute";

/** Backends for weights over a service's subsets: the version Services. */
export function versionBackends(s: ServiceConfig, route: RouteDestination[]): BackendRef[] {
    return weightedBackends(route.map((r) => ({ name: versionServiceName(s.name, r.subset), weight: r.weight })), s.port);
}

/** A service's own split (its weights), or the Service itself when it declares none. */
export function splitBackends(s: ServiceConfig): BackendRef[] {
    const route = s.virtualService?.route ?? [];
    return route.length > 0 ? versionBackends(s, route) : [{ name: s.name, port: s.port }];
}

/** The sticky canary's pin as a header match (cookie by regular expression, or the header exactly). */
function pinMatch(sticky: StickyCanaryConfig, subset: string): RouteMatch["headers"] {
    return sticky.header ? [{ type: "Exact", name: sticky.header, value: subset }] : [{ type: "RegularExpression", name: "Cookie", value: pinRegex(sticky.cookie!, subset) }];
}

/**
 * The sticky canary in HTTPRoute terms: a rule per version for requests carrying its pin, then the
 * weighted split whose backends add the pin to their responses (ResponseHeaderModifier on a backendRef,
 * which Istio applies per destination). The pinned rules have one more header match, so the Gateway
 * API's precedence tries them first, as the VirtualService's order does.
 */
function stickyRules(sticky: StickyCanaryConfig, s: ServiceConfig, route: RouteDestination[], policy: Pick<HttpRouteRule, "timeouts" | "retry">, path?: RouteMatch["path"]): HttpRouteRule[] {
    const pinned: HttpRouteRule[] = route.map((r) => ({ matches: [{ ...(path ? { path } : {}), headers: pinMatch(sticky, r.subset) }], backendRefs: [{ name: versionServiceName(s.name, r.subset), port: s.port }], ...policy }));
    const split: HttpRouteRule = {
        ...(path ? { matches: [{ path }] } : {}),
        backendRefs: route.map((r) => {
            const h = pinResponseHeader(sticky, r.subset);
            return { name: versionServiceName(s.name, r.subset), port: s.port, weight: r.weight, filters: [{ type: "ResponseHeaderModifier" as const, responseHeaderModifier: { [h.op]: [{ name: h.name, value: h.value }] } }] };
        }),
        ...policy,
    };
    return [...pinned, split];
}

/**
 * A service's mesh route (course: nginx-vs), attached by default to the Service itself: calls to it from
 * any sidecar follow the split and the route's timeouts and retries.
 */
export function meshHttpRoute(s: ServiceConfig, namespace: string, parentRefs: ParentRef[] = [serviceParent(s.name, s.port)]): K8sObject | undefined {
    const vs = s.virtualService;
    if (!vs) return undefined;
    const policy = rulePolicy(vs.http);
    const rules = vs.stickyCanary && vs.route.length > 1 ? stickyRules(vs.stickyCanary, s, vs.route, policy) : [{ backendRefs: splitBackends(s), ...policy }];
    return httpRoute({ name: vs.name, namespace }, { parentRefs, rules });
}

function ingressRules(r: IngressHttpRoute, vsPolicy: HttpPolicyConfig, byName: Map<string, ServiceConfig>): HttpRouteRule[] {
    const target = byName.get(r.service)!;
    // A route's own retries/timeout replace the VirtualService-wide ones field by field, as in the VirtualService.
    const policy = rulePolicy({ ...vsPolicy, ...r.http });
    const path = r.match ? pathMatch(r.match) : undefined;
    const sticky = target.virtualService?.stickyCanary;
    if (r.subset === undefined && !r.weights && sticky && target.virtualService!.route.length > 1) return stickyRules(sticky, target, target.virtualService!.route, policy, path);
    const backendRefs = r.subset !== undefined ? [{ name: versionServiceName(r.service, r.subset), port: target.port }] : r.weights ? versionBackends(target, r.weights) : splitBackends(target);
    return [{ ...(path ? { matches: [{ path }] } : {}), backendRefs, ...policy }];
}

/**
 * An ingress route (course: the VirtualService bound to ingress-gateway-k3d), attached by default to the
 * ingress Gateway. `*` is no hostname (any host): the Gateway API has no bare `*` hostname. A route that
 * names no version carries the service's split, so `curl localhost:8000` obeys the same weights.
 */
export function ingressHttpRoute(v: IngressRouteConfig, ingress: IngressConfig, byName: Map<string, ServiceConfig>, namespace: string, parentRefs: ParentRef[] = [gatewayParent(ingress.gateway.name)]): K8sObject {
    const routes: IngressHttpRoute[] = v.routes.length > 0 ? v.routes : [{ service: v.service, http: {} }];
    const hostnames = v.hosts.includes("*") ? [] : [...v.hosts];
    return httpRoute({ name: v.name, namespace }, { parentRefs, hostnames, rules: routes.flatMap((r) => ingressRules(r, v.http, byName)) });
}

/** An external API's timeout (lesson 18): a route on its ServiceEntry, to the host the entry declares. */
export function externalTimeoutHttpRoute(e: ServiceEntryConfig, namespace: string): K8sObject | undefined {
    if (!e.timeout) return undefined;
    return httpRoute({ name: `${e.name}-timeout`, namespace }, { parentRefs: [serviceEntryParent(e.name)], rules: [{ backendRefs: [hostnameBackend(e.host, e.port)], ...rulePolicy({ timeout: e.timeout }) }] });
}
