import type { Finding } from "../finding";
import { Spec } from "../context";
import { Analyzer, finding, ns } from "./analyzer";
import { gatewayHostAdmits } from "./hostMatch";

/** IST0132: a VirtualService bound to a Gateway names a host that none of the Gateway's servers accepts. */
export const VirtualServiceHostNotFoundInGateway: Analyzer = {
    code: "IST0132",
    name: "VirtualServiceHostNotFoundInGateway",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const vs of ctx.virtualServices) {
            for (const g of ((vs.spec as Spec).gateways ?? []) as string[]) {
                const gw = g === "mesh" ? undefined : ctx.gatewayFor(g, ns(vs));
                if (!gw) continue;
                const gwHosts = (((gw.spec as Spec).servers ?? []) as Spec[]).flatMap((s) => s.hosts ?? []);
                ((vs.spec as Spec).hosts as string[]).forEach((h, i) => {
                    if (!gwHosts.some((gh: string) => gatewayHostAdmits(gh, h))) {
                        out.push(finding(this, "error", vs, `spec.hosts[${i}]`, `host "${h}" is not accepted by Gateway ${g} (hosts: ${gwHosts.join(", ")}), so requests for it never reach this VirtualService`, `add a matching host to the Gateway (istio-mesh:ingress.hosts or servers[].hosts), or use a host it accepts`));
                    }
                });
            }
        }
        return out;
    },
};
