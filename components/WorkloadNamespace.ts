import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { K8sObject } from "../mesh/objects";
import { applyObject } from "./applyObject";

export interface WorkloadNamespaceArgs {
    namespace: K8sObject;
    /** An existing namespace (e.g. `default`) is only labelled: never owned, never deleted. */
    existing: boolean;
    provider: k8s.Provider;
}

/** The namespace the workloads run in, labelled `istio-injection=enabled` (ambient: `istio.io/dataplane-mode=ambient`). */
export class WorkloadNamespace extends pulumi.ComponentResource {
    readonly resource: pulumi.CustomResource;
    readonly name: string;

    constructor(name: string, args: WorkloadNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:workloads:WorkloadNamespace", name, {}, opts);
        const ns = args.namespace;
        this.name = ns.metadata.name;
        this.resource = args.existing
            ? // Server-side apply of just the label under our own field manager; on destroy the label is
              // removed and the namespace stays. patchForce: the label may have been set by hand (course).
              new k8s.core.v1.NamespacePatch(
                  ns.metadata.name,
                  { metadata: { name: ns.metadata.name, labels: ns.metadata.labels, annotations: { "pulumi.com/patchForce": "true" } } },
                  { parent: this, provider: args.provider },
              )
            : applyObject(ns, { parent: this, provider: args.provider });
        this.registerOutputs({ name: this.name });
    }
}
