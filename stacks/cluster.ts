/**
 * The one place stacks differ: which cluster the mesh runs on. Everything after this (Istio, the
 * namespace, workloads, policies) is the same code for every stack, given the Provider returned here.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshConfig } from "../config/types";
import { devCluster } from "./dev";

export interface ClusterHandle {
    provider: k8s.Provider;
    kubeconfig: pulumi.Output<string>;
    clusterName: string;
    kubeContext: string;
    /** Where the ingress gateway answers (e.g. http://localhost:8000). */
    ingressUrl: pulumi.Input<string>;
}

export function clusterFor(cfg: MeshConfig, parent: pulumi.Resource): ClusterHandle {
    switch (cfg.cluster.kind) {
        case "k3d":
            return devCluster(cfg, parent);
    }
}
