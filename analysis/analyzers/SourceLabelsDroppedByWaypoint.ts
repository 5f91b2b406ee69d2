import type { Finding } from "../finding";
import { httpRoutes, isMeshBound, Spec } from "../context";
import { feature } from "../../mesh/ambient/features";
import { Analyzer, finding } from "./analyzer";
import { ambientIndex } from "./ambientIndex";

const F = feature("sourceLabels");

/**
 * MESH024: a mesh VirtualService match on `sourceLabels` on the ambient data plane. The waypoint that
 * runs the route does not know the caller's pod labels and drops the match (istio/istio
 * pilot/pkg/networking/core/listener_waypoint.go, citing istio#51565), so the route matches callers it
 * was not meant for. No lesson of the course uses it; a stack's own routes may.
 */
export const SourceLabelsDroppedByWaypoint: Analyzer = {
    code: "MESH024",
    name: "SourceLabelsDroppedByWaypoint",
    analyze(ctx) {
        const amb = ambientIndex(ctx);
        const out: Finding[] = [];
        for (const vs of ctx.virtualServices) {
            if (!amb.inAmbient(vs) || !isMeshBound(vs)) continue;
            for (const { route, path } of httpRoutes(vs)) {
                ((route.match ?? []) as Spec[]).forEach((m, i) => {
                    if (m.sourceLabels && Object.keys(m.sourceLabels).length > 0) out.push(finding(this, "error", vs, `${path}.match[${i}].sourceLabels`, `has no supported path on the ambient data plane: ${F.note}`, F.alternative!));
                });
            }
        }
        return out;
    },
};
