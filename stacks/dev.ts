/** The dev stack's cluster: local k3d, ingress on the host port through k3d's load balancer. */
import * as pulumi from "@pulumi/pulumi";
import { K3dCluster } from "../components/K3dCluster";
import type { K3dClusterConfig, MeshConfig } from "../config/types";
import type { ClusterHandle } from "./clusterHandle";

export function ingressUrl(cluster: K3dClusterConfig): string {
    const { bindAddress, hostPort } = cluster.ingress;
    const host = bindAddress === "127.0.0.1" || bindAddress === "0.0.0.0" ? "localhost" : bindAddress;
    return `http://${host}:${hostPort}`;
}

export function devCluster(cfg: MeshConfig, cluster: K3dClusterConfig, parent: pulumi.Resource): ClusterHandle {
    const k3d = new K3dCluster(cluster.name, { cluster, versions: cfg.versions }, { parent });
    return {
        provider: k3d.provider,
        kubeconfig: k3d.kubeconfig,
        clusterName: k3d.clusterName,
        kubeContext: k3d.kubeContext,
        ingressUrl: ingressUrl(cluster),
        imageRegistry: { kind: "k3d-import", clusterName: k3d.clusterName, ready: k3d.cluster, prerequisites: k3d.prerequisites },
    };
}
