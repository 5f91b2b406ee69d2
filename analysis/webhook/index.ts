import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { consistentHash } from "./consistentHash";
import { durations } from "./durations";
import { faultInjection } from "./fault";
import { outlierDetection } from "./outlierDetection";
import { retries } from "./retries";
import { routeWeights } from "./routeWeights";
import type { WebhookRule } from "./rule";

export const WEBHOOK_RULES: WebhookRule[] = [routeWeights, faultInjection, durations, retries, outlierDetection, consistentHash];

/** The checks Istio's validating webhook makes that a CRD schema cannot. */
export function webhookFindings(objects: K8sObject[]): Finding[] {
    return objects.flatMap((o) => WEBHOOK_RULES.flatMap((r) => r.check(o)));
}
