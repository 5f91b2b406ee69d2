/**
 * Every pinned version and location of the lab, in one place. A stack may override any version
 * under `istio-mesh:versions` (see config/sections/versions.ts); nothing else in the program
 * hard-codes one. Each pin says where and when it was checked. Renovate (renovate.json) proposes
 * updates to the pin lines below by their names: rename a pin and tests/renovate.test.ts fails.
 */
export const DEFAULT_VERSIONS = {
    /** Istio Helm charts (base, istiod, gateway) and therefore the proxy and istiod images.
     *  checked 2026-12-08: istio/istio.io news/releases/1.30.x/announcing-1.30.5 (2026-09-21: bug fixes
     *  only, no chart, values or CRD change listed); istio/istio release-1.30 has no manifests/ change
     *  since 1.30.3 up to 2026-08-21 (the 1.30.5 tag itself was not in the mirror). 1.31 changes
     *  defaults and the CRD layer: a minor bump is a code change (SUPPORTED_KUBERNETES, analyzers). */
    istio: "1.30.5",
    /** Where istiod, the sidecars and the gateway pull Istio's images from (the istiod chart's `hub`
     *  and `global.hub`). Istio 1.30's charts default to registry.istio.io/release, retired in
     *  December 2026 (outage test 2026-12-08 15:00 UTC); a stack may name its own mirror here.
     *  checked 2026-12-08: istio/istio.io blog/2026/retirement-of-gcr.io-follow-up @35ddf9a6 ("By default,
     *  Istio 1.30 installations use registry.istio.io/release"; the fix: `hub` and `global.hub`). */
    istioHub: "docker.io/istio",
    /** k3s node image of the dev cluster: Kubernetes 1.36 (end of life 2027-06-28), inside Istio 1.30's
     *  1.32–1.36. checked 2026-12-08: k3s-io/k3s PR #14553 (stable channel → v1.36.4+k3s1, 2026-08-27);
     *  its release workflow pushes docker.io/rancher/k3s:<tag with + → -> (and ghcr.io/k3s-io/k3s). */
    k3sImage: "rancher/k3s:v1.36.4-k3s1",
    /** The dev stack's Docker Hub pull-through cache (`k3d registry create --image`). k3d v5.9.0 defaults to
     *  `docker.io/library/registry:2` (pkg/types/images.go); 2.8.3 is the last 2.x release, still the one
     *  Alpine packages (checked 2026-12). Proxy mode, its env settings and the 7-day blob TTL as in 2.x. */
    registryCacheImage: "docker.io/library/registry:2.8.3",
    /** EKS control plane (and managed nodes) on the cloud stack: the same minor as dev's k3s.
     *  checked 2026-12-08: AWS EKS user guide "Kubernetes versions on standard support" (1.36 is
     *  available); awslabs/amazon-eks-ami v20260818 ships AL2023 1.36 node AMIs. 1.33 is on paid
     *  extended support since 2026-07-29. */
    eksKubernetes: "1.36",
    /** nginx for the A/B demo. The course's wesleywillians/nginx-ab has no version tag, so the lab
     *  serves the same "Full Cycle A/B" pages from a pinned official nginx (see mesh/kubernetes/nginx.ts).
     *  The stable line (even minor); 1.30.1+ fixes CVE-2026-42945.
     *  checked 2026-12-08: docker-library/official-images library/nginx @37079fb3 (stable 1.30.4-alpine). */
    nginxImage: "nginx:1.30.4-alpine",
    /** Base of the servicex image (apps/servicex/Dockerfile's NODE_IMAGE): builder and runtime stages.
     *  Node 22 is maintenance LTS until 2027-04-30.
     *  checked 2026-12-08: docker-library/official-images library/node @37079fb3 (22.23.2-alpine3.23). */
    servicexBaseImage: "node:22.23.2-alpine3.23",
    /** fortio load client (Istio's sample uses a moving tag; this pins the release the course ran, 1.60.3).
     *  checked 2026-12-08: not re-verified (no registry reachable); `npm run pins` checks it. */
    fortioImage: "docker.io/fortio/fortio:1.60.3",
    /** Kiali: the version Istio 1.30's samples/addons are generated from (manifests/addons/gen.sh); its
     *  image (quay.io/kiali/kiali:v2.26.0) follows the chart.
     *  checked 2026-12-08: kiali/helm-charts docs/index.yaml @c7b6cf98 lists kiali-server 2.26.0. */
    kialiChart: "2.26.0",
    /** Prometheus server chart, as Istio 1.30's samples pin it.
     *  checked 2026-12-08: prometheus-community/helm-charts tag prometheus-28.13.0 (f738b5d4). */
    prometheusChart: "28.13.0",
    /** Grafana chart from the community repository (the chart left grafana/helm-charts on 2026-01-30).
     *  11.6.1 deploys Grafana 12.4.3, the last 12.x minor (Grafana supports a major's last minor for 15
     *  months; 12.0.x of the old 9.2.2 chart is out of support) and kiwigrid/k8s-sidecar 2.6.0; the
     *  values mesh/addons/Grafana.ts sets read the same in 9.2.2 and 11.6.1.
     *  checked 2026-12-08: grafana-community/helm-charts gh-pages index.yaml (generated 2026-08-20):
     *  grafana 11.6.1, appVersion 12.4.3, digest ecea6075…; tag grafana-11.6.1 (b151768f). */
    grafanaChart: "11.6.1",
    /** Jaeger v2 all-in-one (no official chart fits the lab: typed objects in mesh/addons/Jaeger.ts); the
     *  release Istio 1.31's samples use. Its config keys (memstore max_traces, jaeger_query base_path,
     *  healthcheckv2, telemetry readers) are unchanged from 2.14.0; no breaking change for them in
     *  2.15–2.17.
     *  checked 2026-12-08: jaegertracing/jaeger tag v2.17.0 (CHANGELOG; scripts/utils/compute-tags.sh
     *  @0536f13c tags every release `--tag docker.io/<image>:<x.y.z> --tag quay.io/<image>:<x.y.z>`, one push).
     *  Pulled from quay.io, the project's own second registry, so it is not one of the Docker Hub pulls a
     *  cold `up` counts against Docker Hub's hourly limit (supplychain/pulls.ts). */
    jaegerImage: "quay.io/jaegertracing/jaeger:2.17.0",
    /** Kubernetes Gateway API CRDs, installed only with `istio-mesh:trafficApi: gateway-api`: the release Istio 1.30
     *  is built on (go.mod at 1.30.3 pins sigs.k8s.io/gateway-api v1.5.1, as does its conformance suite; read 2026-12).
     *  Only v1.5 patches: v1.5's safe-upgrades admission policy refuses a downgrade below v1.5, and IST0176 names the
     *  minimum bundle versions Istio 1.30 processes. */
    gatewayApi: "v1.5.1",
} as const;

/**
 * Kubernetes minors each Istio minor supports (istio.io "Supported releases" table). Keyed on the
 * minor, so a patch bump of the pin (1.30.4 → 1.30.5) changes nothing here.
 * checked 2026-12-08: istio/istio.io news/releases/1.30.x/announcing-1.30 ("officially supported on
 * Kubernetes versions 1.32 to 1.36").
 */
export const SUPPORTED_KUBERNETES: Record<string, { min: number; max: number }> = {
    "1.30": { min: 32, max: 36 },
};

/** `1.30.3` → `1.30`. */
export const istioMinor = (version: string): string => version.split(".").slice(0, 2).join(".");

/** The Istio minor this program's charts, values and CRD checks are written for: the pin's. */
export const PINNED_ISTIO_MINOR = istioMinor(DEFAULT_VERSIONS.istio);

export type Versions = { -readonly [K in keyof typeof DEFAULT_VERSIONS]: string };

/** Where the official Istio charts live: every version, on Istio's own host (also as OCI at
 *  oci://ghcr.io/istio/release/charts). The old https://istio-release.storage.googleapis.com/charts is
 *  removed in December 2026 (scream test 2026-12-08 15:00 → 12-09 15:00 UTC).
 *  checked 2026-12-08: istio/istio.io blog/2026/retirement-of-gcp @0305f3f6 ("All Helm charts of all
 *  Istio versions are currently available at https://blob.istio.io/istio-release/charts"). */
export const ISTIO_HELM_REPO = "https://blob.istio.io/istio-release/charts";

/** Where the addons' official charts live.
 *  checked 2026-12-08: kiali/helm-charts docs/index.yaml @c7b6cf98. */
export const KIALI_HELM_REPO = "https://kiali.org/helm-charts";
/** checked 2026-12-08: prometheus-community/helm-charts README @cf408a29. */
export const PROMETHEUS_HELM_REPO = "https://prometheus-community.github.io/helm-charts";
/** checked 2026-12-08: grafana/helm-charts#4087 (the chart moved to grafana-community on 2026-01-30);
 *  grafana-community/helm-charts gh-pages index.yaml holds 9.2.2 (same digest) to 12.11.1. */
export const GRAFANA_HELM_REPO = "https://grafana-community.github.io/helm-charts";


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
