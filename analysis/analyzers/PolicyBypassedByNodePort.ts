import type { Finding } from "../finding";
import { Spec } from "../context";
import { Analyzer, finding, ns } from "./analyzer";

/**
 * MESH004: a Service exposed as NodePort/LoadBalancer next to mesh policies. Traffic that enters
 * through that port reaches the pods with no proxy in front of it, so no VirtualService applies to
 * it (scenario 15's lesson: without the ingress gateway `localhost:8000` bypasses every policy).
 */
export const PolicyBypassedByNodePort: Analyzer = {
    code: "MESH004",
    name: "PolicyBypassedByNodePort",
    analyze(ctx) {
        const exposed = ctx.of("Service").filter((svc) => ["NodePort", "LoadBalancer"].includes((svc.spec as Spec).type));
        if (exposed.length === 0) return [];
        const routed = new Set<string>();
        for (const vs of ctx.virtualServices) {
            for (const h of (vs.spec as Spec).hosts as string[]) routed.add(ctx.fqdn(h, ns(vs)));
            for (const r of ((vs.spec as Spec).http ?? []) as Spec[]) for (const d of (r.route ?? []) as Spec[]) routed.add(ctx.fqdn(d.destination?.host, ns(vs)));
        }
        const out: Finding[] = [];
        for (const svc of exposed) {
            const type = (svc.spec as Spec).type;
            const host = ctx.fqdn(svc.metadata.name, ns(svc));
            if (!routed.has(host)) continue;
            out.push(finding(this, "warning", svc, "spec.type", `${svc.metadata.name} is a ${type} Service with mesh routing policies: requests entering through its node port skip the ingress gateway, and no VirtualService rule (split, fault, retries) applies to them`, `keep it ClusterIP (istio-mesh:services.${svc.metadata.name}.type) and reach it through the ingress gateway`));
        }
        return out;
    },
};
