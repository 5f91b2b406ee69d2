/**
 * The one place the ambient data plane differs by cluster: the `global.platform` the cni and ztunnel
 * charts get (their files/profile-platform-<name>.yaml set the node's CNI paths), and what a user of
 * that cluster must know. Istio 1.30 charts, read 2026-12 on istio/istio release-1.30; platform notes
 * from istio.io docs/ambient/install/platform-prerequisites (stored copy 00d0cab1). Pure.
 */
import type { ClusterConfig, CniPlatform, DataplaneConfig } from "../../config/types";

export interface AmbientPlatform {
    /** The charts' `global.platform`; undefined: the chart defaults (/opt/cni/bin, /etc/cni/net.d). */
    platform?: CniPlatform;
    /** Why this platform, and what else the cluster needs, in a sentence or two each. */
    notes: string[];
}

const K3D_NOTES = [
    "k3d: platform k3d sets cniConfDir /var/lib/rancher/k3s/agent/etc/cni/net.d and cniBinDir /bin (profile-platform-k3d.yaml). " +
        "The k3s paths do not work on k3d: every pod sandbox then fails with `failed to find plugin \"istio-cni\"` (istio/istio PR #57110).",
    "k3d: Traefik stays disabled (--disable=traefik), as Istio's platform page asks, so it does not clash with the ingress gateway.",
    "k3d: `k3d cluster stop` / `start` is a node reboot without a drain; pods can lose their ztunnel redirection (istio#60882, #57285, open): `npm run verify` checks for it and says how to recover.",
];

const EKS_NOTES = [
    "EKS: no platform value: the Amazon VPC CNI keeps its files where the cni chart looks by default (/opt/cni/bin, /etc/cni/net.d).",
    "EKS: with pod security groups (SecurityGroupPolicy, branch ENIs), set the VPC CNI's POD_SECURITY_GROUP_ENFORCING_MODE=standard, or kubelet probes fail " +
        "(istio.io ambient platform prerequisites; aws/amazon-vpc-cni-k8s#2797). Istio 1.30 routes probes of branch-ENI pods through the veth (AMBIENT_ENABLE_AWS_BRANCH_ENI_PROBE, on by default).",
];

const KUBECONFIG_NOTES: Record<CniPlatform | "none", string> = {
    none: "existing cluster: the cni chart's default CNI paths (/opt/cni/bin, /etc/cni/net.d); set istio-mesh:dataplane.platform if the cluster keeps them elsewhere (k3s, gke, minikube, microk8s).",
    k3d: "existing k3d cluster: platform k3d (cniBinDir /bin; not k3s's paths).",
    k3s: "k3s: platform k3s (cniConfDir /var/lib/rancher/k3s/agent/etc/cni/net.d, cniBinDir /var/lib/rancher/k3s/data/cni).",
    gke: "GKE: platform gke (CNI bin dir detected by the chart; a ResourceQuota lets the system-node-critical cni and ztunnel pods run outside kube-system).",
    minikube: "minikube: platform minikube (cniNetnsDir /var/run/docker/netns).",
    microk8s: "microk8s: platform microk8s (the snap's CNI paths).",
};

/** What the cni and ztunnel charts get on this cluster; undefined on the sidecar data plane. */
export function ambientPlatform(cluster: ClusterConfig, dataplane: DataplaneConfig): AmbientPlatform | undefined {
    if (dataplane.mode !== "ambient") return undefined;
    switch (cluster.kind) {
        case "k3d":
            return { platform: "k3d", notes: K3D_NOTES };
        case "eks":
            return { notes: EKS_NOTES };
        case "kubeconfig":
            return { ...(dataplane.platform ? { platform: dataplane.platform } : {}), notes: [KUBECONFIG_NOTES[dataplane.platform ?? "none"]] };
    }
}
