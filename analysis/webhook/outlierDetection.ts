import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { trafficPoliciesOf, webhookFinding, WebhookRule } from "./rule";

/** maxEjectionPercent and minHealthPercent are percentages: 0–100. */
export const outlierDetection: WebhookRule = {
    code: "WH005",
    name: "outlier detection",
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        for (const [tp, path] of trafficPoliciesOf(o)) {
            for (const field of ["maxEjectionPercent", "minHealthPercent"]) {
                const v = tp.outlierDetection?.[field];
                if (typeof v === "number" && (v < 0 || v > 100)) out.push(webhookFinding(this, o, `${path}.outlierDetection.${field}`, `${field} ${v} is outside 0–100`, "give a percentage from 0 to 100"));
            }
        }
        return out;
    },
};
