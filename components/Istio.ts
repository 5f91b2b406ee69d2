import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshPlan } from "../mesh/plan";
import { DEFAULT_VALIDATOR, HelmChartSpec, VALIDATOR_READY } from "../mesh/istio/charts";
import { applyObject } from "./applyObject";

export interface IstioArgs {
    plan: MeshPlan["istio"];
    provider: k8s.Provider;
}

/**
 * Istio from its official Helm charts: base (CRDs, webhooks) → [Gateway API CRDs] → istiod → ingress
 * gateway; on the ambient data plane base → Gateway API CRDs → istiod → cni → ztunnel → ingress
 * gateway, the Helm guide's order.
 * helm.v4.Chart renders each chart into individual resources, so a preview diffs object by object,
 * and a resource that depends on a v4 Chart waits until every object of the chart is ready
 * (DaemonSets included: ztunnel and istio-cni on every node).
 */
export class Istio extends pulumi.ComponentResource {
    /** Depend on this for anything that needs the CRDs, the injector or the validation webhook. */
    /** The CRDs (and istio-system): what the observability addons wait for. */
    readonly base: k8s.helm.v4.Chart;
    /** With `trafficApi: gateway-api`: the Gateway API CRDs (official release manifest), before istiod. */
    readonly gatewayApiCrds?: k8s.yaml.v2.ConfigFile;
    readonly istiod: k8s.helm.v4.Chart;
    /** Ambient only: the CNI node agent and ztunnel. */
    readonly cni?: k8s.helm.v4.Chart;
    readonly ztunnel?: k8s.helm.v4.Chart;
    /** What workloads wait for: istiod (the injector) on sidecar, ztunnel (and so the CNI agent) on ambient. */
    readonly dataplane: pulumi.Resource;
    readonly gateway: k8s.helm.v4.Chart;
    readonly egressGateway?: k8s.helm.v4.Chart;
    /**
     * Done once istiod has written the CA bundle into its validating webhook: what every Istio resource
     * (DestinationRule, VirtualService, Telemetry, …) waits for, besides istiod itself.
     */
    readonly validation: k8s.admissionregistration.v1.ValidatingWebhookConfigurationPatch;

    constructor(name: string, args: IstioArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:istio:Istio", name, {}, opts);
        const provider = args.provider;
        const namespace = applyObject(args.plan.namespace, { parent: this, provider });
        const chart = (spec: HelmChartSpec, dependsOn: pulumi.Resource[]) =>
            new k8s.helm.v4.Chart(
                spec.release,
                { name: spec.release, chart: spec.chart, version: spec.version, namespace: spec.namespace, repositoryOpts: { repo: spec.repo }, values: spec.values },
                { parent: this, provider, dependsOn },
            );
        this.base = chart(args.plan.base, [namespace]);
        const crds = args.plan.gatewayApiCrds;
        // istiod turns its Gateway API controllers on only if it finds the CRDs when it starts.
        if (crds) this.gatewayApiCrds = new k8s.yaml.v2.ConfigFile(crds.name, { file: crds.url }, { parent: this, provider, dependsOn: [this.base] });
        this.istiod = chart(args.plan.istiod, this.gatewayApiCrds ? [this.base, this.gatewayApiCrds] : [this.base]);
        // Ambient: the CNI agent redirects each pod to ztunnel; ztunnel gets its certificates and config from istiod.
        if (args.plan.cni) this.cni = chart(args.plan.cni, [this.istiod]);
        if (args.plan.ztunnel) this.ztunnel = chart(args.plan.ztunnel, [this.istiod, ...(this.cni ? [this.cni] : [])]);
        this.dataplane = this.ztunnel ?? this.istiod;
        // The gateway's image is `auto`, filled in by istiod's injector: it needs istiod running (and, on ambient, the node agents).
        this.gateway = chart(args.plan.gateway, [this.dataplane]);
        if (args.plan.egressGateway) this.egressGateway = chart(args.plan.egressGateway, [this.istiod]);
        // istiod is Ready before its webhook controller has patched the CA bundle in (charts.ts
        // DEFAULT_VALIDATOR): a patch that adds only this annotation, under its own field manager, and
        // whose create waits for the bundle. Nothing else of the webhook is touched.
        this.validation = new k8s.admissionregistration.v1.ValidatingWebhookConfigurationPatch(
            `${DEFAULT_VALIDATOR}-ready`,
            { metadata: { name: DEFAULT_VALIDATOR, annotations: { "pulumi.com/waitFor": VALIDATOR_READY } } },
            { parent: this, provider, dependsOn: [this.istiod] },
        );
        this.registerOutputs({});
    }
}
