import { durationProblem } from "../../config/duration";
import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { Spec, webhookFinding, WebhookRule } from "./rule";

/** Duration fields Istio validates (at least 1ms, whole milliseconds). */
const DURATION_FIELDS = new Set(["fixedDelay", "timeout", "perTryTimeout", "interval", "baseEjectionTime", "connectTimeout", "idleTimeout", "ttl"]);

/**
 * Every key of every object under `v`, at any depth. Plain loops and no per-node closure or entry
 * arrays: this runs over every VirtualService and DestinationRule (tens of thousands at 10,000 services).
 */
function walk(v: unknown, path: string, visit: (key: string, value: unknown, path: string) => void): void {
    if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
            const x = v[i];
            if (x && typeof x === "object") walk(x, `${path}[${i}]`, visit);
        }
    } else if (v && typeof v === "object") {
        for (const k of Object.keys(v)) {
            const x = (v as Spec)[k];
            const p = `${path}.${k}`;
            visit(k, x, p);
            if (x && typeof x === "object") walk(x, p, visit);
        }
    }
}

export const durations: WebhookRule = {
    code: "WH003",
    name: "durations",
    check(o: K8sObject): Finding[] {
        if (o.kind !== "VirtualService" && o.kind !== "DestinationRule") return [];
        const out: Finding[] = [];
        walk(o.spec, "spec", (key, value, path) => {
            if (!DURATION_FIELDS.has(key)) return;
            const problem = durationProblem(value);
            if (problem) out.push(webhookFinding(this, o, path, problem, 'write a duration of at least 1ms in whole milliseconds, e.g. "10s" or "250ms"'));
        });
        return out;
    },
};
