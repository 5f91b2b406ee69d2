/**
 * Every pinned version of the lab, in one place. A stack may override any of them under
 * `istio-mesh:versions` (see config/parse.ts); nothing else in the program hard-codes a version.
 */
export const DEFAULT_VERSIONS = {
    /** Istio Helm charts (base, istiod, gateway) and therefore the proxy and istiod images. */
    istio: "1.30.3",
    /** k3s image for the dev cluster. Istio 1.30 supports Kubernetes 1.32 to 1.35. */
    k3sImage: "rancher/k3s:v1.33.7-k3s1",
    /** nginx for the A/B demo. The course's wesleywillians/nginx-ab has no version tag, so the lab
     *  serves the same "Full Cycle A/B" pages from a pinned official nginx (see mesh/kubernetes/nginx.ts). */
    nginxImage: "nginx:1.28.0-alpine",
} as const;

export type Versions = { -readonly [K in keyof typeof DEFAULT_VERSIONS]: string };

/** Where the official Istio charts live (https://istio.io/latest/docs/setup/install/helm/). */
export const ISTIO_HELM_REPO = "https://istio-release.storage.googleapis.com/charts";
