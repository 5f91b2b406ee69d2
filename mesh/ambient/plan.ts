/**
 * The plan's objects on the ambient data plane: the same workloads and policies as on sidecar, then
 * the waypoint where a policy needs L7 (waypoints.ts), the `istio.io/use-waypoint` label on the
 * Services and ServiceEntries that use it, each AuthorizationPolicy attached where it is enforced, and
 * a pod-template annotation that makes switching a stack's data plane restart its pods (a pod keeps
 * the sidecar it was created with: with a sidecar it is not ambient). Pure.
 */
import type { MeshConfig } from "../../config/types";
import type { K8sObject } from "../objects";
import { AmbientPlatform, ambientPlatform } from "./platform";
import { authorizationPolicy } from "../security/AuthorizationPolicy";
import { useWaypoint, waypointGateway, waypointNeeds, WaypointUse } from "./waypoints";

export interface AmbientPlan {
    platform: AmbientPlatform;
    /** The waypoint Gateway, when some service needs one (and istio-mesh:dataplane.waypoints is auto). */
    waypoints: K8sObject[];
    /** The Services and ServiceEntries that need a waypoint, and the policies that make them need it. */
    uses: WaypointUse[];
    /** Whether those services got one (false with waypoints: none: their L7 policies do nothing, the gate says so). */
    deployed: boolean;
}

/** Pod-template annotation naming the data plane the pods were created for. */
export const DATAPLANE_ANNOTATION = "istio-mesh/dataplane";

type Spec = Record<string, any>;

interface PlanParts {
    workloads: K8sObject[];
    trafficPolicies: { security: K8sObject[]; serviceEntries: K8sObject[] } & Record<string, K8sObject[]>;
}

function restartOnSwitch(d: K8sObject): K8sObject {
    const spec = d.spec as Spec;
    const template = spec.template as Spec;
    return { ...d, spec: { ...spec, template: { ...template, metadata: { ...template.metadata, annotations: { ...(template.metadata?.annotations ?? {}), [DATAPLANE_ANNOTATION]: "ambient" } } } } };
}

export function ambientPlan<P extends PlanParts>(cfg: MeshConfig, plan: P): P & { ambient: AmbientPlan } {
    const ns = cfg.namespace.name;
    const policies = Object.values(plan.trafficPolicies).flat();
    const uses = waypointNeeds([...plan.workloads, ...policies], ns);
    const deployed = cfg.dataplane.waypoints === "auto" && uses.length > 0;
    const using = new Map(deployed ? uses.map((u) => [`${u.kind}/${u.name}`, u]) : []);
    const labelled = (o: K8sObject) => {
        const u = using.get(`${o.kind}/${o.metadata.name}`);
        return u && (o.metadata.namespace ?? ns) === ns ? useWaypoint(o, u) : o;
    };
    // A service with a waypoint has its AuthorizationPolicy enforced there (the builder attaches it by targetRefs).
    const rebuilt = new Map(
        cfg.security.authorization
            .filter((a) => using.has(`Service/${a.service}`))
            .map((a) => {
                const ap = authorizationPolicy(a, cfg.services.find((s) => s.name === a.service)!, ns, "waypoint");
                return [ap.metadata.name, ap] as const;
            }),
    );
    const security = plan.trafficPolicies.security.map((p) => (p.kind === "AuthorizationPolicy" && rebuilt.has(p.metadata.name) ? rebuilt.get(p.metadata.name)! : p));
    return {
        ...plan,
        workloads: plan.workloads.map((o) => (o.kind === "Deployment" ? restartOnSwitch(o) : labelled(o))),
        trafficPolicies: { ...plan.trafficPolicies, serviceEntries: plan.trafficPolicies.serviceEntries.map(labelled), security },
        ambient: { platform: ambientPlatform(cfg.cluster, cfg.dataplane)!, waypoints: deployed ? [waypointGateway(ns, uses)] : [], uses, deployed },
    };
}
