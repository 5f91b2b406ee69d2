import { durationProblem } from "../../config/duration";
import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { Spec, webhookFinding, WebhookRule } from "./rule";

/** Duration fields Istio validates (at least 1ms, whole milliseconds). */
const DURATION_FIELDS = new Set(["fixedDelay", "timeout", "perTryTimeout", "interval", "baseEjectionTime", "connectTimeout", "idleTimeout", "ttl"]);

function walk(v: unknown, path: string, visit: (key: string, value: unknown, path: string) => void): void {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, visit));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v as Spec)) (visit(k, x, `${path}.${k}`), walk(x, `${path}.${k}`, visit));
}

export const durations: WebhookRule = {
    code: "WH003",
    name: "durations",
    check(o: K8sObject): Finding[] {
        if (!["VirtualService", "DestinationRule"].includes(o.kind)) return [];
        const out: Finding[] = [];
        walk(o.spec, "spec", (key, value, path) => {
            if (!DURATION_FIELDS.has(key)) return;
            const problem = durationProblem(value);
            if (problem) out.push(webhookFinding(this, o, path, problem, 'write a duration of at least 1ms in whole milliseconds, e.g. "10s" or "250ms"'));
        });
        return out;
    },
};
