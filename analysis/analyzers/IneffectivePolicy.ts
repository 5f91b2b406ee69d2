import type { Finding } from "../finding";
import { httpRoutes, isMeshBound, Spec } from "../context";
import type { K8sObject } from "../../mesh/objects";
import { isL7AuthorizationPolicy } from "../../mesh/ambient/waypoints";
import { Analyzer, finding, ns } from "./analyzer";
import { ambientIndex, hostTarget } from "./ambientIndex";

const NO_WAYPOINT_FIX = "give the service a waypoint (istio-mesh:dataplane.waypoints: auto, the default, does it for every service a policy needs one for), or remove the policy";

/**
 * IST0167 (Istio's IneffectivePolicy, "the policy has no impact"), on the ambient data plane: an L7
 * policy on a service whose traffic passes no Envoy that would apply it. Without a waypoint, ztunnel
 * carries the calls straight to the pods and applies mTLS and L4 policy only (istio.io
 * docs/ambient/usage/l7-features): a mesh VirtualService or HTTPRoute on that service, a DestinationRule
 * traffic policy on it, an AuthorizationPolicy attached to it by targetRefs all do nothing (Istio marks
 * them WaypointAccepted/WaypointBound false). Also a PeerAuthentication DISABLE, which ambient ignores
 * (HBONE is always mTLS). A DestinationRule that only the ingress gateway applies is a warning.
 */
export const IneffectivePolicy: Analyzer = {
    code: "IST0167",
    name: "IneffectivePolicy",
    analyze(ctx) {
        const amb = ambientIndex(ctx);
        if (amb.namespaces.size === 0) return [];
        const out: Finding[] = [];
        const hasWaypoint = (host: string, namespace: string) => {
            const t = hostTarget(ctx, host, namespace);
            return t !== undefined && amb.waypointOf(t) !== undefined;
        };
        const label = (host: string) => host.split(".")[0];
        // Hosts some Envoy routes to: backends of routes a waypoint runs, and of the ingress gateway's routes.
        const viaWaypoint = new Set<string>();
        const viaIngress = new Set<string>();
        for (const vs of ctx.virtualServices) {
            const vns = ns(vs);
            const hosts = ((vs.spec as Spec).hosts ?? []) as string[];
            const onWaypoint = isMeshBound(vs) && hosts.some((h) => hasWaypoint(h, vns));
            const atIngress = ((vs.spec as Spec).gateways ?? []).some((g: string) => g !== "mesh");
            for (const { route } of httpRoutes(vs)) {
                for (const d of (route.route ?? []) as Spec[]) {
                    const f = ctx.fqdn(d.destination?.host ?? "", vns);
                    if (onWaypoint) viaWaypoint.add(f);
                    if (atIngress) viaIngress.add(f);
                }
            }
        }
        for (const r of ctx.of("HTTPRoute")) {
            const rns = ns(r);
            const parents = ((r.spec as Spec).parentRefs ?? []) as Spec[];
            const onWaypoint = parents.some((p) => p.kind === "Service" && hasWaypoint(p.name, rns));
            const atIngress = parents.some((p) => (p.kind ?? "Gateway") === "Gateway");
            for (const rule of ((r.spec as Spec).rules ?? []) as Spec[]) {
                for (const b of (rule.backendRefs ?? []) as Spec[]) {
                    const f = ctx.fqdn(b.name, b.namespace ?? rns);
                    if (onWaypoint) viaWaypoint.add(f);
                    if (atIngress) viaIngress.add(f);
                }
            }
        }
        const report = (o: K8sObject, path: string, what: string, severity: "error" | "warning" = "error", fix = NO_WAYPOINT_FIX) =>
            out.push(finding(this, severity, o, path, `the policy has no impact: ${what}`, fix));

        for (const vs of ctx.virtualServices) {
            if (!amb.inAmbient(vs) || !isMeshBound(vs)) continue;
            ((vs.spec as Spec).hosts ?? []).forEach((h: string, i: number) => {
                const t = hostTarget(ctx, h, ns(vs));
                if (t && amb.waypointOf(t) === undefined) report(vs, `spec.hosts[${i}]`, `${t.kind} ${label(h)} has no waypoint, so ztunnel carries its calls straight to the pods and none of this VirtualService's HTTP routes apply`);
            });
        }
        for (const r of ctx.of("HTTPRoute")) {
            if (!amb.inAmbient(r)) continue;
            ((r.spec as Spec).parentRefs ?? []).forEach((p: Spec, i: number) => {
                if (p.kind !== "Service" || (p.group ?? "") !== "") return;
                const t = hostTarget(ctx, p.name, p.namespace ?? ns(r));
                if (t && amb.waypointOf(t) === undefined) report(r, `spec.parentRefs[${i}]`, `Service ${p.name} has no waypoint, so this route attached to it never applies (Istio reports it as a WaypointError)`);
            });
        }
        for (const dr of ctx.of("DestinationRule")) {
            const spec = dr.spec as Spec;
            if (!amb.inAmbient(dr) || !(spec.trafficPolicy || ((spec.subsets ?? []) as Spec[]).some((s) => s.trafficPolicy))) continue;
            const host = spec.host as string;
            const f = ctx.fqdn(host, ns(dr));
            if (hasWaypoint(host, ns(dr)) || viaWaypoint.has(f)) continue;
            if (viaIngress.has(f)) report(dr, "spec.trafficPolicy", `${label(host)} has no waypoint: only the ingress gateway applies this traffic policy, to the calls that enter through it; calls inside the mesh go straight to the pods`, "warning");
            else if (hostTarget(ctx, host, ns(dr))) report(dr, "spec.trafficPolicy", `${label(host)} has no waypoint and no Envoy routes to it, so ztunnel carries its calls straight to the pods and this traffic policy never applies`);
        }
        for (const ap of ctx.of("AuthorizationPolicy")) {
            if (!amb.inAmbient(ap)) continue;
            ((ap.spec as Spec).targetRefs ?? []).forEach((ref: Spec, i: number) => {
                if (ref.kind !== "Service") return;
                const t = hostTarget(ctx, ref.name, ns(ap));
                if (t && amb.waypointOf(t) === undefined) report(ap, `spec.targetRefs[${i}]`, `Service ${ref.name} has no waypoint to enforce it${isL7AuthorizationPolicy(ap.spec as Spec) ? "" : " (an identity-only policy could select the pods instead: ztunnel enforces that)"}`);
            });
        }
        for (const pa of ctx.of("PeerAuthentication")) {
            if (!amb.inAmbient(pa) || (pa.spec as Spec)?.mtls?.mode !== "DISABLE") continue;
            report(pa, "spec.mtls.mode", `DISABLE is ignored on the ambient data plane: traffic between ambient pods is always mTLS (HBONE)`, "error", "use STRICT or PERMISSIVE; to take pods out of mTLS, take them out of ambient (istio.io/dataplane-mode: none)");
        }
        return out;
    },
};
