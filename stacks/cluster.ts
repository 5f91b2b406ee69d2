/**
 * The one place stacks differ: which cluster the mesh runs on. Everything after this (Istio, the
 * namespace, workloads, policies) is the same code for every stack, given the Provider returned here.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshConfig } from "../config/types";
import { devCluster } from "./dev";
import { eksCluster } from "./eks";
import { existingCluster } from "./kubeconfig";

/**
 * Where images the program builds (servicex) go, so the cluster can run them:
 * - `k3d-import`: no registry at all; the image is built into the local Docker daemon and imported
 *   into the k3d cluster's nodes (`k3d image import`), pods use imagePullPolicy IfNotPresent;
 * - `registry`: pushed to a registry (ECR on eks, the registry named in config on kubeconfig), with
 *   credentials when given; pods pull it from there.
 */
export type ImageRegistry =
    /** Nothing to build: no workload runs an image the program builds (kubeconfig mode without a registry). */
    | { kind: "none" }
    | { kind: "k3d-import"; clusterName: string; /** The cluster must exist before an import. */ ready: pulumi.Resource; /** docker and its daemon checked: the build waits for it. */ prerequisites: pulumi.Resource }
    | {
          kind: "registry";
          /** Repository without tag, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/servicex`. */
          repository: pulumi.Input<string>;
          server: pulumi.Input<string>;
          username?: pulumi.Input<string>;
          password?: pulumi.Input<string>;
          /** Name of a docker-registry Secret in the workload namespace for pods to pull with, if needed. */
          pullSecret?: string;
      };

export interface ClusterHandle {
    provider: k8s.Provider;
    kubeconfig: pulumi.Output<string>;
    clusterName: string;
    kubeContext: string;
    /**
     * Where the ingress gateway answers (e.g. http://localhost:8000). Undefined when the gateway Service
     * is a LoadBalancer (EKS, or an existing cluster so configured): the program reads its address once
     * the cloud assigns it.
     */
    ingressUrl: pulumi.Input<string> | undefined;
    imageRegistry: ImageRegistry;
    /**
     * The resource whose deletion deletes the cluster, when the stack owns a cluster that holds nothing
     * else (k3d): every Kubernetes object of the stack is deleted with it. Undefined on a cluster that
     * outlives the stack's objects (an existing cluster) or whose deletion is itself awaited (EKS).
     */
    lifetime?: pulumi.Resource;
}

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
