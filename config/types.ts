/**
 * The validated, defaulted model of a stack's `istio-mesh:*` config. Everything downstream (the pure
 * builders in mesh/, render, the Pulumi components) reads only this, never raw config.
 */
import type { Problem } from "./reader";
import type { HttpPolicyConfig, StickyCanaryConfig, TrafficPolicyConfig } from "./policy";
import type { ImagesConfig } from "./images";
import type { SecurityConfig } from "./security";
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
    /** Its own ServiceAccount, i.e. its mTLS identity `cluster.local/ns/<ns>/sa/<name>` (AuthorizationPolicy). */
    serviceAccount: string;
    /** Runs the image of this app under apps/ (istio-mesh:images.<app>); `image` is then that image's ref. */
    appImage?: string;
    /** Container name (default: the workload name); the course's commands name fortio's as `fortio`. */
    containerName?: string;
    /** Container args (the image's CMD otherwise). */
    args?: string[];
    /** Pod template annotations, e.g. fortio's `proxy.istio.io/config` stats matcher. */
    annotations?: Record<string, string>;
    /** HTTP path of the readiness and liveness probes on the container port (none if unset). */
    probePath?: string;
}

export interface SubsetConfig {
    name: string;
    labels: Record<string, string>;
    /** Per-subset override of the host-wide policy (course: v1 LEAST_CONN → LEAST_REQUEST). */
    trafficPolicy?: TrafficPolicyConfig;
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
    /** ClusterIP (default). NodePort/LoadBalancer reach the pods without the ingress gateway (scenario 15's trap). */
    type: "ClusterIP" | "NodePort" | "LoadBalancer";
    nodePort?: number;
    /** DestinationRule for the host: subsets and/or a host-wide traffic policy. */
    destinationRule?: { name: string; host: string; subsets: SubsetConfig[]; trafficPolicy?: TrafficPolicyConfig };
    /** Mesh VirtualService: weights over the subsets, and the route's fault/retries/timeout. */
    virtualService?: { name: string; route: RouteDestination[]; http: HttpPolicyConfig; stickyCanary?: StickyCanaryConfig };
}

export interface UriMatch {
    prefix?: string;
    exact?: string;
    regex?: string;
}

/** One http route of an ingress VirtualService, tried in order. */
export interface IngressHttpRoute {
    match?: UriMatch;
    service: string;
    /** One subset, or weights over subsets; neither → the service's own split (weights), if any. */
    subset?: string;
    weights?: RouteDestination[];
    http: HttpPolicyConfig;
}

export interface IngressRouteConfig {
    /** VirtualService bound to the ingress Gateway. */
    name: string;
    hosts: string[];
    /** Default destination Service. */
    service: string;
    /** Ordered routes (prefix/exact/regex URI matches); empty → one route to `service` with its split. */
    routes: IngressHttpRoute[];
    http: HttpPolicyConfig;
}

export interface GatewayServer {
    port: number;
    name: string;
    protocol: "HTTP" | "HTTP2";
    hosts: string[];
}

export interface IngressConfig {
    gateway: {
        name: string;
        /** Pod selector of the gateway deployment. */
        selector: Record<string, string>;
        servers: GatewayServer[];
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
    /** Images of the apps under apps/: built from source (content-tagged) or prebuilt. */
    images: ImagesConfig;
    workloads: WorkloadConfig[];
    services: ServiceConfig[];
    ingress: IngressConfig;
    addons: AddonsConfig;
    security: SecurityConfig;
    /** Accepted but deprecated or risky settings; reported as warnings (pulumi.log.warn, analyze). */
    warnings: Problem[];
}
