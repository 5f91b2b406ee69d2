/** VirtualService http route policy: `fault`, `retries`, `timeout`, with the checks Istio's webhook makes. */
import { Node, show } from "../reader";
import type { FaultConfig, HttpPolicyConfig, RetriesConfig } from "../policy";

export const HTTP_POLICY_KEYS = ["fault", "retries", "timeout"];

/** Envoy's retry conditions Istio accepts in `retryOn` (besides HTTP status codes). */
export const RETRY_ON = [
    "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited", "retriable-4xx", "refused-stream",
    "retriable-status-codes", "retriable-headers", "http3-post-connect-failure", "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
];

/** `percentage: 50` or Istio's own `percentage: {value: 50}`; 0–100. */
function percentage(n: Node): number {
    const v = n.value && typeof n.value === "object" && !Array.isArray(n.value) ? (n.object(["value"]), n.child("value")) : n;
    if (!v.isSet) {
        n.problems.add(n.path, `is required: the share of requests affected, 0 to 100`);
        return 0;
    }
    return v.number(0, { min: 0, max: 100 });
}

function parseFault(n: Node): FaultConfig | undefined {
    if (!n.isSet || !n.object(["delay", "abort"])) return undefined;
    const delayN = n.child("delay");
    const abortN = n.child("abort");
    if (!delayN.isSet && !abortN.isSet) n.problems.add(n.path, `needs delay and/or abort`);
    let delay: FaultConfig["delay"];
    if (delayN.isSet && delayN.object(["fixedDelay", "percentage"])) {
        if (!delayN.child("fixedDelay").isSet) n.problems.add(`${delayN.path}.fixedDelay`, `is required, e.g. "10s"`);
        delay = { fixedDelay: delayN.child("fixedDelay").duration() ?? "0s", percentage: percentage(delayN.child("percentage")) };
    }
    let abort: FaultConfig["abort"];
    if (abortN.isSet && abortN.object(["httpStatus", "percentage"])) {
        if (!abortN.child("httpStatus").isSet) n.problems.add(`${abortN.path}.httpStatus`, `is required, e.g. 500`);
        abort = { httpStatus: abortN.child("httpStatus").int(500, { min: 200, max: 600 }), percentage: percentage(abortN.child("percentage")) };
    }
    return { ...(delay ? { delay } : {}), ...(abort ? { abort } : {}) };
}

function parseRetries(n: Node): RetriesConfig | undefined {
    if (!n.isSet || !n.object(["attempts", "perTryTimeout", "retryOn"])) return undefined;
    if (!n.child("attempts").isSet) n.problems.add(`${n.path}.attempts`, `is required, e.g. 3 (the course's "retry 3 times")`);
    const attempts = n.child("attempts").int(0, { min: 0 });
    const perTryTimeout = n.child("perTryTimeout").duration();
    const retryOn = n.child("retryOn").optionalString();
    if (attempts === 0 && (perTryTimeout !== undefined || retryOn !== undefined)) {
        n.problems.add(`${n.path}.attempts`, `is 0 (retries off) but perTryTimeout/retryOn are set, which Istio rejects; set attempts > 0 or remove them`);
    }
    for (const cond of (retryOn ?? "").split(",").map((c) => c.trim()).filter(Boolean)) {
        if (!RETRY_ON.includes(cond) && !/^[1-5]\d\d$/.test(cond)) {
            n.problems.add(`${n.path}.retryOn`, `${show(cond)} is not a retry condition; use HTTP status codes or: ${RETRY_ON.join(", ")}`);
        }
    }
    return { attempts, ...(perTryTimeout ? { perTryTimeout } : {}), ...(retryOn ? { retryOn } : {}) };
}

/** Reads fault/retries/timeout from the object at `n` (whose other keys the caller checks). */
export function parseHttpPolicy(n: Node): HttpPolicyConfig {
    const fault = parseFault(n.child("fault"));
    const retries = parseRetries(n.child("retries"));
    const timeout = n.child("timeout").duration();
    return { ...(fault ? { fault } : {}), ...(retries ? { retries } : {}), ...(timeout ? { timeout } : {}) };
}

export function hasHttpPolicy(p: HttpPolicyConfig): boolean {
    return p.fault !== undefined || p.retries !== undefined || p.timeout !== undefined;
}
