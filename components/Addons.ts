import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AddonsPlan } from "../mesh/addons/plan";
import { applyObject } from "./applyObject";

export interface AddonsArgs {
    plan: AddonsPlan;
    provider: k8s.Provider;
    /** Istio's base chart (CRDs, istio-system): the charts and Jaeger wait for it, and only for it. */
    base: pulumi.Resource;
    /** istiod: Telemetry and the exposure Gateway/VirtualServices go through its validation webhook. */
    istiod: pulumi.Resource;
}

/**
 * Prometheus, Grafana, Kiali (official Helm charts), Jaeger (typed objects), the mesh-wide Telemetry
 * and the optional exposure by host. Nothing outside depends on this component: a slow or failing
 * addon never holds up the workloads or their traffic policies.
 */
export class Addons extends pulumi.ComponentResource {
    constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:addons:Addons", name, {}, opts);
        const base = { parent: this, provider: args.provider };
        for (const spec of args.plan.charts) {
            new k8s.helm.v4.Chart(
                spec.release,
                {
                    name: spec.release,
                    chart: spec.chart,
                    version: spec.version,
                    namespace: spec.namespace,
                    repositoryOpts: { repo: spec.repo },
                    // A user's signing key or password must not land in the state in clear text.
                    values: spec.secretValues ? pulumi.secret(spec.values) : spec.values,
                },
                { ...base, dependsOn: [args.base] },
            );
        }
        for (const o of args.plan.objects) applyObject(o, { ...base, dependsOn: [args.base] });
        for (const o of args.plan.istioResources) applyObject(o, { ...base, dependsOn: [args.istiod] });
        this.registerOutputs({});
    }
}
