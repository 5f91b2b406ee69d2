/**
 * Severities: every analyzer code that says "declared but ineffective" is an error by default; a stack
 * may accept one explicitly with `istio-mesh:analysis.<code>: warning`. Rejections of the API server
 * (K8S…), Istio's CRD schemas (SCHEMA), its webhook (WH…) and the Gateway API CRDs (GWAPI0…) are not
 * downgradable: they would fail `up`.
 */
import type { Problem } from "../config/reader";
import type { MeshConfig } from "../config/types";
import { ANALYZERS } from "./analyzers";
import { GATEWAY_API_ANALYZERS } from "./gatewayApi/analyzers";
import type { Finding } from "./finding";

export const DOWNGRADABLE_CODES: readonly string[] = [...new Set([...ANALYZERS, ...GATEWAY_API_ANALYZERS].map((a) => a.code))].sort();

export const downgradeHint = (code: string): string => `set istio-mesh:analysis.${code}: warning in the stack file (pulumi config set --path 'istio-mesh:analysis.${code}' warning)`;

export function checkSeverityConfig(cfg: MeshConfig): Problem[] {
    return Object.keys(cfg.analysis.severities)
        .filter((code) => !DOWNGRADABLE_CODES.includes(code))
        .map((code) => ({
            path: `istio-mesh:analysis.${code}`,
            message: /^(K8S|SCHEMA|WH|GWAPI0)/.test(code)
                ? `${code} is a rejection by the Kubernetes API server or Istio's webhook, which would fail pulumi up; it cannot be downgraded`
                : `${code} is not an analyzer code of this program; codes: ${DOWNGRADABLE_CODES.join(", ")}`,
        }));
}

export function applySeverities(findings: Finding[], cfg: MeshConfig): Finding[] {
    const set = cfg.analysis.severities;
    return findings.map((f) => {
        const configured = Object.prototype.hasOwnProperty.call(set, f.code) ? set[f.code] : undefined;
        const severity = configured ?? f.severity;
        const downgrade = severity === "error" && DOWNGRADABLE_CODES.includes(f.code) ? downgradeHint(f.code) : undefined;
        return { ...f, severity, ...(downgrade ? { downgrade } : {}) };
    });
}
