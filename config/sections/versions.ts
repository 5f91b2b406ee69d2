import { Node, show } from "../reader";
import { DEFAULT_VERSIONS, Versions } from "../versions";

/** An exact chart version: a range or "latest" would let a redeploy pick up a different chart. */
function chartVersion(n: Node, fallback: string): string {
    const v = n.string(fallback);
    if (n.isSet && !/^\d+\.\d+\.\d+$/.test(v)) {
        n.problems.add(n.path, `${show(v)} is not an exact chart version; expected MAJOR.MINOR.PATCH such as ${fallback}`);
        return fallback;
    }
    return v;
}

/** Oldest Kubernetes minor the cloud stack accepts: Istio 1.30 supports 1.32 to 1.35. */
export const MIN_KUBERNETES_MINOR = 32;

/** A Kubernetes minor version as EKS names it (`1.33`), no older than MIN_KUBERNETES_MINOR. */
export function kubernetesMinor(n: Node, fallback: string): string {
    const v = n.isSet && typeof n.value === "number" ? String(n.value) : n.string(fallback);
    const m = /^1\.(\d+)$/.exec(v);
    if (n.isSet && (!m || Number(m[1]) < MIN_KUBERNETES_MINOR)) {
        n.problems.add(n.path, `${show(n.value)} is not allowed; expected a Kubernetes minor version from 1.${MIN_KUBERNETES_MINOR} on, as a string such as "${fallback}" (Istio 1.30 supports 1.32 to 1.35)`);
        return fallback;
    }
    return v;
}

/** `istio-mesh:versions`: per-stack overrides of the pinned versions. */
export function parseVersions(n: Node): Versions {
    n.object(Object.keys(DEFAULT_VERSIONS));
    const istio = n.child("istio").string(DEFAULT_VERSIONS.istio);
    if (!/^1\.\d+\.\d+$/.test(istio)) n.problems.add(`${n.path}.istio`, `${show(istio)} is not an Istio release; expected an exact version such as ${DEFAULT_VERSIONS.istio}`);
    return {
        istio,
        k3sImage: n.child("k3sImage").image(DEFAULT_VERSIONS.k3sImage),
        eksKubernetes: kubernetesMinor(n.child("eksKubernetes"), DEFAULT_VERSIONS.eksKubernetes),
        nginxImage: n.child("nginxImage").image(DEFAULT_VERSIONS.nginxImage),
        servicexBaseImage: n.child("servicexBaseImage").image(DEFAULT_VERSIONS.servicexBaseImage),
        fortioImage: n.child("fortioImage").image(DEFAULT_VERSIONS.fortioImage),
        kialiChart: chartVersion(n.child("kialiChart"), DEFAULT_VERSIONS.kialiChart),
        prometheusChart: chartVersion(n.child("prometheusChart"), DEFAULT_VERSIONS.prometheusChart),
        grafanaChart: chartVersion(n.child("grafanaChart"), DEFAULT_VERSIONS.grafanaChart),
        jaegerImage: n.child("jaegerImage").image(DEFAULT_VERSIONS.jaegerImage),
    };
}
