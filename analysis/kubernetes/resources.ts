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
            const parsed: Record<string, Record<string, number | undefined>> = { requests: {}, limits: {} };
            for (const kind of ["requests", "limits"] as const) {
                for (const [res, q] of Object.entries((r[kind] ?? {}) as Record<string, unknown>)) {
                    const path = `${cPath}.resources.${kind}.${res}`;
                    const v = parseQuantity(q);
                    if (v === undefined) out.push(apiFinding(this, o, path, `${JSON.stringify(q)} is not a quantity`, res === "cpu" ? `write cores, e.g. "500m" or "1"` : `write bytes with a unit, e.g. "128Mi" or "1Gi"`));
                    else if (v < 0) out.push(apiFinding(this, o, path, `${JSON.stringify(q)} is negative`, `use a quantity of 0 or more`));
                    else parsed[kind][res] = v;
                }
            }
            for (const [res, req] of Object.entries(parsed.requests)) {
                const lim = parsed.limits[res];
                if (req !== undefined && lim !== undefined && req > lim) {
                    out.push(apiFinding(this, o, `${cPath}.resources.requests.${res}`, `${res} request ${JSON.stringify(r.requests[res])} is more than its limit ${JSON.stringify(r.limits[res])}`, `lower the request or raise the limit (a request must be <= its limit)`));
                }
            }
        }
        return out;
    },
};
