import type { HttpPolicyConfig } from "../../config/policy";
import type { IngressConfig, IngressHttpRoute, IngressRouteConfig, RouteDestination, ServiceConfig } from "../../config/types";
import { ISTIO_NETWORKING, K8sObject } from "../objects";
import { stickyRoutes } from "./stickyCanary";
import { httpPolicyFields } from "./trafficPolicy";

/** Destinations for weights over subsets; a lone destination carries no weight (Istio implies 100). */
export function destinations(host: string, route: RouteDestination[]): Record<string, unknown>[] {
    if (route.length === 1) return [{ destination: { host, subset: route[0].subset } }];
    return route.map((r) => ({ destination: { host, subset: r.subset }, weight: r.weight }));
}

/** A service's own split (its mesh weights), or the plain host when it declares none. */
export function weightedRoute(s: ServiceConfig): Record<string, unknown>[] {
    const route = s.virtualService?.route ?? [];
    return route.length > 0 ? destinations(s.name, route) : [{ destination: { host: s.name } }];
}

/** The mesh VirtualService (course: `nginx-vs`): applies to calls from sidecars inside the mesh. */
export function meshVirtualService(s: ServiceConfig, namespace: string): K8sObject | undefined {
    const vs = s.virtualService;
    if (!vs) return undefined;
    const policy = httpPolicyFields(vs.http);
    const http = vs.stickyCanary ? stickyRoutes(vs.stickyCanary, s.name, vs.route, policy) : [{ ...policy, route: weightedRoute(s) }];
    return { apiVersion: ISTIO_NETWORKING, kind: "VirtualService", metadata: { name: vs.name, namespace }, spec: { hosts: [s.name], http } };
}

function uriMatch(r: IngressHttpRoute): Record<string, unknown> {
    return r.match ? { match: [{ uri: { ...r.match } }] } : {};
}

function ingressRoutes(r: IngressHttpRoute, vsPolicy: HttpPolicyConfig, byName: Map<string, ServiceConfig>): Record<string, unknown>[] {
    const target = byName.get(r.service)!;
    // A route's own fault/retries/timeout replace the VirtualService-wide ones field by field.
    const policy = httpPolicyFields({ ...vsPolicy, ...r.http });
    const sticky = target.virtualService?.stickyCanary;
    if (r.subset === undefined && !r.weights && sticky) {
        // The service's sticky canary holds at the gateway too: pin routes first, each also matching the URI.
        return stickyRoutes(sticky, r.service, target.virtualService!.route, policy).map((h) =>
            r.match ? { ...h, match: ((h.match as Record<string, unknown>[] | undefined) ?? [{}]).map((m) => ({ uri: { ...r.match }, ...m })) } : h,
        );
    }
    const dest = r.subset !== undefined ? [{ destination: { host: r.service, subset: r.subset } }] : r.weights ? destinations(r.service, r.weights) : weightedRoute(target);
    return [{ ...uriMatch(r), ...policy, route: dest }];
}

/**
 * A VirtualService bound to the ingress Gateway. Gateway traffic does not use the mesh VirtualService,
 * so a route that names no subset carries the service's split itself: `curl localhost:8000` obeys
 * the same weights as calls inside the mesh.
 */
export function ingressVirtualService(v: IngressRouteConfig, ingress: IngressConfig, byName: Map<string, ServiceConfig>, namespace: string): K8sObject {
    const routes: IngressHttpRoute[] = v.routes.length > 0 ? v.routes : [{ service: v.service, http: {} }];
    return {
        apiVersion: ISTIO_NETWORKING,
        kind: "VirtualService",
        metadata: { name: v.name, namespace },
        spec: { hosts: [...v.hosts], gateways: [ingress.gateway.name], http: routes.flatMap((r) => ingressRoutes(r, v.http, byName)) },
    };
}
