import type { Finding } from "../../finding";
import { ISTIO_GATEWAY_CLASSES, Spec } from "../context";
import { GatewayApiAnalyzer, finding } from "./analyzer";

/**
 * GWAPI121: a Gateway's gatewayClassName is neither one istiod creates (istio, istio-waypoint, …)
 * nor a GatewayClass of the plan. No controller programs such a Gateway: no Deployment, no address,
 * its routes go nowhere.
 */
export const GatewayClassNotFound: GatewayApiAnalyzer = {
    code: "GWAPI121",
    name: "GatewayClassNotFound",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const gw of ctx.gateways.values()) {
            const cls = (gw.spec as Spec)?.gatewayClassName as string | undefined;
            if (cls === undefined || ISTIO_GATEWAY_CLASSES.includes(cls) || ctx.gatewayClasses.has(cls)) continue;
            out.push(finding(this, "error", gw, "spec.gatewayClassName", `GatewayClass "${cls}" is not one istiod creates (${ISTIO_GATEWAY_CLASSES.join(", ")}) and this plan declares no such GatewayClass: no controller will program this Gateway`, `use gatewayClassName: istio (istiod deploys the gateway), or declare the GatewayClass`));
        }
        return out;
    },
};
