import type { Finding } from "../../finding";
import type { Spec } from "../context";
import { GatewayApiAnalyzer, finding } from "./analyzer";

/**
 * GWAPI104: a rule that can serve no request from a backend. With backendRefs whose weights are all
 * 0, Istio answers every matching request with HTTP 500; with no backendRefs and no filter that
 * answers by itself (RequestRedirect), with 404 (Istio 1.30 change notes, istio/istio#59356). A canary
 * config that ends at 0/0, or a rule whose backends were dropped, does this.
 */
export const NoEffectiveBackends: GatewayApiAnalyzer = {
    code: "GWAPI104",
    name: "NoEffectiveBackends",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const route of ctx.routes) {
            if (route.kind !== "HTTPRoute" && route.kind !== "GRPCRoute") continue;
            (((route.spec as Spec)?.rules ?? []) as Spec[]).forEach((rule, i) => {
                const refs = (rule.backendRefs ?? []) as Spec[];
                const answers = ((rule.filters ?? []) as Spec[]).some((f) => f.type === "RequestRedirect");
                if (refs.length === 0 && !answers) {
                    out.push(finding(this, "error", route, `spec.rules[${i}]`, "this rule has no backendRefs and no RequestRedirect: every request it matches gets HTTP 404", "add a backendRef (or a RequestRedirect filter), or remove the rule"));
                } else if (refs.length > 0 && refs.every((b) => (b.weight ?? 1) === 0)) {
                    out.push(finding(this, "error", route, `spec.rules[${i}].backendRefs`, `every backendRef of this rule has weight 0 (${refs.map((b) => b.name).join(", ")}): every request it matches gets HTTP 500`, "give at least one backend a weight above 0 (weights are relative: 90/10, 1/0 …)"));
                }
            });
        }
        return out;
    },
};
