/**
 * The one place stacks differ: which cluster the mesh runs on. Everything after this (Istio, the
 * namespace, workloads, policies) is the same code for every stack, given the Provider returned here.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { MeshConfig } from "../config/types";
import type { ClusterHandle } from "./clusterHandle";
import { devCluster } from "./dev";
import { eksCluster } from "./eks";
import { existingCluster } from "./kubeconfig";

export type { ImageRegistry } from "../components/imageRegistry";
export type { ClusterHandle };

export function clusterFor(cfg: MeshConfig, parent: pulumi.Resource): ClusterHandle {
    switch (cfg.cluster.kind) {
        case "k3d":
            return devCluster(cfg, cfg.cluster, parent);
        case "eks":
            return eksCluster(cfg.cluster, parent);
        case "kubeconfig":
            return existingCluster(cfg.cluster, parent);
    }
}
