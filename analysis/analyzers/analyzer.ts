/** A cross-resource check, like one of istioctl analyze's analyzers or Kiali's checkers. */
import type { AnalysisContext, Spec } from "../context";
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

/**
 * Each DestinationRule whose host has pods this program deploys, with its subsets and those pods. A
 * host the program does not deploy, or a Service with no pods (MESH006's case), gives nothing: one
 * error per mistake.
 */
export function* destinationRulesWithPods(ctx: AnalysisContext): Generator<{ dr: K8sObject; host: string; subsets: Spec[]; pods: NonNullable<ReturnType<AnalysisContext["podsOf"]>> }> {
    for (const dr of ctx.of("DestinationRule")) {
        const spec = dr.spec as Spec;
        const pods = ctx.podsOf(spec.host, ns(dr));
        if (!pods || pods.length === 0) continue;
        yield { dr, host: spec.host as string, subsets: (spec.subsets ?? []) as Spec[], pods };
    }
}
