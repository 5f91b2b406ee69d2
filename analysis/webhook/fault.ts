import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { httpRoutesOf, webhookFinding, WebhookRule } from "./rule";

/** Fault percentages in [0, 100]; abort status in 200–600; a fault needs a delay or an abort. */
export const faultInjection: WebhookRule = {
    code: "WH002",
    name: "fault injection",
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        for (const [http, path] of httpRoutesOf(o)) {
            const f = http.fault;
            if (!f) continue;
            if (!f.delay && !f.abort) out.push(webhookFinding(this, o, `${path}.fault`, "a fault needs a delay or an abort", "add fault.delay {fixedDelay, percentage} or fault.abort {httpStatus, percentage}, or remove fault"));
            for (const kind of ["delay", "abort"] as const) {
                const v = f[kind]?.percentage?.value;
                if (typeof v === "number" && (v < 0 || v > 100)) out.push(webhookFinding(this, o, `${path}.fault.${kind}.percentage.value`, `percentage ${v} is outside [0, 100]`, "give a percentage from 0 to 100"));
            }
            const status = f.abort?.httpStatus;
            if (typeof status === "number" && (status < 200 || status > 600)) {
                out.push(webhookFinding(this, o, `${path}.fault.abort.httpStatus`, `HTTP status ${status} is outside 200–600`, "use an HTTP status such as 500 or 503"));
            }
        }
        return out;
    },
};
