import { Node, show } from "../reader";
import type { AnalysisConfig, FindingSeverity } from "../types";

const SEVERITIES: readonly FindingSeverity[] = ["warning", "error"];
const CODE = /^[A-Z][A-Z0-9]*[0-9]$/;

/**
 * `istio-mesh:analysis`: per analyzer code, the severity this stack gives it, e.g. `{IST0173: warning}`
 * to deploy a subset that selects no pod yet. Which codes may be set is the analysis layer's list
 * (analysis/severity.ts); the API server's and Istio webhook's rejections cannot be downgraded.
 */
export function parseAnalysis(n: Node): AnalysisConfig {
    const severities: Record<string, FindingSeverity> = {};
    for (const [code, v] of n.entries()) {
        if (!CODE.test(code)) {
            n.problems.add(v.path, `${show(code)} is not an analyzer code; write e.g. IST0173: warning`);
            continue;
        }
        Object.defineProperty(severities, code, { value: v.oneOf<FindingSeverity>("warning", SEVERITIES), enumerable: true });
    }
    return { severities };
}
