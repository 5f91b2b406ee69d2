/** A rule of Istio's validating webhook (pkg/config/validation) that the CRD schema cannot express. */
import type { K8sObject } from "../../mesh/objects";
import { Finding, resourceName } from "../finding";

export interface WebhookRule {
    code: string;
    name: string;
    check(o: K8sObject): Finding[];
}

export function webhookFinding(rule: { code: string }, o: K8sObject, path: string, message: string, fix: string): Finding {
    return { code: rule.code, severity: "error", resource: resourceName(o), path, message: `Istio's webhook would reject this: ${message}`, fix };
}

export type Spec = Record<string, any>;

/** `spec.http[i]` entries of a VirtualService, with their paths. */
export function httpRoutesOf(o: K8sObject): [Spec, string][] {
    if (o.kind !== "VirtualService") return [];
    return (((o.spec as Spec).http ?? []) as Spec[]).map((r, i) => [r, `spec.http[${i}]`]);
}

/** The DestinationRule's host-wide traffic policy and each subset's, with their paths. */
export function trafficPoliciesOf(o: K8sObject): [Spec, string][] {
    if (o.kind !== "DestinationRule") return [];
    const spec = o.spec as Spec;
    const out: [Spec, string][] = [];
    if (spec.trafficPolicy) out.push([spec.trafficPolicy, "spec.trafficPolicy"]);
    ((spec.subsets ?? []) as Spec[]).forEach((s, i) => s.trafficPolicy && out.push([s.trafficPolicy, `spec.subsets[${i}].trafficPolicy`]));
    return out;
}
