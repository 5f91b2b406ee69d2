import type { Finding } from "../../finding";
import { GATEWAY_GROUP, nsOf, parentRefs, selectedListeners } from "../context";
import { GatewayApiAnalyzer, finding } from "./analyzer";

/**
 * GWAPI111: a route's parentRef names a Gateway the plan does not declare, or a listener
 * (sectionName, port) that Gateway does not have; or, for mesh routing, a Service that does not
 * exist. The route is not attached there (Accepted=False, NoMatchingParent): its rules do nothing.
 */
export const NoMatchingParent: GatewayApiAnalyzer = {
    code: "GWAPI111",
    name: "NoMatchingParent",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const route of ctx.routes) {
            for (const { ref, path } of parentRefs(route)) {
                const group = ref.group ?? GATEWAY_GROUP;
                const kind = ref.kind ?? "Gateway";
                const ns = ref.namespace ?? nsOf(route);
                if (group === GATEWAY_GROUP && kind === "Gateway") {
                    const gw = ctx.gateway(ns, ref.name);
                    if (!gw) {
                        const known = [...ctx.gateways.keys()];
                        out.push(finding(this, "error", route, `${path}.name`, `Gateway "${ref.name}" in namespace ${ns} does not exist in this plan, so the route attaches nowhere (NoMatchingParent)`, `name a Gateway the program declares${known.length ? ` (${known.join(", ")})` : ""}, or declare this one`));
                    } else if (selectedListeners(gw, ref).length === 0) {
                        const listeners = ((gw.spec as { listeners?: { name: string; port: number }[] }).listeners ?? []).map((l) => `${l.name}:${l.port}`);
                        const field = ref.sectionName !== undefined ? "sectionName" : "port";
                        out.push(finding(this, "error", route, `${path}.${field}`, `Gateway ${ns}/${ref.name} has no listener ${ref.sectionName !== undefined ? `named "${ref.sectionName}"` : ""}${ref.sectionName !== undefined && ref.port !== undefined ? " on " : ""}${ref.port !== undefined ? `port ${ref.port}` : ""} (listeners: ${listeners.join(", ")}), so the route attaches nowhere (NoMatchingParent)`, "name one of the Gateway's listeners (sectionName) and its port, or leave them out to attach to every listener"));
                    }
                } else if (group === "" && kind === "Service") {
                    if (!ctx.service(ns, ref.name)) out.push(finding(this, "error", route, `${path}.name`, `Service "${ref.name}" in namespace ${ns} (the mesh parent) does not exist in this plan, so these rules apply to no traffic`, "name a Service the program declares (istio-mesh:services)"));
                } else if (group === "networking.istio.io" && kind === "ServiceEntry") {
                    if (!ctx.serviceEntries.has(`${ns}/${ref.name}`)) out.push(finding(this, "error", route, `${path}.name`, `ServiceEntry "${ref.name}" in namespace ${ns} does not exist in this plan, so these rules apply to no traffic`, "declare it under istio-mesh:security.egress.serviceEntries"));
                }
            }
        }
        return out;
    },
};
