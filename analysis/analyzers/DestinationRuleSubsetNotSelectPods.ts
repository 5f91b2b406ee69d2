import type { Finding } from "../finding";
import { matchesLabels, Spec } from "../context";
import { Analyzer, finding, ns } from "./analyzer";

/** IST0173: a subset's labels match none of the pods behind its host, so routing to it fails with 503. */
export const DestinationRuleSubsetNotSelectPods: Analyzer = {
    code: "IST0173",
    name: "DestinationRuleSubsetNotSelectPods",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const dr of ctx.of("DestinationRule")) {
            const spec = dr.spec as Spec;
            const pods = ctx.podsOf(spec.host, ns(dr));
            // Not a host this program deploys; or a Service with no pods at all, which MESH006 reports (one error per mistake).
            if (!pods || pods.length === 0) continue;
            ((spec.subsets ?? []) as Spec[]).forEach((s, i) => {
                const labels = (s.labels ?? {}) as Record<string, string>;
                if (!pods.some((p) => matchesLabels(labels, p.labels))) {
                    const seen = [...new Set(pods.map((p) => JSON.stringify(p.labels)))].join(", ") || "no pods at all";
                    out.push(finding(this, "error", dr, `spec.subsets[${i}].labels`, `subset "${s.name}" selects ${JSON.stringify(labels)}, which no pod behind ${spec.host} has (pods: ${seen})`, `fix the subset's labels, or add a workload with those labels (istio-mesh:workloads.<name>.labels)`));
                }
            });
        }
        return out;
    },
};
