import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { K8sObject } from "../mesh/objects";
import { applyObject } from "./applyObject";
import { BuiltImageUse, useBuiltImages } from "./builtImages";

export interface WorkloadsArgs {
    objects: K8sObject[];
    provider: k8s.Provider;
    /** Sidecars are injected at pod creation: istiod and the namespace label must be in place first. */
    dependsOn: pulumi.Resource[];
    /** Images the program built (AppImage): substituted into the Deployments that run them, which wait for them. */
    images?: BuiltImageUse[];
}

/** The demo workloads (ConfigMaps, Deployments, Services) in the injected namespace. */
export class Workloads extends pulumi.ComponentResource {
    readonly resources: pulumi.CustomResource[];

    constructor(name: string, args: WorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:workloads:Workloads", name, {}, opts);
        this.resources = args.objects.map((o) => {
            const { object, dependsOn } = useBuiltImages(o, args.images ?? []);
            return applyObject(object, { parent: this, provider: args.provider, dependsOn: [...args.dependsOn, ...dependsOn] });
        });
        this.registerOutputs({});
    }
}
