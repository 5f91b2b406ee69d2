import { durationProblem } from "../../config/duration";
import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { Spec, webhookFinding, WebhookRule } from "./rule";

/** Duration fields Istio validates (at least 1ms, whole milliseconds). */
const DURATION_FIELDS = new Set(["fixedDelay", "timeout", "perTryTimeout", "interval", "baseEjectionTime", "connectTimeout", "idleTimeout", "ttl"]);

/** A path kept as its keys and indexes, spelled out only for a finding. */
type Segments = (string | number)[];
const spell = (root: string, segs: Segments): string => root + segs.map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`)).join("");

/**
 * Every key of every object under `v`, at any depth. Plain loops, no per-node closure, entry array or
 * path string (one shared stack of segments): this runs over every VirtualService and DestinationRule,
 * hundreds of thousands of keys at 10,000 services.
 */
function walk(v: unknown, segs: Segments, visit: (key: string, value: unknown, segs: Segments) => void): void {
    if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
            const x = v[i];
            if (x && typeof x === "object") {
                segs.push(i);
                walk(x, segs, visit);
                segs.pop();
            }
        }
    } else if (v && typeof v === "object") {
        for (const k of Object.keys(v)) {
            const x = (v as Spec)[k];
            segs.push(k);
            visit(k, x, segs);
            if (x && typeof x === "object") walk(x, segs, visit);
            segs.pop();
        }
    }
}

export const durations: WebhookRule = {
    code: "WH003",
    name: "durations",
    check(o: K8sObject): Finding[] {
        if (o.kind !== "VirtualService" && o.kind !== "DestinationRule") return [];
        const out: Finding[] = [];
        walk(o.spec, [], (key, value, segs) => {
            if (!DURATION_FIELDS.has(key)) return;
            const problem = durationProblem(value);
            if (problem) out.push(webhookFinding(this, o, spell("spec", segs), problem, 'write a duration of at least 1ms in whole milliseconds, e.g. "10s" or "250ms"'));
        });
        return out;
    },
};
