import type { Finding } from "../finding";
import { isMeshBound, Spec } from "../context";
import { Analyzer, finding, ns } from "./analyzer";
import { ambientIndex, hostTarget } from "./ambientIndex";

/**
 * MESH025 (a warning): a mesh VirtualService that a waypoint runs. It works — the waypoint translates
 * VirtualService routes as a sidecar does — but the classic APIs are Alpha on ambient, "may break in
 * future releases", and HTTPRoute is the supported L7 API (istio.io docs/ambient/usage/l7-features,
 * migrate-policies). The ambient data plane routes with the Gateway API unless the stack asks for
 * `trafficApi: istio`; this says what that choice costs.
 */
export const VirtualServiceOnWaypoint: Analyzer = {
    code: "MESH025",
    name: "VirtualServiceOnWaypoint",
    analyze(ctx) {
        const amb = ambientIndex(ctx);
        const out: Finding[] = [];
        for (const vs of ctx.virtualServices) {
            if (!amb.inAmbient(vs) || !isMeshBound(vs)) continue;
            const onWaypoint = ((vs.spec as Spec).hosts ?? []).some((h: string) => {
                const t = hostTarget(ctx, h, ns(vs));
                return t !== undefined && amb.waypointOf(t) !== undefined;
            });
            if (onWaypoint) out.push(finding(this, "warning", vs, "spec", `runs on a waypoint, where VirtualService is an Alpha API (it may break in a future release); HTTPRoute is the supported one`, `route with the Gateway API (remove istio-mesh:trafficApi: istio; ambient defaults to gateway-api)`));
        }
        return out;
    },
};
