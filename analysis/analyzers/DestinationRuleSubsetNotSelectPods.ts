import type { Finding } from "../finding";
import { matchesLabels } from "../context";
import { Analyzer, destinationRulesWithPods, finding } from "./analyzer";

/** IST0173: a subset's labels match none of the pods behind its host, so routing to it fails with 503. */
export const DestinationRuleSubsetNotSelectPods: Analyzer = {
    code: "IST0173",
    name: "DestinationRuleSubsetNotSelectPods",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const { dr, host, subsets, pods } of destinationRulesWithPods(ctx)) {
            subsets.forEach((s, i) => {
                const labels = (s.labels ?? {}) as Record<string, string>;
                if (!pods.some((p) => matchesLabels(labels, p.labels))) {
                    const seen = [...new Set(pods.map((p) => JSON.stringify(p.labels)))].join(", ") || "no pods at all";
                    out.push(finding(this, "error", dr, `spec.subsets[${i}].labels`, `subset "${s.name}" selects ${JSON.stringify(labels)}, which no pod behind ${host} has (pods: ${seen})`, `fix the subset's labels, or add a workload with those labels (istio-mesh:workloads.<name>.labels)`));
                }
            });
        }
        return out;
    },
};
