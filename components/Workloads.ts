import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { K8sObject } from "../mesh/objects";
import { applyObject } from "./applyObject";

export interface WorkloadsArgs {
    objects: K8sObject[];
    provider: k8s.Provider;
    /** Sidecars are injected at pod creation: istiod and the namespace label must be in place first. */
    dependsOn: pulumi.Resource[];
}

/** The demo workloads (ConfigMaps, Deployments, Services) in the injected namespace. */
export class Workloads extends pulumi.ComponentResource {
    readonly resources: pulumi.CustomResource[];

    constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:workloads:Workloads", name, {}, opts);
        this.resources = args.objects.map((o) => applyObject(o, { parent: this, provider: args.provider, dependsOn: args.dependsOn }));
        this.registerOutputs({});
    }
}
