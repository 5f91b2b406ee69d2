import type { Finding } from "../finding";
import type { Spec } from "../context";
import { feature, lessonsText } from "../../mesh/ambient/features";
import { Analyzer, finding } from "./analyzer";
import { ambientIndex } from "./ambientIndex";

const F = feature("localRateLimit");

/**
 * MESH023: an EnvoyFilter for the workloads of an ambient namespace (the course's local rate limit).
 * Their pods have no sidecar to patch, and the newest migration guide says EnvoyFilter is not supported
 * on waypoints and is silently ignored (istio.io docs/ambient/migrate/migrate-policies; istio#57350).
 * One patching only GATEWAY listeners (the ingress gateway's) is left alone.
 */
export const EnvoyFilterWithoutAmbientPath: Analyzer = {
    code: "MESH023",
    name: "EnvoyFilterWithoutAmbientPath",
    analyze(ctx) {
        const amb = ambientIndex(ctx);
        const out: Finding[] = [];
        for (const ef of ctx.of("EnvoyFilter")) {
            if (!amb.inAmbient(ef)) continue;
            const patches = ((ef.spec as Spec).configPatches ?? []) as Spec[];
            if (patches.length > 0 && patches.every((p) => p.match?.context === "GATEWAY")) continue;
            const what = patches.some((p) => p.patch?.value?.name === "envoy.filters.http.local_ratelimit") ? `this local rate limit (${lessonsText(F)})` : "this EnvoyFilter";
            out.push(finding(this, "error", ef, "spec.configPatches", `${what} has no supported path on the ambient data plane: ${F.note}`, F.alternative!));
        }
        return out;
    },
};
