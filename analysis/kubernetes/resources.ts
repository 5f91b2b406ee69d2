import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { parseQuantity } from "./quantity";
import { apiFinding, ApiRule, containersOf, Spec } from "./rule";

/** Requests and limits: quantities the API server parses, not negative, and requests ≤ limits. */
export const resourceRequirements: ApiRule = {
    code: "K8S006",
    name: "resource requests and limits",
    kinds: ["Deployment"],
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        for (const [c, cPath] of containersOf(o)) {
            const r = (c.resources ?? {}) as Spec;
            // Plain loops, paths built only for a finding: this runs for every container of every Deployment.
            const requests = (r.requests ?? {}) as Record<string, unknown>;
            const limits = (r.limits ?? {}) as Record<string, unknown>;
            const parsedLimits = new Map<string, number>();
            const parsedRequests: [string, number][] = [];
            for (const kind of ["requests", "limits"] as const) {
                const m = kind === "requests" ? requests : limits;
                for (const res of Object.keys(m)) {
                    const q = m[res];
                    const v = parseQuantity(q);
                    if (v === undefined) out.push(apiFinding(this, o, `${cPath}.resources.${kind}.${res}`, `${JSON.stringify(q)} is not a quantity`, res === "cpu" ? `write cores, e.g. "500m" or "1"` : `write bytes with a unit, e.g. "128Mi" or "1Gi"`));
                    else if (v < 0) out.push(apiFinding(this, o, `${cPath}.resources.${kind}.${res}`, `${JSON.stringify(q)} is negative`, `use a quantity of 0 or more`));
                    else if (kind === "requests") parsedRequests.push([res, v]);
                    else parsedLimits.set(res, v);
                }
            }
            for (const [res, req] of parsedRequests) {
                const lim = parsedLimits.get(res);
                if (lim !== undefined && req > lim) {
                    out.push(apiFinding(this, o, `${cPath}.resources.requests.${res}`, `${res} request ${JSON.stringify(requests[res])} is more than its limit ${JSON.stringify(limits[res])}`, `lower the request or raise the limit (a request must be <= its limit)`));
                }
            }
        }
        return out;
    },
};
