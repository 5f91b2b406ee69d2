/** Puts images the program built into the plan's Deployments, at apply time. */
import * as pulumi from "@pulumi/pulumi";
import type { K8sObject } from "../mesh/objects";

export interface BuiltImageUse {
    /** The reference the plan's Deployments name (BuiltAppImage.ref). */
    planRef: string;
    /** What pods run: the same on k3d, the pushed `<repository>:<tag>` with a registry. */
    image: pulumi.Input<string>;
    /** Deployments wait for these (the k3d import, or the push and its pull Secret). */
    dependsOn: pulumi.Resource[];
    /** docker-registry Secret for pods to pull with. */
    pullSecret?: string;
}

type PodSpec = { containers: { image: unknown }[]; imagePullSecrets?: { name: string }[] };

/** The object with built images substituted (unchanged if it runs none of them), and what it must wait for. */
export function useBuiltImages(obj: K8sObject, uses: BuiltImageUse[]): { object: K8sObject; dependsOn: pulumi.Resource[] } {
    if (obj.kind !== "Deployment") return { object: obj, dependsOn: [] };
    const pod = (obj.spec as { template: { spec: PodSpec } }).template.spec;
    const used = uses.filter((u) => pod.containers.some((c) => c.image === u.planRef));
    if (used.length === 0) return { object: obj, dependsOn: [] };
    const secrets = [...new Set(used.flatMap((u) => (u.pullSecret ? [u.pullSecret] : [])))];
    const spec = obj.spec as { template: Record<string, unknown> };
    const podSpec: PodSpec = {
        ...pod,
        containers: pod.containers.map((c) => ({ ...c, image: used.find((u) => u.planRef === c.image)?.image ?? c.image })),
        ...(secrets.length > 0 ? { imagePullSecrets: [...(pod.imagePullSecrets ?? []), ...secrets.map((name) => ({ name }))] } : {}),
    };
    return {
        object: { ...obj, spec: { ...spec, template: { ...spec.template, spec: podSpec } } },
        dependsOn: used.flatMap((u) => u.dependsOn),
    };
}
