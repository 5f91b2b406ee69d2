import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubeconfigClusterConfig } from "../config/types";

export interface ExistingClusterArgs {
    cluster: KubeconfigClusterConfig;
}

/**
 * A cluster the program does not own (GKE, AKS, DOKS, on-prem…), reached through a kubeconfig given
 * as secret config or a context of the ambient KUBECONFIG. Only a Provider: nothing here is created in
 * or removed from the cloud, and `destroy` removes only what the program installed.
 */
export class ExistingCluster extends pulumi.ComponentResource {
    readonly kubeconfig: pulumi.Output<string>;
    readonly provider: k8s.Provider;

    constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:cluster:ExistingCluster", name, {}, opts);
        const c = args.cluster;
        // With a context only, the provider reads the ambient KUBECONFIG (or ~/.kube/config) at deploy
        // time; the program never reads or stores that file, so the stack output stays empty.
        this.kubeconfig = pulumi.secret(c.kubeconfig ?? "");
        this.provider = new k8s.Provider(
            name,
            {
                ...(c.kubeconfig !== undefined ? { kubeconfig: this.kubeconfig } : { context: c.context }),
                // Off unless the user opts in: on a shared cluster, upsert would silently adopt (and on
                // destroy delete) an istio-system or Istio install someone else owns. The price of
                // "off": Istio's CRDs survive a destroy (Helm's keep policy), so the next `up` on the
                // same cluster fails with AlreadyExists until they are deleted or this is turned on.
                upsertExistingObjects: c.upsertExistingObjects,
            },
            { parent: this },
        );
        this.registerOutputs({ kubeconfig: this.kubeconfig });
    }
}
