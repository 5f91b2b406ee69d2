import type { IngressConfig, IngressRouteConfig, ServiceConfig } from "../../config/types";
import { ISTIO_NETWORKING, K8sObject } from "../objects";

/** Weighted route over a service's subsets, or the plain service when it declares no split. */
export function weightedRoute(s: ServiceConfig): Record<string, unknown>[] {
    if (!s.virtualService) return [{ destination: { host: s.name } }];
    return s.virtualService.route.map((r) => ({ destination: { host: s.name, subset: r.subset }, weight: r.weight }));
}

/** The mesh VirtualService (course: `nginx-vs`): applies to calls from sidecars inside the mesh. */
export function meshVirtualService(s: ServiceConfig, namespace: string): K8sObject | undefined {
    if (!s.virtualService) return undefined;
    return {
        apiVersion: ISTIO_NETWORKING,
        kind: "VirtualService",
        metadata: { name: s.virtualService.name, namespace },
        spec: { hosts: [s.name], http: [{ route: weightedRoute(s) }] },
    };
}

/**
 * A VirtualService bound to the ingress Gateway. Gateway traffic does not use the mesh VirtualService,
 * so it carries the service's split itself: `curl localhost:8000` obeys the same weights.
 */
export function ingressVirtualService(route: IngressRouteConfig, ingress: IngressConfig, target: ServiceConfig, namespace: string): K8sObject {
    return {
        apiVersion: ISTIO_NETWORKING,
        kind: "VirtualService",
        metadata: { name: route.name, namespace },
        spec: { hosts: [...route.hosts], gateways: [ingress.gateway.name], http: [{ route: weightedRoute(target) }] },
    };
}
