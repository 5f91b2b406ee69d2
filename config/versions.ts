/**
 * Every pinned version of the lab, in one place. A stack may override any of them under
 * `istio-mesh:versions` (see config/parse.ts); nothing else in the program hard-codes a version.
 */
export const DEFAULT_VERSIONS = {
    /** Istio Helm charts (base, istiod, gateway) and therefore the proxy and istiod images. 1.30.4
     *  (2026-08-27) is a security release over 1.30.3 (Envoy CVEs, escaped injection-template
     *  annotations). Its values files and addon pins did not change on the release-1.30 branch after
     *  1.30.3 (read up to 2026-08-21); the 1.30.4 tag itself could not be read here. */
    istio: "1.30.4",
    /** k3s image for the dev cluster. Istio 1.30 supports Kubernetes 1.32 to 1.36 (SUPPORTED_KUBERNETES). */
    k3sImage: "rancher/k3s:v1.33.7-k3s1",
    /** The dev stack's Docker Hub pull-through cache (`k3d registry create --image`). k3d v5.9.0 defaults to
     *  `docker.io/library/registry:2` (pkg/types/images.go); 2.8.3 is the last 2.x release, still the one
     *  Alpine packages (checked 2026-12). Proxy mode, its env settings and the 7-day blob TTL as in 2.x. */
    registryCacheImage: "docker.io/library/registry:2.8.3",
    /** EKS control plane (and managed nodes) on the cloud stack: the same minor as dev's k3s. */
    eksKubernetes: "1.33",
    /** nginx for the A/B demo. The course's wesleywillians/nginx-ab has no version tag, so the lab
     *  serves the same "Full Cycle A/B" pages from a pinned official nginx (see mesh/kubernetes/nginx.ts). */
    nginxImage: "nginx:1.28.0-alpine",
    /** Base of the servicex image (apps/servicex/Dockerfile's NODE_IMAGE): builder and runtime stages. */
    servicexBaseImage: "node:22.22.0-alpine3.23",
    /** fortio load client (Istio's sample uses a moving tag; this pins the release the course ran, 1.60.3). */
    fortioImage: "docker.io/fortio/fortio:1.60.3",
    /** Observability addons: the versions Istio 1.30's own samples/addons are generated from (1.30.3 and the
     *  release-1.30 branch after it: unchanged)
     *  (manifests/addons/gen.sh). A chart version pins the images it deploys; Kiali's image follows its chart. */
    kialiChart: "2.26.0",
    prometheusChart: "28.13.0",
    grafanaChart: "9.2.2",
    /** Jaeger v2 all-in-one (no official chart fits the lab: typed objects in mesh/addons/Jaeger.ts). */
    jaegerImage: "docker.io/jaegertracing/jaeger:2.14.0",
    /** Kubernetes Gateway API CRDs, installed only with `istio-mesh:trafficApi: gateway-api`: the release Istio 1.30
     *  is built on (go.mod at 1.30.3 pins sigs.k8s.io/gateway-api v1.5.1, as does its conformance suite; read 2026-12).
     *  Only v1.5 patches: v1.5's safe-upgrades admission policy refuses a downgrade below v1.5, and IST0176 names the
     *  minimum bundle versions Istio 1.30 processes. */
    gatewayApi: "v1.5.1",
} as const;

/**
 * Kubernetes minors each Istio minor supports (istio.io "Supported releases" table). Keyed on the
 * minor, so a patch bump of the pin (1.30.3 → 1.30.4) changes nothing here.
 */
export const SUPPORTED_KUBERNETES: Record<string, { min: number; max: number }> = {
    "1.30": { min: 32, max: 36 },
};

/** `1.30.3` → `1.30`. */
export const istioMinor = (version: string): string => version.split(".").slice(0, 2).join(".");

/** The Istio minor this program's charts, values and CRD checks are written for: the pin's. */
export const PINNED_ISTIO_MINOR = istioMinor(DEFAULT_VERSIONS.istio);

export type Versions = { -readonly [K in keyof typeof DEFAULT_VERSIONS]: string };

/** Where the official Istio charts live (https://istio.io/latest/docs/setup/install/helm/). */
export const ISTIO_HELM_REPO = "https://istio-release.storage.googleapis.com/charts";

/** Where the addons' official charts live. */
export const KIALI_HELM_REPO = "https://kiali.org/helm-charts";
export const PROMETHEUS_HELM_REPO = "https://prometheus-community.github.io/helm-charts";
export const GRAFANA_HELM_REPO = "https://grafana.github.io/helm-charts";

/**
 * The Gateway API release channel, chosen once for every stack: **experimental**. The course's retries lesson
 * (14) needs HTTPRoute `retry` (GEP-1731), which is only in the experimental CRDs up to v1.6.1; and from v1.5 the
 * CRD bundle ships the `safe-upgrades.gateway.networking.k8s.io` ValidatingAdmissionPolicy (failurePolicy Fail),
 * which refuses installing experimental CRDs over standard ones: a cluster started on standard could not get
 * retries later without deleting that policy first. Istio's own integration tests run on the experimental
 * channel at v1.5.1 (tests/integration/pilot/testdata/gateway-api-crd.yaml, read 2026-12). The cost: the
 * experimental channel's CRDs also serve alpha kinds (TCPRoute, UDPRoute, XBackendTrafficPolicy) that an
 * upgrade may change incompatibly; the lab uses none of them.
 */
export const GATEWAY_API_CHANNEL = "experimental" as const;


/**
 * The Kubernetes Gateway API CRD bundle the gate validates Gateway API objects against (as the API
 * server would: schema and CEL rules). Istio 1.30 is built on v1.5.1 (its go.mod at 1.30.3 pins
 * sigs.k8s.io/gateway-api v1.5.1; read 2026-12). No npm package ships these CRDs with their CEL rules
 * (@kubernetes-models/gateway-api 2.0.0 tracks v1.5.1 but ships precompiled validators generated from
 * the Go types, without x-kubernetes-validations), so the official release manifests are fetched once
 * into vendor/gateway-api/<version>/ (git-ignored: the repository carries no copy of another project's
 * release artifacts, as it carries no Helm chart) by `npm run gateway-api-crds`, checked against these digests.
 * The digests (checked 2026-12): each manifest rebuilt from the v1.5.1 tag with the project's own
 * hack/build-install-yaml.sh hashes to these, and public repositories pin the same standard digest.
 */
export const GATEWAY_API_CRDS = {
    /** The pin is DEFAULT_VERSIONS.gatewayApi (one place); these digests are of its manifests. */
    version: DEFAULT_VERSIONS.gatewayApi,
    /** The channel a `gateway-api` stack installs (GATEWAY_API_CHANNEL), so the one the gate checks against. */
    defaultChannel: GATEWAY_API_CHANNEL,
    manifests: {
        standard: {
            url: "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml",
            sha256: "751002b3b91a87f7ae3bd2517c79a47a8d7ed6702901808a1cf9bd97d284f9b8",
            bytes: 1_024_333,
        },
        experimental: {
            url: "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/experimental-install.yaml",
            sha256: "64ec76609a6ac885e0405dea79ca509c229fa019d342f0857aa8b6bdc8b8ba92",
            bytes: 1_285_683,
        },
    },
} as const;

export type GatewayApiChannel = keyof typeof GATEWAY_API_CRDS.manifests;

/**
 * The official release manifest of a Gateway API version and channel: every CRD of the channel plus the
 * safe-upgrades policy (hack/build-install-yaml.sh at v1.5.1). The release assets live on GitHub
 * (https://github.com/kubernetes-sigs/gateway-api/releases/tag/v1.5.1, checked 2026-12).
 */
export const gatewayApiManifestUrl = (version: string, channel: GatewayApiChannel = GATEWAY_API_CHANNEL): string =>
    `https://github.com/kubernetes-sigs/gateway-api/releases/download/${version}/${channel}-install.yaml`;

/**
 * Istio 1.30.3's minimum bundle version per Gateway API CRD: below it, istiod does not process that
 * kind and `istioctl analyze` reports IST0176 (pkg/config/schema/gatewayapi/minimumversions.go, read 2026-12).
 */
export const ISTIO_GATEWAY_API_MINIMUM_CRD_VERSIONS: Record<string, string> = {
    "grpcroutes.gateway.networking.k8s.io": "v1.1.0",
    "backendtlspolicies.gateway.networking.k8s.io": "v1.4.0",
    "tlsroutes.gateway.networking.k8s.io": "v1.5.0",
};
