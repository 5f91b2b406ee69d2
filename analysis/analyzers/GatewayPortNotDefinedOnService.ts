import type { Finding } from "../finding";
import { matchesLabels, Spec } from "../context";
import { Analyzer, finding } from "./analyzer";

/** IST0162: a Gateway listens on a port the gateway's Service does not expose, so nothing reaches it. */
export const GatewayPortNotDefinedOnService: Analyzer = {
    code: "IST0162",
    name: "GatewayPortNotDefinedOnService",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const gw of ctx.gateways.values()) {
            const selector = ((gw.spec as Spec).selector ?? {}) as Record<string, string>;
            const workloads = ctx.gatewayWorkloads.filter((w) => matchesLabels(selector, w.labels));
            if (workloads.length === 0) {
                out.push(finding(this, "error", gw, "spec.selector", `selects no gateway deployed by this program (${JSON.stringify(selector)})`, `use selector {istio: ingressgateway}`));
                continue;
            }
            (((gw.spec as Spec).servers ?? []) as Spec[]).forEach((s, i) => {
                const port = s.port?.number;
                const exposed = workloads.some((w) => w.servicePorts.some((p) => p.port === port || p.targetPort === port));
                if (!exposed) {
                    const ports = workloads.flatMap((w) => w.servicePorts.map((p) => p.port));
                    out.push(finding(this, "error", gw, `spec.servers[${i}].port.number`, `port ${port} is not exposed by the gateway's Service (ports: ${ports.join(", ")})`, `listen on one of the Service's ports (80 for HTTP)`));
                }
            });
        }
        return out;
    },
};
