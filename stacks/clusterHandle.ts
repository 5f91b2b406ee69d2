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
     * Where the ingress gateway answers (e.g. http://localhost:8000). Undefined on a cloud cluster: the
     * gateway Service is a LoadBalancer whose address the program reads once the cloud assigns it.
     */
    ingressUrl: pulumi.Input<string> | undefined;
    imageRegistry: ImageRegistry;
}
