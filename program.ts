/**
 * The whole lab for one validated config: cluster → Istio → injected namespace → workloads and
 * traffic policies. Kept apart from index.ts so tests and render can run it with any config.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Addons } from "./components/Addons";
import { deletedWith } from "./components/clusterLifetime";
import { AppImage } from "./components/AppImage";
import { IngressGatewayAddress } from "./components/IngressGatewayAddress";
import { Istio } from "./components/Istio";
import { Waypoints } from "./components/Waypoints";
import { TrafficPolicies } from "./components/TrafficPolicies";
import { WorkloadNamespace } from "./components/WorkloadNamespace";
import { Workloads } from "./components/Workloads";
import type { MeshConfig } from "./config/types";
import { buildPlan } from "./mesh/plan";
import { clusterFor } from "./stacks/cluster";
import { machine } from "./stacks/machine";
import { labCommands } from "./mesh/commands";
import { externalHttpPort } from "./mesh/ingress/externalAddress";
import { dashboardOutputs } from "./mesh/addons/plan";
import type { DashboardAccess } from "./mesh/addons/access";

export interface LabOutputs {
    ingressUrl: pulumi.Input<string>;
    kubeconfig: pulumi.Output<string>;
    clusterName: string;
    kubeContext: string;
    namespace: string;
    commands: pulumi.Output<Record<string, string>>;
    /** Per enabled addon: `kubectl port-forward` command, local URL and (if exposed) URL by host. */
    dashboards: Record<string, DashboardAccess>;
    /** Grafana's admin password (secret) when Grafana asks for a login. */
    grafanaAdminPassword?: pulumi.Output<string>;
}

/** Root of every resource the program registers. */
export class Lab extends pulumi.ComponentResource {
    readonly outputs: LabOutputs;

    constructor(name: string, cfg: MeshConfig, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:index:Lab", name, {}, opts);
        const plan = buildPlan(cfg);
        const cluster = clusterFor(cfg, this);
        const provider = cluster.provider;
        // What goes into the cluster: on a cluster the stack owns, deleted with it (components/clusterLifetime.ts).
        const inCluster: pulumi.ComponentResourceOptions = cluster.lifetime ? { parent: this, transformations: [deletedWith(cluster.lifetime)] } : { parent: this };

        const istio = new Istio("istio", { plan: plan.istio, provider }, inCluster);
        const namespace = new WorkloadNamespace(cfg.namespace.name, { namespace: plan.workloadNamespace, existing: cfg.namespace.existing, provider }, inCluster);
        // Only images some workload runs are built (a build needs Docker), with the daemon the Docker CLI uses.
        const builds = Object.values(cfg.images).filter((img) => img.kind === "build" && cfg.workloads.some((w) => w.appImage === img.app));
        const endpoint = builds.length > 0 ? machine().dockerEndpoint() : undefined;
        const dockerProvider = builds.length > 0 ? new docker.Provider("docker", endpoint ? { host: endpoint.host, ...(endpoint.certPath ? { certPath: endpoint.certPath } : {}) } : {}, { parent: this }) : undefined;
        const images = builds.flatMap((img) =>
            img.kind === "build"
                ? [new AppImage(img.app, { image: img, registry: cluster.imageRegistry, provider, namespace: cfg.namespace.name, dependsOn: [namespace.resource], docker: dockerProvider! }, inCluster).use]
                : [],
        );
        // Ambient: the waypoint is up before the Services that send their traffic through it.
        const waypoints = plan.ambient?.waypoints.length
            ? [new Waypoints("waypoints", { gateways: plan.ambient.waypoints, provider, dependsOn: [istio.istiod, namespace.resource] }, inCluster)]
            : [];
        new Workloads("workloads", { objects: plan.workloads, provider, dependsOn: [istio.dataplane, namespace.resource, ...waypoints], images }, inCluster);
        new TrafficPolicies("traffic", { policies: plan.trafficPolicies, provider, dependsOn: [istio.istiod, istio.validation, namespace.resource] }, inCluster);
        // Addons wait for the base chart only; nothing waits for them (never in the workloads' path).
        const addons = new Addons("addons", { plan: plan.addons, provider, base: istio.base, istiod: istio.istiod, validation: istio.validation }, inCluster);
        // On a cloud cluster the gateway's address is the load balancer's, known once it is assigned.
        const ingressUrl =
            cluster.ingressUrl ??
            new IngressGatewayAddress(
                `${cfg.istio.gatewayRelease}-address`,
                { namespace: cfg.istio.namespace, service: cfg.istio.gatewayRelease, port: externalHttpPort(cfg), provider, gateway: istio.gateway },
                inCluster,
            ).url;

        this.outputs = {
            ingressUrl,
            kubeconfig: cluster.kubeconfig,
            clusterName: cluster.clusterName,
            kubeContext: cluster.kubeContext,
            namespace: cfg.namespace.name,
            commands: pulumi.output(ingressUrl).apply((url) => labCommands(cfg, cluster.kubeContext, url)),
            dashboards: dashboardOutputs(cfg, plan.addons, cluster.kubeContext),
            ...(addons.grafanaAdminPassword ? { grafanaAdminPassword: addons.grafanaAdminPassword } : {}),
        };
        this.registerOutputs({ ingressUrl: this.outputs.ingressUrl, clusterName: this.outputs.clusterName });
    }
}
