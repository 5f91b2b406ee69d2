import type { Finding } from "../finding";
import { Spec } from "../context";
import { Analyzer, finding } from "./analyzer";

/**
 * MESH006: a Service whose selector matches no pod the program deploys has no endpoints: every request
 * to it fails (503 from the sidecar), and every policy on it is declared but never applies.
 */
export const ServiceSelectsNoPods: Analyzer = {
    code: "MESH006",
    name: "ServiceSelectsNoPods",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const svc of ctx.of("Service")) {
            const selector = ((svc.spec as Spec).selector ?? {}) as Record<string, string>;
            if (Object.keys(selector).length === 0) continue; // no selector: endpoints managed by hand
            if (ctx.podsSelectedBy(svc).length > 0) continue;
            out.push(finding(this, "error", svc, "spec.selector", `selects ${JSON.stringify(selector)}, which no workload's pods carry, so the Service has no endpoints and requests to it fail`, `fix the selector, or add a workload with those labels (istio-mesh:workloads.<name>.labels)`));
        }
        return out;
    },
};
