import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { K8sObject } from "../mesh/objects";
import { applyObject } from "./applyObject";

export interface WaypointsArgs {
    /** The waypoint Gateways of the ambient plan (mesh/ambient/waypoints.ts). */
    gateways: K8sObject[];
    provider: k8s.Provider;
    /** istiod (it deploys the waypoint and validates Gateways), the Gateway API CRDs, the namespace. */
    dependsOn: pulumi.Resource[];
}

/**
 * The ambient data plane's waypoints: Gateway API Gateways that istiod turns into an Envoy Deployment
 * and Service. Each waits for condition Programmed (its `pulumi.com/waitFor` annotation), so the
 * Services labelled to use it, created after it, never point at a waypoint that is not there yet.
 */
export class Waypoints extends pulumi.ComponentResource {
    readonly resources: pulumi.CustomResource[];

    constructor(name: string, args: WaypointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:ambient:Waypoints", name, {}, opts);
        this.resources = args.gateways.map((g) => applyObject(g, { parent: this, provider: args.provider, dependsOn: args.dependsOn }));
        this.registerOutputs({});
    }
}
