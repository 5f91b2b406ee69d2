/**
 * The validated, defaulted model of a stack's `istio-mesh:*` config. Everything downstream (the pure
 * builders in mesh/, render, the Pulumi components) reads only this, never raw config.
 */
import type { Versions } from "./versions";

export type ClusterKind = "k3d" | "eks" | "kubeconfig";

export interface K3dClusterConfig {
    kind: "k3d";
    /** k3d cluster name; the kube context is `k3d-<name>`. */
    name: string;
    servers: 1;
    agents: number;
    /** Host port → nodePort of the ingress gateway, through k3d's load balancer. */
    ingress: { hostPort: number; nodePort: number; bindAddress: string };
    /** Host port of the Kubernetes API, on 127.0.0.1. */
    apiPort: number;
}

export type ClusterConfig = K3dClusterConfig;

export interface IstioConfig {
    /** Namespace of the control plane, the gateway and the addons. */
    namespace: string;
    /** Helm release of the ingress gateway; `istio-ingressgateway` makes its pods `istio: ingressgateway`. */
    gatewayRelease: string;
    /** How the gateway Service is exposed: NodePort on k3d (no LoadBalancer wait), LoadBalancer on cloud. */
    gatewayService: { type: "NodePort"; httpNodePort: number } | { type: "LoadBalancer" };
}

export interface NamespaceConfig {
    name: string;
    /** An existing namespace (e.g. `default`) is only labelled, never owned or deleted by the program. */
    existing: boolean;
}

export interface ResourcesConfig {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
}

export interface WorkloadConfig {
    /** Deployment name. */
    name: string;
    image: string;
    replicas: number;
    /** Pod labels; `app` and `version` are what Istio subsets and Kiali read. */
    labels: Record<string, string>;
    containerPort: number;
    env: Record<string, string>;
    resources: ResourcesConfig;
    /** Page served by an nginx workload at `/` (mounted from a ConfigMap), e.g. `Full Cycle A`. */
    indexHtml?: string;
}

export interface SubsetConfig {
    name: string;
    labels: Record<string, string>;
}

export interface RouteDestination {
    subset: string;
    weight: number;
}

export interface ServiceConfig {
    /** Kubernetes Service name, also the Istio host. */
    name: string;
    selector: Record<string, string>;
    port: number;
    targetPort: number;
    /** Port name; `http` lets Istio detect the protocol. */
    portName: string;
    /** DestinationRule declaring the subsets, if any subsets are declared. */
    destinationRule?: { name: string; subsets: SubsetConfig[] };
    /** Mesh VirtualService splitting traffic by weight over the subsets. */
    virtualService?: { name: string; route: RouteDestination[] };
}

export interface IngressRouteConfig {
    /** VirtualService bound to the ingress Gateway. */
    name: string;
    hosts: string[];
    /** Destination Service; the route uses that service's weights so ingress obeys the same split. */
    service: string;
}

export interface IngressConfig {
    gateway: {
        name: string;
        /** Pod selector of the gateway deployment. */
        selector: Record<string, string>;
        port: number;
        portName: string;
        protocol: "HTTP" | "HTTP2";
        hosts: string[];
    };
    virtualServices: IngressRouteConfig[];
}

/** The observability addons (config/sections/addons.ts). */
export type AddonName = "prometheus" | "grafana" | "kiali" | "jaeger";
export type KialiAuth = "anonymous" | "token";

export interface AddonsConfig {
    prometheus: { enabled: boolean };
    /** Anonymous = admin without a login (dev only); otherwise `admin` with `adminPassword`. */
    grafana: { enabled: boolean; anonymous: boolean; adminPassword?: string };
    /** `signingKeyFromConfig`: the key is the user's (a secret), not the dev placeholder. */
    kiali: { enabled: boolean; auth: KialiAuth; signingKey: string; signingKeyFromConfig: boolean };
    jaeger: { enabled: boolean };
    /** Share of requests the proxies trace, 0–100 (Telemetry `randomSamplingPercentage`). */
    tracing: { samplingPercentage: number };
    /** Dashboards reachable through the ingress gateway by host (e.g. kiali.localhost:8000). */
    expose: { enabled: boolean; hosts: Record<AddonName, string> };
}

export interface MeshConfig {
    stack: string;
    cluster: ClusterConfig;
    versions: Versions;
    istio: IstioConfig;
    namespace: NamespaceConfig;
    workloads: WorkloadConfig[];
    services: ServiceConfig[];
    ingress: IngressConfig;
    addons: AddonsConfig;
}
