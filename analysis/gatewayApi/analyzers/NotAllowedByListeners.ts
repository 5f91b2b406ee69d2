import type { Finding } from "../../finding";
import { GATEWAY_GROUP, listenerRejects, nsOf, parentRefs, selectedListeners } from "../context";
import { GatewayApiAnalyzer, finding } from "./analyzer";

/**
 * GWAPI113: every listener a route's parentRef selects refuses the route: another namespace than
 * `allowedRoutes.namespaces` allows (Same by default), a kind `allowedRoutes.kinds` does not list,
 * or a protocol that takes no such route (an HTTPRoute on a TLS listener). Accepted=False,
 * NotAllowedByListeners: the route is not attached.
 */
export const NotAllowedByListeners: GatewayApiAnalyzer = {
    code: "GWAPI113",
    name: "NotAllowedByListeners",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const route of ctx.routes) {
            for (const { ref, path } of parentRefs(route)) {
                if ((ref.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref.kind ?? "Gateway") !== "Gateway") continue;
                const gw = ctx.gateway(ref.namespace ?? nsOf(route), ref.name);
                if (!gw) continue; // GWAPI111's
                const listeners = selectedListeners(gw, ref);
                const reasons = listeners.map((l) => `listener "${l.name}": ${listenerRejects(ctx, gw, l, route)}`);
                if (listeners.length > 0 && listeners.every((l) => listenerRejects(ctx, gw, l, route) !== undefined)) {
                    out.push(finding(this, "error", route, path, `no listener of Gateway ${nsOf(gw)}/${gw.metadata.name} accepts this ${route.kind} (NotAllowedByListeners): ${reasons.join("; ")}`, "set the listener's allowedRoutes (namespaces.from: All or a Selector, kinds) to admit the route, or move the route to the Gateway's namespace"));
                }
            }
        }
        return out;
    },
};
