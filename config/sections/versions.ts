import { parseImageReference } from "../imageReference";
import { Node, show } from "../reader";
import { RETIRED_IMAGE_LOCATIONS } from "../retiredLocations";
import { DEFAULT_VERSIONS, istioMinor, PINNED_ISTIO_MINOR, SUPPORTED_KUBERNETES, Versions } from "../versions";

/** An exact chart version: a range or "latest" would let a redeploy pick up a different chart. */
function chartVersion(n: Node, fallback: string): string {
    const v = n.string(fallback);
    if (n.isSet && !/^\d+\.\d+\.\d+$/.test(v)) {
        n.problems.add(n.path, `${show(v)} is not an exact chart version; expected MAJOR.MINOR.PATCH such as ${fallback}`);
        return fallback;
    }
    return v;
}

/** The Kubernetes minors the pinned Istio release supports. */
export const KUBERNETES_RANGE = SUPPORTED_KUBERNETES[PINNED_ISTIO_MINOR];
const RANGE_TEXT = `Istio ${PINNED_ISTIO_MINOR} supports Kubernetes 1.${KUBERNETES_RANGE.min} to 1.${KUBERNETES_RANGE.max}`;

/** Why Kubernetes minor `minor` (36 for 1.36) is outside the supported range, or undefined. */
export function kubernetesRangeProblem(minor: number): string | undefined {
    if (minor >= KUBERNETES_RANGE.min && minor <= KUBERNETES_RANGE.max) return undefined;
    return `Kubernetes 1.${minor} is outside the supported range: ${RANGE_TEXT}`;
}

/** A Kubernetes minor version as EKS names it (`1.36`), within the pinned Istio's supported range. */
export function kubernetesMinor(n: Node, fallback: string): string {
    if (!n.isSet) return fallback;
    if (typeof n.value === "number") {
        // YAML reads 1.30 as 1.3: only a quoted version is unambiguous.
        n.problems.add(n.path, `YAML read this as a number (${n.value}): quote it, e.g. "${fallback}" (${RANGE_TEXT})`);
        return fallback;
    }
    const v = n.string(fallback);
    if (typeof n.value !== "string") return fallback;
    const m = /^1\.(\d+)$/.exec(v);
    if (!m) {
        n.problems.add(n.path, `${show(v)} is not a Kubernetes minor version; expected e.g. "${fallback}" (${RANGE_TEXT})`);
        return fallback;
    }
    const problem = kubernetesRangeProblem(Number(m[1]));
    if (problem) {
        n.problems.add(n.path, `${problem}; use e.g. "${fallback}"`);
        return fallback;
    }
    return v;
}

/** `rancher/k3s:v1.36.4-k3s1`: the tag's Kubernetes minor must be in the supported range. */
function k3sImage(n: Node, fallback: string): string {
    const v = n.image(fallback);
    if (!n.isSet || v === fallback) return v;
    const m = /:v1\.(\d+)\.\d+/.exec(v);
    if (!m) {
        if (!v.includes("@")) n.problems.add(n.path, `${show(v)} does not name a Kubernetes version in its tag (k3s tags are like v1.36.4-k3s1); ${RANGE_TEXT}`);
        return v;
    }
    const problem = kubernetesRangeProblem(Number(m[1]));
    if (problem) n.problems.add(n.path, `${problem}; use a k3s image of 1.${KUBERNETES_RANGE.min}–1.${KUBERNETES_RANGE.max}, e.g. ${fallback}`);
    return v;
}

const HUB_EXAMPLE = `e.g. ${DEFAULT_VERSIONS.istioHub} or a mirror such as registry.example.com:5000/istio`;

/** Why `hub` cannot be an Istio image hub, or undefined. The charts append `/<image>:<tag>` to it. */
export function istioHubProblem(hub: string): string | undefined {
    const lower = hub.toLowerCase();
    const retired = RETIRED_IMAGE_LOCATIONS.find((r) => lower === r || lower.startsWith(`${r}/`));
    if (retired) return `${show(hub)} is retired: Istio stopped serving images from ${retired} in December 2026; use ${HUB_EXAMPLE}`;
    // What istiod and the injector will pull: the hub must make `<hub>/pilot:<tag>` a valid reference.
    const r = parseImageReference(`${hub}/pilot:1`);
    if ("problem" in r || r.tag !== "1" || r.digest !== undefined) {
        return `${show(hub)} is not a registry/repository without a tag or digest (the charts append /pilot:<version>); use ${HUB_EXAMPLE}`;
    }
    return undefined;
}

function istioHub(n: Node, fallback: string): string {
    const v = n.string(fallback);
    if (!n.isSet || typeof n.value !== "string") return v;
    const problem = istioHubProblem(v);
    if (problem) {
        n.problems.add(n.path, problem);
        return fallback;
    }
    return v;
}

/**
 * A Gateway API release of the v1.5 line (`v1.5.1`): the minor Istio 1.30 is built on. An older bundle is refused by
 * the CRDs' own safe-upgrades policy once v1.5 is installed; a newer minor is untested with Istio 1.30.
 */
function gatewayApiVersion(n: Node, fallback: string): string {
    const v = n.string(fallback);
    if (n.isSet && typeof n.value === "string" && !/^v1\.5\.\d+$/.test(v)) {
        n.problems.add(n.path, `${show(v)} is not a Gateway API release Istio ${PINNED_ISTIO_MINOR} is built on; expected a v1.5 patch such as ${fallback} (with the leading v, as the release tags are named)`);
        return fallback;
    }
    return v;
}

/** `istio-mesh:versions`: per-stack overrides of the pinned versions. */
export function parseVersions(n: Node): Versions {
    n.object(Object.keys(DEFAULT_VERSIONS));
    const istioN = n.child("istio");
    const istio = istioN.string(DEFAULT_VERSIONS.istio);
    if (istioN.isSet && typeof istioN.value === "string") {
        if (!/^1\.\d+\.\d+$/.test(istio)) n.problems.add(`${n.path}.istio`, `${show(istio)} is not an Istio release; expected an exact version such as ${DEFAULT_VERSIONS.istio}`);
        // The charts' values, the CRD schemas and the analyzers are written for one minor.
        else if (istioMinor(istio) !== PINNED_ISTIO_MINOR) n.problems.add(`${n.path}.istio`, `${show(istio)} is outside the supported range: this program supports Istio ${PINNED_ISTIO_MINOR}.x (e.g. ${DEFAULT_VERSIONS.istio})`);
    }
    return {
        istio,
        istioHub: istioHub(n.child("istioHub"), DEFAULT_VERSIONS.istioHub),
        k3sImage: k3sImage(n.child("k3sImage"), DEFAULT_VERSIONS.k3sImage),
        eksKubernetes: kubernetesMinor(n.child("eksKubernetes"), DEFAULT_VERSIONS.eksKubernetes),
        nginxImage: n.child("nginxImage").image(DEFAULT_VERSIONS.nginxImage),
        servicexBaseImage: n.child("servicexBaseImage").image(DEFAULT_VERSIONS.servicexBaseImage),
        fortioImage: n.child("fortioImage").image(DEFAULT_VERSIONS.fortioImage),
        kialiChart: chartVersion(n.child("kialiChart"), DEFAULT_VERSIONS.kialiChart),
        prometheusChart: chartVersion(n.child("prometheusChart"), DEFAULT_VERSIONS.prometheusChart),
        grafanaChart: chartVersion(n.child("grafanaChart"), DEFAULT_VERSIONS.grafanaChart),
        jaegerImage: n.child("jaegerImage").image(DEFAULT_VERSIONS.jaegerImage),
        registryCacheImage: n.child("registryCacheImage").image(DEFAULT_VERSIONS.registryCacheImage),
        gatewayApi: gatewayApiVersion(n.child("gatewayApi"), DEFAULT_VERSIONS.gatewayApi),
    };
}
