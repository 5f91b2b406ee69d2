/** A cross-resource check, like one of istioctl analyze's analyzers or Kiali's checkers. */
import type { AnalysisContext } from "../context";
import type { Finding, Severity } from "../finding";
import type { K8sObject } from "../../mesh/objects";
import { resourceName } from "../finding";

export interface Analyzer {
    code: string;
    name: string;
    analyze(ctx: AnalysisContext): Finding[];
}

export function finding(a: { code: string }, severity: Severity, o: K8sObject, path: string, message: string, fix: string): Finding {
    return { code: a.code, severity, resource: resourceName(o), path, message, fix };
}

export const ns = (o: K8sObject): string => o.metadata.namespace ?? "default";
