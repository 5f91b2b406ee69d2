import type { Finding } from "../finding";
import { httpRoutes, isMeshBound, Spec } from "../context";
import { resourceName } from "../finding";
import { Analyzer, finding, ns } from "./analyzer";

/**
 * IST0140: an ingress VirtualService routes to a host without naming subsets, while that host's split
 * lives only in a mesh VirtualService. Gateway traffic never uses mesh VirtualServices, so requests
 * through the gateway ignore the split.
 */
export const IngressRouteRulesNotAffected: Analyzer = {
    code: "IST0140",
    name: "IngressRouteRulesNotAffected",
    analyze(ctx) {
        const splitBy = new Map<string, string>();
        for (const vs of ctx.meshVirtualServices) {
            const split = httpRoutes(vs).some(({ route }) => (route.route ?? []).some((d: Spec) => d.destination?.subset !== undefined));
            if (split) for (const h of (vs.spec as Spec).hosts as string[]) splitBy.set(ctx.fqdn(h, ns(vs)), resourceName(vs));
        }
        const out: Finding[] = [];
        for (const vs of ctx.virtualServices.filter((v) => !isMeshBound(v))) {
            for (const { route, path } of httpRoutes(vs)) {
                (route.route ?? []).forEach((d: Spec, i: number) => {
                    const host = ctx.fqdn(d.destination?.host, ns(vs));
                    if (d.destination?.subset === undefined && splitBy.has(host)) {
                        out.push(finding(this, "warning", vs, `${path}.route[${i}].destination`, `routes to ${d.destination.host} with no subset; its split in ${splitBy.get(host)} applies only inside the mesh, so gateway traffic ignores it`, `name the subset (or weights) in this ingress route; leaving subset and weights out of an istio-mesh:ingress route copies the service's weights`));
                    }
                });
            }
        }
        return out;
    },
};
