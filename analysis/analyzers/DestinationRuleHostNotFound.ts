import type { Finding } from "../finding";
import { Spec } from "../context";
import { Analyzer, finding, ns } from "./analyzer";

/**
 * KIA0202 (Kiali): a DestinationRule host that is no Service and no ServiceEntry host applies to
 * nothing. Istio takes a host with a dot literally (`svc.ns` is not `svc.ns.svc.cluster.local`), and
 * so does this check; the config parser writes such hosts as FQDNs, so the two agree.
 */
export const DestinationRuleHostNotFound: Analyzer = {
    code: "KIA0202",
    name: "DestinationRuleHostNotFound",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const dr of ctx.of("DestinationRule")) {
            const host = (dr.spec as Spec).host as string;
            if (host.includes("*") || ctx.knownHost(host, ns(dr))) continue;
            out.push(finding(this, "error", dr, "spec.host", `host "${host}" is neither a Service nor a ServiceEntry host in this mesh (Istio reads a host with a dot literally), so the rule applies to nothing`, `write the service's name or its full name <service>.<namespace>.svc.cluster.local`));
        }
        return out;
    },
};
