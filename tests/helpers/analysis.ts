import { analyzePlan, gatewayWorkloads, planObjects } from "../../analysis";
import { analyzerFindings } from "../../analysis/analyzers";
import { AnalysisContext } from "../../analysis/context";
import type { Finding } from "../../analysis/finding";
import { parseConfig } from "../../config/parse";
import { buildPlan } from "../../mesh/plan";
import type { K8sObject } from "../../mesh/objects";

/** Findings (webhook + analyzers, no schema) for a raw dev config. */
export function findingsFor(raw: Record<string, unknown> = {}): Finding[] {
    const cfg = parseConfig(raw, "dev");
    return analyzePlan(cfg, buildPlan(cfg));
}

/** The default plan's objects, modified by `edit`, then analyzed: for states config cannot produce. */
export function analyzeEdited(edit: (objects: K8sObject[]) => K8sObject[], raw: Record<string, unknown> = {}): Finding[] {
    const cfg = parseConfig(raw, "dev");
    const plan = buildPlan(cfg);
    const objects = edit(structuredClone(planObjects(plan)));
    return analyzerFindings(new AnalysisContext(objects, gatewayWorkloads(cfg, plan)));
}

export const codes = (fs: Finding[]): string[] => fs.map((f) => f.code);

export function obj(objects: K8sObject[], kind: string, name: string): any {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`no ${kind} ${name}`);
    return o;
}
