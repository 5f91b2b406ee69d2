/**
 * What the ambient analyzers share: which namespaces of the plan are enrolled in ambient, and which of
 * their Services and ServiceEntries send traffic through a waypoint that the plan declares. Read from
 * the objects alone (the Namespace's labels, the Gateway of class istio-waypoint, `istio.io/use-waypoint`),
 * as istioctl analyze would read a cluster.
 */
import type { AnalysisContext, Spec } from "../context";
import type { K8sObject } from "../../mesh/objects";
import { isAmbientNamespace, USE_WAYPOINT_LABEL } from "../../mesh/ambient/labels";
import { WAYPOINT_CLASS } from "../../mesh/ambient/waypoints";
import { ns } from "./analyzer";

export interface AmbientIndex {
    namespaces: Set<string>;
    /** `namespace/name` of the waypoints the plan declares. */
    waypoints: Set<string>;
    inAmbient(o: K8sObject): boolean;
    /** The waypoint a Service or ServiceEntry uses, if it names one the plan declares. */
    waypointOf(o: K8sObject): string | undefined;
}

const cache = new WeakMap<AnalysisContext, AmbientIndex>();

export function ambientIndex(ctx: AnalysisContext): AmbientIndex {
    const known = cache.get(ctx);
    if (known) return known;
    const namespaces = new Set(ctx.of("Namespace").filter((n) => isAmbientNamespace(n.metadata.labels)).map((n) => n.metadata.name));
    const waypoints = new Set(
        ctx
            .of("Gateway")
            .filter((g) => g.apiVersion.startsWith("gateway.networking.k8s.io/") && (g.spec as Spec)?.gatewayClassName === WAYPOINT_CLASS)
            .map((g) => `${ns(g)}/${g.metadata.name}`),
    );
    const index: AmbientIndex = {
        namespaces,
        waypoints,
        inAmbient: (o) => namespaces.has(ns(o)),
        waypointOf(o) {
            const name = o.metadata.labels?.[USE_WAYPOINT_LABEL];
            return name && name !== "none" && waypoints.has(`${ns(o)}/${name}`) ? name : undefined;
        },
    };
    cache.set(ctx, index);
    return index;
}

/** The Service or ServiceEntry a host names in `namespace` (a short name, the FQDN, or a ServiceEntry host). */
export function hostTarget(ctx: AnalysisContext, host: string, namespace: string): K8sObject | undefined {
    const svc = ctx.services.get(ctx.fqdn(host, namespace));
    if (svc) return svc;
    return ctx.of("ServiceEntry").find((e) => ((e.spec as Spec).hosts ?? []).includes(host));
}
