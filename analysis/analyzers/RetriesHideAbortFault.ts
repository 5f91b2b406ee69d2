import type { Finding } from "../finding";
import { httpRoutes } from "../context";
import { Analyzer, finding } from "./analyzer";

/**
 * MESH002: retries (or a timeout) on a route that injects a fault. Istio enables neither retries nor
 * timeouts on a route with client-side faults (VirtualService API: "timeouts or retries will not be
 * enabled when faults are enabled on the client side"), so they silently do nothing there; and where
 * callers further up retry, aborted requests are re-sent and the measured abort rate is lower than
 * configured (istio/istio#25160). Either way the lesson's measurement misleads.
 */
export const RetriesHideAbortFault: Analyzer = {
    code: "MESH002",
    name: "RetriesHideAbortFault",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const vs of ctx.virtualServices) {
            for (const { route, path } of httpRoutes(vs)) {
                if (!route.fault) continue;
                const attempts = route.retries?.attempts ?? 0;
                const abort = route.fault.abort?.percentage?.value;
                if (attempts > 0) {
                    out.push(finding(this, "error", vs, `${path}.retries`, `retries (${attempts} attempts) on a route that injects a fault${abort !== undefined ? ` (abort ${abort} %)` : ""}: Istio does not enable retries on such a route, and retries by callers further up re-send aborted requests, so the measured error rate will not be the configured one`, `measure the fault with retries off (remove retries here and keep callers' retries off), then study retries on a route without a fault`));
                }
                if (route.timeout) {
                    out.push(finding(this, "error", vs, `${path}.timeout`, `a timeout (${route.timeout}) on a route that injects a fault is not enabled by Istio, so it will not cut the injected delay`, `put the timeout on the caller's route, or time out on the client (fortio --timeout)`));
                }
            }
        }
        return out;
    },
};
