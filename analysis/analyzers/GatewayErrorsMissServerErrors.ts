import type { Finding } from "../finding";
import { isMeshBound, httpRoutes, Spec } from "../context";
import { Analyzer, finding, ns } from "./analyzer";

/** Statuses Envoy counts as gateway errors for outlier detection. */
const GATEWAY_ERRORS = new Set([502, 503, 504]);

/**
 * MESH003: a circuit breaker on consecutiveGatewayErrors for a host known to fail with other 5xx
 * (e.g. 500). Envoy counts only 502/503/504 as gateway errors, so the failing pod is never ejected.
 * Known failures: abort faults on the host, and workloads started with a failure status (servicex's
 * `error=yes` answers ERROR_STATUS, default 504).
 */
export const GatewayErrorsMissServerErrors: Analyzer = {
    code: "MESH003",
    name: "GatewayErrorsMissServerErrors",
    analyze(ctx) {
        const failures = new Map<string, Set<number>>();
        const add = (host: string, status: number) => failures.set(host, new Set([...(failures.get(host) ?? []), status]));
        for (const vs of ctx.meshVirtualServices) {
            for (const { route } of httpRoutes(vs)) {
                const s = route.fault?.abort?.httpStatus;
                if (typeof s === "number" && s >= 500) for (const h of (vs.spec as Spec).hosts as string[]) add(ctx.fqdn(h, ns(vs)), s);
            }
        }
        const out: Finding[] = [];
        for (const dr of ctx.of("DestinationRule")) {
            const spec = dr.spec as Spec;
            const od = spec.trafficPolicy?.outlierDetection;
            if (!od || od.consecutiveGatewayErrors === undefined || od.consecutive5xxErrors !== undefined) continue;
            const host = ctx.fqdn(spec.host, ns(dr));
            const statuses = new Set(failures.get(host));
            for (const p of ctx.podsOf(spec.host, ns(dr)) ?? []) {
                if (p.env.error === "yes") statuses.add(Number(p.env.ERROR_STATUS ?? 504));
            }
            const missed = [...statuses].filter((s) => s >= 500 && !GATEWAY_ERRORS.has(s)).sort();
            if (missed.length === 0) continue;
            out.push(finding(this, "warning", dr, "spec.trafficPolicy.outlierDetection.consecutiveGatewayErrors", `${spec.host} fails with ${missed.join(", ")}, which consecutiveGatewayErrors does not count (only 502, 503, 504), so the failing pod is never ejected`, `use consecutive5xxErrors (counts every 5xx) for this service`));
        }
        return out;
    },
};
