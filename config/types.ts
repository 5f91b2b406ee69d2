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
    /** The Docker Hub pull-through cache every node pulls through (docs/cluster-registry-cache.md); absent when off or when registryMirror is set. */
    registryCache?: RegistryCacheConfig;
    /** The user's own Docker Hub mirror, used by the nodes instead of the cache. */
    registryMirror?: RegistryMirrorConfig;
}

/**
 * A standalone k3d registry in proxy mode for Docker Hub (`k3d registry create`), shared by the nodes and
 * kept across `down` (its named volume holds the blobs), so a cold `up` pulls each image once.
 */
export interface RegistryCacheConfig {
    /** k3d registry name; the container (and the nodes' endpoint host) is `k3d-<name>`. */
    name: string;
    /** Host port on 127.0.0.1 (loopback only: the cache pulls with the owner's Docker Hub login). */
    hostPort: number;
    /** Named Docker volume mounted at /var/lib/registry. */
    volume: string;
    /** Docker Hub login of the cache's upstream pulls (a Docker ID and a personal access token); both or neither. */
    username?: string;
    /** A Pulumi secret. */
    password?: string;
}

/** A registry mirror of Docker Hub the user runs, as the nodes' containerd `docker.io` endpoint. */
export interface RegistryMirrorConfig {
    /** Base URL, e.g. `https://mirror.example.com:5000`. */
    url: string;
    /** `host[:port]` of the URL: the key of its login in the nodes' registries.yaml. */
    host: string;
    username?: string;
    /** A Pulumi secret. */
    password?: string;
}

/** How the ingress gateway is exposed on a cloud cluster: a LoadBalancer Service with these annotations. */
export interface CloudIngressConfig {
    /** e.g. `service.beta.kubernetes.io/aws-load-balancer-type: nlb` on EKS. */
    annotations: Record<string, string>;
}

/** A managed EKS cluster created by the stack (@pulumi/eks), with one managed node group. */
export interface EksClusterConfig {
    kind: "eks";
    /** EKS cluster name (physical, not auto-named) and the kube context `aws eks update-kubeconfig --alias` writes. */
    name: string;
    region: string;
    /** `1.NN`, at least 1.32. */
    kubernetesVersion: string;
    nodeGroup: { instanceType: string; minSize: number; desiredSize: number; maxSize: number };
    ingress: CloudIngressConfig;
}

/** Types of the gateway Service on an existing cluster. */
export type GatewayServiceType = "LoadBalancer" | "NodePort" | "ClusterIP";

/**
 * How the gateway is reached on a cluster the stack does not own, which may have no load balancer
 * controller (kind, minikube without a tunnel, bare on-prem): a LoadBalancer Service would then never
 * get an address and the gateway chart would wait for one until it times out.
 */
export interface ExistingIngressConfig extends CloudIngressConfig {
    /** LoadBalancer (a cloud's), NodePort (on every node) or ClusterIP reached by `kubectl port-forward`. */
    serviceType: GatewayServiceType;
    /** NodePort: the gateway's HTTP nodePort, 30000–32767. */
    nodePort: number;
    /** NodePort: a node's address for the ingress URL (e.g. `minikube ip`); unset, the URL says to find one. */
    nodeAddress?: string;
    /** ClusterIP: the local port `kubectl port-forward` listens on. */
    localPort: number;
}

/** A registry the stack does not own (kubeconfig mode): where program-built images are pushed and pulled. */
export interface RegistryConfig {
    /** Registry host, e.g. `ghcr.io` or `registry.example.com:5000`. */
    server: string;
    /** Repository path under the server, e.g. `my-org/servicex`. */
    repository: string;
    username?: string;
    /** A secret config value. */
    password?: string;
}

/** Any existing cluster (GKE, AKS, DOKS, on-prem…): nothing is created or destroyed but what the program installs. */
export interface KubeconfigClusterConfig {
    kind: "kubeconfig";
    /** Exactly one of `context` (in the ambient KUBECONFIG) and `kubeconfig` (secret YAML) is set. */
    context?: string;
    kubeconfig?: string;
    /** Where program-built images (servicex) go; required, as nothing else on such a cluster can receive them. */
    /** Required only when a workload runs an image the program builds (see config/parse.ts). */
    registry?: RegistryConfig;
    /** Adopt objects that already exist instead of failing (Istio's CRDs survive a destroy). */
    upsertExistingObjects: boolean;
    ingress: ExistingIngressConfig;
}

export type ClusterConfig = K3dClusterConfig | EksClusterConfig | KubeconfigClusterConfig;

export interface IstioConfig {
    /** Namespace of the control plane, the gateway and the addons. */
    namespace: string;
    /** Helm release of the ingress gateway; `istio-ingressgateway` makes its pods `istio: ingressgateway`. */
    gatewayRelease: string;
    /**
     * How the gateway Service is exposed: NodePort on k3d (no LoadBalancer wait), LoadBalancer on EKS,
     * the configured type on an existing cluster (ClusterIP unless load balancer annotations are set).
     */
    gatewayService:
        | { type: "NodePort"; httpNodePort: number; annotations?: Record<string, string> }
        | { type: "LoadBalancer"; annotations: Record<string, string> }
        | { type: "ClusterIP"; annotations?: Record<string, string> };
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
    /** Anonymous = admin without a login (k3d only); otherwise `admin` with `adminPassword`, generated at deploy time when unset. */
    grafana: { enabled: boolean; anonymous: boolean; adminPassword?: string };
    /** `signingKeyFromConfig`: the key is the user's (a secret). Otherwise the k3d placeholder (anonymous) or, with token auth, generated at deploy time. */
    kiali: { enabled: boolean; auth: KialiAuth; signingKey: string; signingKeyFromConfig: boolean };
    jaeger: { enabled: boolean };
    /** Share of requests the proxies trace, 0–100 (Telemetry `randomSamplingPercentage`). */
    tracing: { samplingPercentage: number };
    /** Dashboards reachable through the ingress gateway by host (e.g. kiali.localhost:8000). */
    expose: { enabled: boolean; hosts: Record<AddonName, string> };
}

/** `istio-mesh:dataplane` (config/sections/dataplane.ts). */
export type DataplaneMode = "sidecar" | "ambient";
/** `auto`: a waypoint for the services whose policies need L7; `none`: ztunnel only. */
export type WaypointPolicy = "auto" | "none";
/** The cni and ztunnel charts' `global.platform` (their files/profile-platform-<name>.yaml). */
export type CniPlatform = "k3d" | "k3s" | "gke" | "minikube" | "microk8s";

export interface DataplaneConfig {
    /** sidecar: an Envoy in every pod (the course's); ambient: ztunnel per node, waypoints for L7. */
    mode: DataplaneMode;
    /** Ambient only; `auto` unless set. */
    waypoints: WaypointPolicy;
    /** Ambient on an existing cluster only: its CNI paths (k3d and EKS are known from cluster.kind). */
    platform?: CniPlatform;
}

export type FindingSeverity = "warning" | "error";

/**
 * `istio-mesh:trafficApi`: which API the routing lessons are written in. `istio`: VirtualService,
 * DestinationRule subsets and Istio's Gateway (the course). `gateway-api`: the Kubernetes Gateway API
 * (HTTPRoute, Gateway, one Service per version), with the Gateway API CRDs installed before istiod;
 * DestinationRules stay for what the Gateway API has no API for (docs/gateway-api.md).
 */
export type TrafficApi = "istio" | "gateway-api";
export const TRAFFIC_APIS: readonly TrafficApi[] = ["istio", "gateway-api"];

/** `istio-mesh:analysis`: severities the stack gives analyzer codes (a downgrade is explicit, never a default). */
export interface AnalysisConfig {
    severities: Record<string, FindingSeverity>;
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
    analysis: AnalysisConfig;
    /** Sidecar (the default) or ambient (docs/ambient.md). */
    dataplane: DataplaneConfig;
    /** The routing API the lessons are rendered in (default `istio`). */
    trafficApi: TrafficApi;
    /** Accepted but deprecated or risky settings; reported as warnings (pulumi.log.warn, analyze). */
    warnings: Problem[];
}
