/**
 * Everything the program deploys for a config, as plain objects grouped in the order the platform
 * needs them. The components only turn this into resources; render and tests read it directly.
 */
import type { MeshConfig } from "../config/types";
import { AddonsPlan, addonsPlan } from "./addons/plan";
import { deployment, indexHtmlConfigMap } from "./kubernetes/Deployment";
import { controlPlaneNamespace, workloadNamespace } from "./kubernetes/Namespace";
import { service } from "./kubernetes/Service";
import { baseChart, gatewayChart, HelmChartSpec, istiodChart } from "./istio/charts";
import { destinationRule } from "./istio/DestinationRule";
import { gateway } from "./istio/Gateway";
import { ingressVirtualService, meshVirtualService } from "./istio/VirtualService";
import { K8sObject } from "./objects";

export interface MeshPlan {
    istio: { namespace: K8sObject; base: HelmChartSpec; istiod: HelmChartSpec; gateway: HelmChartSpec };
    /** Labelled for injection before any workload exists. */
    workloadNamespace: K8sObject;
    /** ConfigMaps, Deployments and Services: injected, so they wait for istiod and the label. */
    workloads: K8sObject[];
    /** Istio custom resources: they wait for istiod's validation webhook. */
    trafficPolicies: {
        destinationRules: K8sObject[];
        /** Each VirtualService waits for the DestinationRule declaring the subsets it names. */
        virtualServices: K8sObject[];
        gateways: K8sObject[];
    };
    /** Observability addons in the control-plane namespace: after the base chart, never in the workloads' path. */
    addons: AddonsPlan;
}

const defined = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

export function buildPlan(cfg: MeshConfig): MeshPlan {
    const ns = cfg.namespace.name;
    const byName = new Map(cfg.services.map((s) => [s.name, s]));
    return {
        istio: { namespace: controlPlaneNamespace(cfg.istio.namespace), base: baseChart(cfg), istiod: istiodChart(cfg), gateway: gatewayChart(cfg) },
        workloadNamespace: workloadNamespace(cfg.namespace),
        workloads: [
            ...defined(cfg.workloads.map((w) => indexHtmlConfigMap(w, ns))),
            ...cfg.workloads.map((w) => deployment(w, ns)),
            ...cfg.services.map((s) => service(s, ns)),
        ],
        trafficPolicies: {
            destinationRules: defined(cfg.services.map((s) => destinationRule(s, ns))),
            virtualServices: [
                ...defined(cfg.services.map((s) => meshVirtualService(s, ns))),
                ...cfg.ingress.virtualServices.map((r) => ingressVirtualService(r, cfg.ingress, byName.get(r.service)!, ns)),
            ],
            gateways: cfg.ingress.virtualServices.length > 0 ? [gateway(cfg.ingress, ns)] : [],
        },
        addons: addonsPlan(cfg),
    };
}

/** Hosts (services) whose subsets a VirtualService's routes name: its DestinationRules must exist first. */
export function referencedHosts(vs: K8sObject): string[] {
    const spec = vs.spec as { http?: { route?: { destination?: { host?: string; subset?: string } }[] }[] };
    const hosts = new Set<string>();
    for (const h of spec.http ?? []) for (const r of h.route ?? []) if (r.destination?.host && r.destination.subset) hosts.add(r.destination.host);
    return [...hosts];
}
