/**
 * The images a dev (k3d) cluster pulls besides the lab's own: k3s's packaged components, pulled by
 * each node's containerd, and k3d's helper containers, pulled by this machine's Docker. Keyed by the
 * k3s release (the k3s image tag) and the k3d version. Read 2026-12; each row names its source.
 */

export interface K3sSystemImage {
    ref: string;
    role: string;
    /** Every node (the pod sandbox, a DaemonSet) or one pod. */
    pods: number | "every-node";
    /** Only pulled when the cluster has a Service of type LoadBalancer (k3s's ServiceLB, klipper-lb). */
    onlyWithLoadBalancer?: boolean;
}

interface K3sRow {
    /** The k3s image tag, e.g. `v1.36.2-k3s1`. */
    version: string;
    coredns: string;
    localPath: string;
    metricsServer: string;
    source: string;
}

/** Pulled for every pod sandbox on every node (the kubelet's pause image; still 3.6 in containerd 2 configs of k3s 1.35+). */
const PAUSE = "docker.io/rancher/mirrored-pause:3.6";
/** ServiceLB's per-node pod for each LoadBalancer Service (k3s scripts/airgap/image-list.txt @7a8e5190). */
const KLIPPER_LB = "docker.io/rancher/klipper-lb:v0.4.13";

export const K3S_SYSTEM_IMAGES: K3sRow[] = [
    {
        version: "v1.33.7-k3s1",
        coredns: "1.13.1",
        localPath: "v0.0.32",
        metricsServer: "v0.8.0",
        source: "k3s main scripts/airgap/image-list.txt @7a8e5190 (2025-12, the month of v1.33.7+k3s1); the release's own notes were not read",
    },
    { version: "v1.34.9-k3s1", coredns: "1.14.4", localPath: "v0.0.36", metricsServer: "v0.8.1", source: "k3s release notes v1.34.9+k3s1 (Embedded Component Versions)" },
    { version: "v1.35.5-k3s1", coredns: "1.14.3", localPath: "v0.0.36", metricsServer: "v0.8.1", source: "k3s release notes v1.35.5+k3s1 (Embedded Component Versions)" },
    { version: "v1.36.1-k3s1", coredns: "1.14.3", localPath: "v0.0.36", metricsServer: "v0.8.1", source: "k3s release notes v1.36.1+k3s1 (Embedded Component Versions)" },
    { version: "v1.36.2-k3s1", coredns: "1.14.4", localPath: "v0.0.36", metricsServer: "v0.8.1", source: "k3s release notes v1.36.2+k3s1 (Embedded Component Versions)" },
];

/** `rancher/k3s:v1.33.7-k3s1` → `v1.33.7-k3s1`. */
export function k3sVersionOf(k3sImage: string): string | undefined {
    return /:(v\d+\.\d+\.\d+-k3s\d+)$/.exec(k3sImage)?.[1];
}

const nums = (v: string) => (/^v(\d+)\.(\d+)\.(\d+)-k3s(\d+)$/.exec(v) ?? []).slice(1).map(Number);

/**
 * k3s's packaged images for a k3s release (Traefik is disabled by this program, so neither Traefik
 * nor its klipper-helm install job runs; local-path's busybox helper runs only for a PVC, which the
 * lab does not claim). A release not in the table gets its nearest row, named in `approximate`.
 */
export function k3sSystemImages(k3sImage: string): { images: K3sSystemImage[]; approximate?: string; source: string } {
    const version = k3sVersionOf(k3sImage);
    let row = K3S_SYSTEM_IMAGES.find((r) => r.version === version);
    let approximate: string | undefined;
    if (!row) {
        const v = version ? nums(version) : [];
        row = [...K3S_SYSTEM_IMAGES].sort((a, b) => {
            const x = nums(a.version);
            const y = nums(b.version);
            for (let i = 0; i < 4; i++) {
                const d = Math.abs((x[i] ?? 0) - (v[i] ?? 0)) - Math.abs((y[i] ?? 0) - (v[i] ?? 0));
                if (d !== 0) return d;
            }
            return 0;
        })[0];
        approximate = row.version;
    }
    return {
        images: [
            { ref: PAUSE, role: "the pod sandbox (pause) of every pod, on every node (k3s)", pods: "every-node" },
            { ref: `docker.io/rancher/mirrored-coredns-coredns:${row.coredns}`, role: "CoreDNS, the cluster DNS (k3s)", pods: 1 },
            { ref: `docker.io/rancher/local-path-provisioner:${row.localPath}`, role: "the local-path storage provisioner (k3s)", pods: 1 },
            { ref: `docker.io/rancher/mirrored-metrics-server:${row.metricsServer}`, role: "metrics-server (k3s)", pods: 1 },
            { ref: KLIPPER_LB, role: "ServiceLB's pod on every node for a LoadBalancer Service (k3s)", pods: "every-node", onlyWithLoadBalancer: true },
        ],
        ...(approximate ? { approximate } : {}),
        source: row.source,
    };
}

/**
 * k3d's own containers (k3d v5.9.0 pkg/types/images.go): the load balancer in front of the nodes and
 * the tools node `cluster create` starts; both tagged with the k3d version, pulled by this machine's Docker.
 */
export function k3dHelperImages(k3dVersion: string): { ref: string; role: string }[] {
    const tag = k3dVersion.replace(/^v/, "");
    return [
        { ref: `ghcr.io/k3d-io/k3d-proxy:${tag}`, role: `k3d's load balancer in front of the nodes (k3d ${k3dVersion})` },
        { ref: `ghcr.io/k3d-io/k3d-tools:${tag}`, role: `k3d's tools node, started by cluster create (k3d ${k3dVersion})` },
    ];
}
