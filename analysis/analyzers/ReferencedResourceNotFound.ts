import type { Finding } from "../finding";
import { httpRoutes, Spec } from "../context";
import { Analyzer, finding, ns } from "./analyzer";

/** IST0101: a VirtualService names a host, subset or gateway that does not exist. */
export const ReferencedResourceNotFound: Analyzer = {
    code: "IST0101",
    name: "ReferencedResourceNotFound",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const vs of ctx.virtualServices) {
            const n = ns(vs);
            ((vs.spec as Spec).gateways ?? []).forEach((g: string, i: number) => {
                if (g !== "mesh" && !ctx.gatewayFor(g, n)) out.push(finding(this, "error", vs, `spec.gateways[${i}]`, `Gateway "${g}" does not exist`, `declare it (istio-mesh:ingress.gateway) or bind the VirtualService to an existing Gateway`));
            });
            for (const { route, path } of httpRoutes(vs)) {
                (route.route ?? []).forEach((d: Spec, i: number) => {
                    const host = d.destination?.host as string;
                    const subset = d.destination?.subset as string | undefined;
                    const p = `${path}.route[${i}].destination`;
                    if (!ctx.knownHost(host, n)) {
                        out.push(finding(this, "error", vs, `${p}.host`, `host "${host}" is neither a Service nor a ServiceEntry host in this mesh`, `route to a service declared under istio-mesh:services, or declare the external host under istio-mesh:security.egress.serviceEntries`));
                    } else if (subset !== undefined && !ctx.subsetsOf(host, n).has(subset)) {
                        const known = [...ctx.subsetsOf(host, n)];
                        out.push(finding(this, "error", vs, `${p}.subset`, `subset "${subset}" of host "${host}" is declared by no DestinationRule (declared: ${known.join(", ") || "none"}); requests would fail with 503`, `declare it under istio-mesh:services.${host.split(".")[0]}.subsets, or route to one of: ${known.join(", ") || "the plain host"}`));
                    }
                });
            }
        }
        return out;
    },
};
