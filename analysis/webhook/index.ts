import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { consistentHash } from "./consistentHash";
import { durations } from "./durations";
import { faultInjection } from "./fault";
import { outlierDetection } from "./outlierDetection";
import { retries } from "./retries";
import { routeWeights } from "./routeWeights";
import type { WebhookRule } from "./rule";
import { authorizationSources } from "./authorizationPolicy";
import { regexes } from "./regex";

export const WEBHOOK_RULES: WebhookRule[] = [routeWeights, faultInjection, durations, retries, outlierDetection, consistentHash, regexes, authorizationSources];

/** The checks Istio's validating webhook makes that a CRD schema cannot. */
export function webhookFindings(objects: K8sObject[]): Finding[] {
    const out: Finding[] = [];
    for (const o of objects) {
        // Only Istio's routing and security kinds carry what these rules check.
        if (o.kind !== "VirtualService" && o.kind !== "DestinationRule" && o.kind !== "AuthorizationPolicy") continue;
        for (const r of WEBHOOK_RULES) for (const f of r.check(o)) out.push(f);
    }
    return out;
}
