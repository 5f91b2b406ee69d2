import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { httpRoutesOf, webhookFinding, WebhookRule } from "./rule";

/** attempts >= 0; with attempts 0 (retries off), perTryTimeout and retryOn are rejected. */
export const retries: WebhookRule = {
    code: "WH004",
    name: "retries",
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        for (const [http, path] of httpRoutesOf(o)) {
            const r = http.retries;
            if (!r) continue;
            if (typeof r.attempts === "number" && r.attempts < 0) out.push(webhookFinding(this, o, `${path}.retries.attempts`, `attempts ${r.attempts} is negative`, "use 0 (no retries) or more"));
            if (r.attempts === 0 && (r.perTryTimeout !== undefined || r.retryOn !== undefined)) {
                out.push(webhookFinding(this, o, `${path}.retries`, "attempts is 0 but perTryTimeout/retryOn are set", "set attempts above 0, or remove perTryTimeout and retryOn"));
            }
        }
        return out;
    },
};
