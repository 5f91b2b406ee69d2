/**
 * Everything the program deploys for a config, as plain objects grouped in the order the platform
 * needs them. The components only turn this into resources; render and tests read it directly.
 */
import type { MeshConfig, ServiceConfig } from "../config/types";
import { AddonsPlan, addonsPlan } from "./addons/plan";
import { deployment, indexHtmlConfigMap } from "./kubernetes/Deployment";
import { controlPlaneNamespace, workloadNamespace } from "./kubernetes/Namespace";
import { service } from "./kubernetes/Service";
import { baseChart, gatewayChart, HelmChartSpec, istiodChart } from "./istio/charts";
import { destinationRule } from "./istio/DestinationRule";
import { gateway } from "./istio/Gateway";
import { ingressVirtualService, meshVirtualService } from "./istio/VirtualService";
import { K8sObject } from "./objects";
import { serviceAccount } from "./kubernetes/ServiceAccount";
import { egressGatewayChart, egressObjects } from "./istio/egressGateway";
import { externalTimeoutVirtualService, serviceEntry } from "./istio/ServiceEntry";
import { authorizationPolicy } from "./security/AuthorizationPolicy";
import { localRateLimit } from "./security/localRateLimit";
import { peerAuthentication } from "./security/PeerAuthentication";
import { verifyClients } from "./kubernetes/verifyClients";
import { AmbientPlan, ambientPlan } from "./ambient/plan";
import { cniChart, ztunnelChart } from "./istio/ambientCharts";
import { GatewayApiCrdsSpec, gatewayApiCrds } from "./gatewayApi/crds";
import { kubernetesGateway } from "./gatewayApi/Gateway";
import { externalTimeoutHttpRoute, ingressHttpRoute, meshHttpRoute } from "./gatewayApi/routes";
import { versionDestinationRules, versionServices } from "./gatewayApi/versionServices";

export interface MeshPlan {
    istio: {
        namespace: K8sObject;
        base: HelmChartSpec;
        /** With `trafficApi: gateway-api` (and on ambient, whose waypoints are Gateways): the Gateway API CRDs, after the base chart and before istiod. */
        gatewayApiCrds?: GatewayApiCrdsSpec;
        istiod: HelmChartSpec;
        /** Ambient only: the CNI node agent and ztunnel, after istiod and before the gateway. */
        cni?: HelmChartSpec;
        ztunnel?: HelmChartSpec;
        gateway: HelmChartSpec;
        egressGateway?: HelmChartSpec;
    };
    /** Labelled for injection (or enrolled in ambient) before any workload exists. */
    workloadNamespace: K8sObject;
    /** ConfigMaps, Deployments and Services: injected, so they wait for istiod and the label. */
    workloads: K8sObject[];
    /** Istio custom resources: they wait for istiod's validation webhook. */
    trafficPolicies: {
        destinationRules: K8sObject[];
        /** Each VirtualService waits for the DestinationRule declaring the subsets it names. */
        virtualServices: K8sObject[];
        /** Istio Gateways; with `trafficApi: gateway-api` the ingress one is a Gateway API Gateway. */
        gateways: K8sObject[];
        /** Gateway API HTTPRoutes (`trafficApi: gateway-api`); each waits for its parent Gateway or ServiceEntry. */
        httpRoutes: K8sObject[];
        /** ServiceEntries for external APIs. */
        serviceEntries: K8sObject[];
        /** PeerAuthentication, AuthorizationPolicies, rate-limit EnvoyFilters. */
        security: K8sObject[];
    };
    /** Observability addons in the control-plane namespace: after the base chart, never in the workloads' path. */
    addons: AddonsPlan;
    /** The ambient data plane's platform and waypoint (absent on sidecar); the objects above are already ambient's. */
    ambient?: AmbientPlan;
}

const defined = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

/** The routing objects of a `gateway-api` stack: HTTPRoutes, the Gateway API Gateway, Services and DestinationRules per version. */
function gatewayApiTraffic(cfg: MeshConfig, ns: string, byName: Map<string, ServiceConfig>) {
    const gatewayService = `${cfg.istio.gatewayRelease}.${cfg.istio.namespace}.svc.cluster.local`;
    return {
        versionServices: cfg.services.flatMap((s) => versionServices(s, ns)),
        destinationRules: cfg.services.flatMap((s) => versionDestinationRules(s, ns)),
        gateways: cfg.ingress.virtualServices.length > 0 ? [kubernetesGateway(cfg.ingress, ns, gatewayService)] : [],
        httpRoutes: [
            ...defined(cfg.services.map((s) => meshHttpRoute(s, ns))),
            ...cfg.ingress.virtualServices.map((r) => ingressHttpRoute(r, cfg.ingress, byName, ns)),
            ...defined(cfg.security.egress.serviceEntries.map((e) => externalTimeoutHttpRoute(e, ns))),
        ],
    };
}

export function buildPlan(cfg: MeshConfig): MeshPlan {
    const ns = cfg.namespace.name;
    const byName = new Map(cfg.services.map((s) => [s.name, s]));
    const sec = cfg.security;
    const egress = egressObjects(cfg, ns);
    const ambient = cfg.dataplane.mode === "ambient";
    const gwApi = cfg.trafficApi === "gateway-api" ? gatewayApiTraffic(cfg, ns, byName) : undefined;
    const crds = gatewayApiCrds(cfg);
    const plan: MeshPlan = {
        istio: {
            namespace: controlPlaneNamespace(cfg.istio.namespace),
            base: baseChart(cfg),
            ...(crds ? { gatewayApiCrds: crds } : {}),
            istiod: istiodChart(cfg),
            ...(ambient ? { cni: cniChart(cfg), ztunnel: ztunnelChart(cfg) } : {}),
            gateway: gatewayChart(cfg),
            ...(egress.length > 0 ? { egressGateway: egressGatewayChart(cfg) } : {}),
        },
        workloadNamespace: workloadNamespace(cfg.namespace, cfg.dataplane.mode),
        workloads: [
            ...cfg.workloads.map((w) => serviceAccount(w, ns)),
            ...defined(cfg.workloads.map((w) => indexHtmlConfigMap(w, ns))),
            ...cfg.workloads.map((w) => deployment(w, ns)),
            ...cfg.services.map((s) => service(s, ns)),
            ...(gwApi?.versionServices ?? []),
            // Clients `npm run verify` measures the security policies with (outside the mesh, an unlisted identity).
            ...verifyClients(cfg),
        ],
        trafficPolicies: gwApi
            ? {
                  destinationRules: gwApi.destinationRules,
                  // The egress gateway is refused with the Gateway API (config/sections/trafficApi.ts): no VirtualService is left.
                  virtualServices: [],
                  gateways: gwApi.gateways,
                  httpRoutes: gwApi.httpRoutes,
                  serviceEntries: sec.egress.serviceEntries.map((e) => serviceEntry(e, ns)),
                  security: securityPolicies(cfg, byName, ns),
              }
            : istioTraffic(cfg, ns, byName, egress),
        addons: addonsPlan(cfg),
    };
    return ambient ? ambientPlan(cfg, plan) : plan;
}

/** The routing objects of an `istio` stack, the course's: VirtualServices, DestinationRules with subsets, Istio Gateways. */
function istioTraffic(cfg: MeshConfig, ns: string, byName: Map<string, ServiceConfig>, egress: K8sObject[]): MeshPlan["trafficPolicies"] {
    const sec = cfg.security;
    return {
        destinationRules: defined(cfg.services.map((s) => destinationRule(s, ns))),
        virtualServices: [
            ...defined(cfg.services.map((s) => meshVirtualService(s, ns))),
            ...cfg.ingress.virtualServices.map((r) => ingressVirtualService(r, cfg.ingress, byName, ns)),
            // Through the egress gateway the egress VirtualService carries the timeout; one VirtualService per host.
            ...(egress.length > 0 ? egress.filter((o) => o.kind === "VirtualService") : defined(sec.egress.serviceEntries.map((e) => externalTimeoutVirtualService(e, ns)))),
        ],
        gateways: [...(cfg.ingress.virtualServices.length > 0 ? [gateway(cfg.ingress, ns)] : []), ...egress.filter((o) => o.kind === "Gateway")],
        httpRoutes: [],
        serviceEntries: sec.egress.serviceEntries.map((e) => serviceEntry(e, ns)),
        security: securityPolicies(cfg, byName, ns),
    };
}

/** PeerAuthentication, AuthorizationPolicies and rate limits: the same in both traffic APIs. */
function securityPolicies(cfg: MeshConfig, byName: Map<string, ServiceConfig>, ns: string): K8sObject[] {
    const sec = cfg.security;
    return [
        ...(sec.mtls ? [peerAuthentication(sec.mtls, ns)] : []),
        ...sec.authorization.map((a) => authorizationPolicy(a, byName.get(a.service)!, ns)),
        ...sec.rateLimits.map((r) => localRateLimit(r, byName.get(r.service)!, ns)),
    ];
}

/** Hosts (services) whose subsets a VirtualService's routes name: its DestinationRules must exist first. */
export function referencedHosts(vs: K8sObject): string[] {
    const spec = vs.spec as { http?: { route?: { destination?: { host?: string; subset?: string } }[] }[] };
    const hosts = new Set<string>();
    for (const h of spec.http ?? []) for (const r of h.route ?? []) if (r.destination?.host && r.destination.subset) hosts.add(r.destination.host);
    return [...hosts];
}
