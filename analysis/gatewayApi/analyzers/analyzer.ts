/** A cross-object check over a plan's Gateway API objects, like analysis/analyzers/ for Istio's. */
import type { K8sObject } from "../../../mesh/objects";
import { Finding, resourceName, Severity } from "../../finding";
import type { GatewayApiContext } from "../context";

export interface GatewayApiAnalyzer {
    code: string;
    /** Named after the Gateway API condition reason (or Istio's message name) it anticipates. */
    name: string;
    analyze(ctx: GatewayApiContext): Finding[];
}

export function finding(a: { code: string }, severity: Severity, o: K8sObject, path: string, message: string, fix: string): Finding {
    return { code: a.code, severity, resource: resourceName(o), path, message, fix };
}
