/** What each stack's cluster (stacks/dev.ts, eks.ts, kubeconfig.ts) hands the program. */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ImageRegistry } from "../components/imageRegistry";

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
