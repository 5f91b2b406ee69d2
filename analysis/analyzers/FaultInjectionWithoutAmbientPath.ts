import type { Finding } from "../finding";
import { httpRoutes, isMeshBound } from "../context";
import { feature, lessonsText } from "../../mesh/ambient/features";
import { Analyzer, finding } from "./analyzer";
import { ambientIndex } from "./ambientIndex";

const F = feature("faultInjection");

/**
 * MESH022: fault injection in the mesh on the ambient data plane. HTTPRoute has no fault filter, and a
 * VirtualService's faults run on a waypoint only as an Alpha API (istio.io docs/ambient/usage/l7-features,
 * migrate-policies): no supported path. At the ingress gateway (a VirtualService bound to a Gateway)
 * faults are unchanged, so only mesh routes are refused. A stack may accept the Alpha path explicitly.
 */
export const FaultInjectionWithoutAmbientPath: Analyzer = {
    code: "MESH022",
    name: "FaultInjectionWithoutAmbientPath",
    analyze(ctx) {
        const amb = ambientIndex(ctx);
        const out: Finding[] = [];
        for (const vs of ctx.virtualServices) {
            if (!amb.inAmbient(vs) || !isMeshBound(vs)) continue;
            for (const { route, path } of httpRoutes(vs)) {
                if (!route.fault) continue;
                out.push(finding(this, "error", vs, `${path}.fault`, `fault injection (${lessonsText(F)}) has no supported path on the ambient data plane: ${F.note}`, F.alternative!));
            }
        }
        return out;
    },
};
