import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { withValueAt } from "../mesh/addons/generatedSecrets";
import type { AddonChart, AddonsPlan } from "../mesh/addons/plan";
import { applyObject } from "./applyObject";

const valueAtPath = (v: Record<string, unknown>, path: string[]): unknown => path.reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], v);

export interface AddonsArgs {
    plan: AddonsPlan;
    provider: k8s.Provider;
    /** Istio's base chart (CRDs, istio-system): the charts and Jaeger wait for it, and only for it. */
    base: pulumi.Resource;
    /** istiod: Telemetry and the exposure Gateway/VirtualServices go through its validation webhook. */
    istiod: pulumi.Resource;
    /** The webhook's CA bundle in place (Istio.validation): Istio resources wait for it too. */
    validation?: pulumi.Resource;
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
        // Each secret sits at its own path as a secret output: the user's wrapped in pulumi.secret, a
        // generated one as RandomPassword.result (secret through @pulumi/random's additionalSecretOutputs).
        // Nothing else is wrapped, so the render (which masks secret values) shows the rest of the values,
        // e.g. Kiali's secret:… references.
        const valuesOf = (spec: AddonChart): Record<string, unknown> => {
            const withGenerated = spec.generated.reduce((v, g) => withValueAt(v, g.path, generated.get(g.name)!), spec.values);
            const generatedPaths = new Set(spec.generated.map((g) => g.path.join(".")));
            return spec.secretPaths.filter((p) => !generatedPaths.has(p.join("."))).reduce((v, p) => withValueAt(v, p, pulumi.secret(valueAtPath(v, p) as string)), withGenerated);
        };
        const chartValues = new Map(args.plan.charts.map((c) => [c.release, valuesOf(c)]));
        const created = new Map<string, k8s.helm.v4.Chart>();
        for (const spec of args.plan.charts) {
            // The plan lists the charts in dependency order (Grafana before the Kiali that reads its Secret).
            const waits = spec.waitsFor.map((r) => created.get(r)).filter((c): c is k8s.helm.v4.Chart => c !== undefined);
            const chart = new k8s.helm.v4.Chart(
                spec.release,
                {
                    name: spec.release,
                    chart: spec.chart,
                    version: spec.version,
                    namespace: spec.namespace,
                    repositoryOpts: { repo: spec.repo },
                    values: chartValues.get(spec.release)!,
                },
                { ...base, dependsOn: [args.base, ...waits] },
            );
            created.set(spec.release, chart);
        }
        for (const o of args.plan.objects) applyObject(o, { ...base, dependsOn: [args.base] });
        for (const o of args.plan.istioResources) applyObject(o, { ...base, dependsOn: [args.istiod, ...(args.validation ? [args.validation] : [])] });
        const at = args.plan.grafanaAdminPassword;
        if (at) this.grafanaAdminPassword = pulumi.secret(pulumi.output(valueAtPath(chartValues.get(at.release)!, at.path) as pulumi.Input<string>));
        this.registerOutputs({ grafanaAdminPassword: this.grafanaAdminPassword });
    }
}
