import type { Finding } from "../../finding";
import { backendRefs, nsOf } from "../context";
import { GatewayApiAnalyzer, finding } from "./analyzer";

/**
 * GWAPI103: a backendRef into another namespace with no ReferenceGrant there allowing it. The Gateway
 * API refuses cross-namespace references unless the target namespace grants them: ResolvedRefs=False
 * (RefNotPermitted), and that backend gets no traffic.
 */
export const RefNotPermitted: GatewayApiAnalyzer = {
    code: "GWAPI103",
    name: "RefNotPermitted",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const route of ctx.routes) {
            const from = nsOf(route);
            for (const { ref, path } of backendRefs(route)) {
                const to = ref.namespace ?? from;
                if (to === from) continue;
                const group = ref.group ?? "";
                const kind = ref.kind ?? "Service";
                if (!ctx.referenceGranted(route.kind, from, group, kind, to, ref.name)) {
                    out.push(finding(this, "error", route, `${path}.namespace`, `${route.kind} in ${from} refers to ${kind} "${ref.name}" in ${to}, and no ReferenceGrant in ${to} allows it (RefNotPermitted): the backend gets no traffic`, `add a ReferenceGrant in ${to} from {group: gateway.networking.k8s.io, kind: ${route.kind}, namespace: ${from}} to {group: "${group}", kind: ${kind}}, or route to a backend in ${from}`));
                }
            }
        }
        return out;
    },
};
