/**
 * A rule the Kubernetes API server applies to an object (apimachinery validation) that no OpenAPI
 * schema holds: name formats, label keys, port names, quantities, image references, sizes.
 */
import type { K8sObject } from "../../mesh/objects";
import { Finding, resourceName } from "../finding";

export interface ApiRule {
    code: string;
    name: string;
    /** Kinds it applies to; undefined = every kind. */
    kinds?: readonly string[];
    check(o: K8sObject): Finding[];
}

export function apiFinding(rule: { code: string }, o: K8sObject, path: string, message: string, fix: string): Finding {
    return { code: rule.code, severity: "error", resource: resourceName(o), path, message: `the Kubernetes API server would reject this: ${message}`, fix };
}

export type Spec = Record<string, any>;

/** The pod template's containers of a Deployment, with their paths. */
export function containersOf(o: K8sObject): [Spec, string][] {
    if (o.kind !== "Deployment") return [];
    const pod = ((o.spec as Spec)?.template?.spec ?? {}) as Spec;
    return [
        ...((pod.initContainers ?? []) as Spec[]).map((c, i): [Spec, string] => [c, `spec.template.spec.initContainers[${i}]`]),
        ...((pod.containers ?? []) as Spec[]).map((c, i): [Spec, string] => [c, `spec.template.spec.containers[${i}]`]),
    ];
}
