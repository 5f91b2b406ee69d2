/**
 * The Kubernetes API layer: every rendered Kubernetes object (not Istio's: analysis/schema.ts)
 * against the OpenAPI field types and the apimachinery rules the API server applies.
 */
import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { configMapData } from "./configMap";
import { envVars } from "./env";
import { containerImages } from "./image";
import { labelsAndAnnotations } from "./labels";
import { objectNames } from "./names";
import { openApiFindings } from "./openapi";
import { ports } from "./ports";
import { resourceRequirements } from "./resources";
import type { ApiRule } from "./rule";

export const API_RULES: ApiRule[] = [objectNames, labelsAndAnnotations, ports, envVars, resourceRequirements, containerImages, configMapData];

/** The rules for each kind, looked up once per kind rather than filtered per object. */
const rulesByKind = new Map<string, ApiRule[]>();
function rulesFor(kind: string): ApiRule[] {
    let rules = rulesByKind.get(kind);
    if (!rules) rulesByKind.set(kind, (rules = API_RULES.filter((r) => !r.kinds || r.kinds.includes(kind))));
    return rules;
}

export function apiRuleFindings(objects: K8sObject[]): Finding[] {
    const out: Finding[] = [];
    for (const o of objects) for (const r of rulesFor(o.kind)) for (const f of r.check(o)) out.push(f);
    return out;
}

export async function kubernetesFindings(objects: K8sObject[]): Promise<Finding[]> {
    return [...(await openApiFindings(objects)), ...apiRuleFindings(objects)];
}
