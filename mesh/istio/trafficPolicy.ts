/** Config policies → Istio's wire shape. Config already uses Istio's field names, so this is mostly a copy. */
import type { FaultConfig, HttpPolicyConfig, TrafficPolicyConfig } from "../../config/policy";

/** Deep copy without undefined fields, so rendered objects hold only what the user set. */
export function clean<T>(v: T): T {
    if (Array.isArray(v)) return v.map(clean) as T;
    if (v && typeof v === "object") {
        // A loop, not entries/filter/map/fromEntries: this runs for every policy of every service.
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
            const x = (v as Record<string, unknown>)[k];
            if (x === undefined) continue;
            // As fromEntries did: `__proto__` stays an own key, never the prototype.
            if (k === "__proto__") Object.defineProperty(out, k, { value: clean(x), enumerable: true, writable: true, configurable: true });
            else out[k] = clean(x);
        }
        return out as T;
    }
    return v;
}

export function trafficPolicy(tp: TrafficPolicyConfig): Record<string, unknown> {
    return clean(tp) as Record<string, unknown>;
}

export function fault(f: FaultConfig): Record<string, unknown> {
    return {
        ...(f.delay ? { delay: { fixedDelay: f.delay.fixedDelay, percentage: { value: f.delay.percentage } } } : {}),
        ...(f.abort ? { abort: { httpStatus: f.abort.httpStatus, percentage: { value: f.abort.percentage } } } : {}),
    };
}

/** The fields an http route gets from a policy, in the order Istio's docs show them. */
export function httpPolicyFields(p: HttpPolicyConfig): Record<string, unknown> {
    return {
        ...(p.fault ? { fault: fault(p.fault) } : {}),
        ...(p.timeout ? { timeout: p.timeout } : {}),
        ...(p.retries ? { retries: clean(p.retries) } : {}),
    };
}
