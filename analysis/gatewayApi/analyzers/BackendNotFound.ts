import type { Finding } from "../../finding";
import { backendRefs, GATEWAY_GROUP, nsOf } from "../context";
import { GatewayApiAnalyzer, finding } from "./analyzer";

/**
 * GWAPI101: a backendRef (or a request mirror's) names a Service or ServiceEntry the plan does not
 * declare. Istio sets the route's ResolvedRefs=False (BackendNotFound) and answers that backend's
 * share of requests with HTTP 500. Other kinds: Istio 1.30 routes to none but these (and Hostname
 * and InferencePool, which the lab does not use), so an unknown kind is InvalidKind.
 */
export const BackendNotFound: GatewayApiAnalyzer = {
    code: "GWAPI101",
    name: "BackendNotFound",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const route of ctx.routes) {
            for (const { ref, path } of backendRefs(route)) {
                const group = ref.group ?? "";
                const kind = ref.kind ?? "Service";
                const ns = ref.namespace ?? nsOf(route);
                if (group === "" && kind === "Service") {
                    if (!ctx.service(ns, ref.name)) out.push(finding(this, "error", route, `${path}.name`, `Service "${ref.name}" in namespace ${ns} does not exist in this plan: Istio marks the route ResolvedRefs=False (BackendNotFound) and answers this backend's requests with HTTP 500`, "name a Service the program declares (istio-mesh:services), or declare this one"));
                } else if (group === "networking.istio.io" && kind === "ServiceEntry") {
                    if (!ctx.serviceEntries.has(`${ns}/${ref.name}`)) out.push(finding(this, "error", route, `${path}.name`, `ServiceEntry "${ref.name}" in namespace ${ns} does not exist in this plan (BackendNotFound)`, "declare it under istio-mesh:security.egress.serviceEntries, or route to one that exists"));
                } else if (!(group === "networking.istio.io" && kind === "Hostname") && group !== "inference.networking.k8s.io" && group !== GATEWAY_GROUP) {
                    out.push(finding(this, "error", route, `${path}.kind`, `Istio 1.30 does not route to ${group || "core"}/${kind} backends (ResolvedRefs=False, InvalidKind)`, "route to a Service (group \"\", kind Service) or an Istio ServiceEntry (group networking.istio.io)"));
                }
            }
        }
        return out;
    },
};
