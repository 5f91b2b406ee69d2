import type { Finding } from "../finding";
import { matchesLabels } from "../context";
import { Analyzer, destinationRulesWithPods, finding } from "./analyzer";

/**
 * MESH005: two subsets of one host select exactly the same pods, so a split between them splits
 * nothing (a canary whose "new" version is the old one): usually a label copied from the other subset.
 */
export const SubsetsSelectSamePods: Analyzer = {
    code: "MESH005",
    name: "SubsetsSelectSamePods",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const { dr, subsets, pods } of destinationRulesWithPods(ctx)) {
            const seen = new Map<string, string>();
            subsets.forEach((s, i) => {
                const labels = (s.labels ?? {}) as Record<string, string>;
                const selected = pods.map((p, k) => (matchesLabels(labels, p.labels) ? k : -1)).filter((k) => k >= 0);
                if (selected.length === 0) return; // IST0173's case
                const key = selected.join(",");
                const other = seen.get(key);
                if (other !== undefined) {
                    out.push(finding(this, "error", dr, `spec.subsets[${i}].labels`, `subset "${s.name}" selects the same pods as subset "${other}" (${JSON.stringify(labels)}), so routing between them splits nothing`, `give each subset a label only its version's pods carry (e.g. version: B), and the workloads those labels`));
                } else seen.set(key, s.name);
            });
        }
        return out;
    },
};
