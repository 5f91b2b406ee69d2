import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { withValueAt } from "../mesh/addons/generatedSecrets";
import type { AddonChart, AddonsPlan } from "../mesh/addons/plan";
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
    /** Grafana's admin password (the user's or generated), a secret; undefined when Grafana is anonymous or off. */
    readonly grafanaAdminPassword?: pulumi.Output<string>;

    constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:addons:Addons", name, {}, opts);
        const base = { parent: this, provider: args.provider };
        // Alphanumeric: the values land in Helm values and env vars, where quoting is easy to get wrong.
        // Generated once and kept in the state, so every `up` renders the same key and password.
        const generated = new Map(
            args.plan.charts.flatMap((c) => c.generated).map((g) => [g.name, new random.RandomPassword(g.name, { length: g.length, special: false }, { parent: this }).result]),
        );
        const valuesOf = (spec: AddonChart): pulumi.Output<Record<string, unknown>> =>
            pulumi.all(spec.generated.map((g) => generated.get(g.name)!)).apply((results) => spec.generated.reduce((v, g, i) => withValueAt(v, g.path, results[i]), spec.values));
        const chartValues = new Map(args.plan.charts.map((c) => [c.release, valuesOf(c)]));
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
                    values: spec.secretValues ? pulumi.secret(chartValues.get(spec.release)!) : chartValues.get(spec.release)!,
                },
                { ...base, dependsOn: [args.base] },
            );
        }
        for (const o of args.plan.objects) applyObject(o, { ...base, dependsOn: [args.base] });
        for (const o of args.plan.istioResources) applyObject(o, { ...base, dependsOn: [args.istiod] });
        const at = args.plan.grafanaAdminPassword;
        if (at) this.grafanaAdminPassword = pulumi.secret(chartValues.get(at.release)!.apply((v) => at.path.reduce<unknown>((x, k) => (x as Record<string, unknown>)[k], v) as string));
        this.registerOutputs({ grafanaAdminPassword: this.grafanaAdminPassword });
    }
}
