import type { Finding } from "../../finding";
import { GATEWAY_GROUP, hostnamesIntersect, listenerRejects, nsOf, parentRefs, selectedListeners, Spec } from "../context";
import { GatewayApiAnalyzer, finding } from "./analyzer";

/**
 * GWAPI112: a route's hostnames and the hostnames of the listeners that accept it have no host in
 * common. None in common: the route is not attached (Accepted=False, NoMatchingListenerHostname),
 * an error. Some hostnames without a listener: requests for those are never routed, a warning.
 * A listener without a hostname accepts every host.
 */
export const NoMatchingListenerHostname: GatewayApiAnalyzer = {
    code: "GWAPI112",
    name: "NoMatchingListenerHostname",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const route of ctx.routes) {
            const hostnames = ((route.spec as Spec)?.hostnames ?? []) as string[];
            if (hostnames.length === 0) continue; // a route without hostnames takes the listener's
            for (const { ref } of parentRefs(route)) {
                if ((ref.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref.kind ?? "Gateway") !== "Gateway") continue;
                const gw = ctx.gateway(ref.namespace ?? nsOf(route), ref.name);
                if (!gw) continue; // GWAPI111's
                const accepting = selectedListeners(gw, ref).filter((l) => listenerRejects(ctx, gw, l, route) === undefined);
                if (accepting.length === 0) continue; // GWAPI111's or GWAPI113's
                if (accepting.some((l) => l.hostname === undefined)) continue;
                const listenerHosts = accepting.map((l) => l.hostname as string);
                const unmatched = hostnames.map((h, i) => ({ h, i })).filter(({ h }) => !listenerHosts.some((lh) => hostnamesIntersect(lh, h)));
                const gwName = `${nsOf(gw)}/${gw.metadata.name}`;
                if (unmatched.length === hostnames.length) {
                    out.push(finding(this, "error", route, "spec.hostnames", `none of the route's hostnames (${hostnames.join(", ")}) is accepted by a listener of Gateway ${gwName} (listener hostnames: ${listenerHosts.join(", ")}), so it is not attached there (NoMatchingListenerHostname)`, "use a hostname the listener accepts, or widen the listener's hostname (a wildcard like *.example.com, or none)"));
                } else {
                    for (const { h, i } of unmatched) out.push(finding(this, "warning", route, `spec.hostnames[${i}]`, `hostname "${h}" is accepted by no listener of Gateway ${gwName} (listener hostnames: ${listenerHosts.join(", ")}), so requests for it are not routed there`, "use a hostname the listener accepts, or add a listener for it"));
                }
            }
        }
        return out;
    },
};
