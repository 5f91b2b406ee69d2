/** The cloud stack's managed cluster: EKS, the gateway behind an AWS load balancer, images in ECR. */
import * as pulumi from "@pulumi/pulumi";
import { EcrRepository } from "../components/EcrRepository";
import { EksCluster } from "../components/EksCluster";
import type { EksClusterConfig } from "../config/types";
import type { ClusterHandle } from "./clusterHandle";

/** The one program-built image today; its repository is named under the cluster so two stacks in one account do not collide. */
export const SERVICEX_REPOSITORY = "servicex";

export function eksCluster(c: EksClusterConfig, parent: pulumi.Resource): ClusterHandle {
    const cluster = new EksCluster(c.name, { cluster: c }, { parent });
    const ecr = new EcrRepository(`${c.name}-${SERVICEX_REPOSITORY}`, { repositoryName: `${c.name}/${SERVICEX_REPOSITORY}`, awsProvider: cluster.awsProvider }, { parent });
    return {
        provider: cluster.provider,
        kubeconfig: cluster.kubeconfig,
        clusterName: cluster.clusterName,
        // The context `aws eks update-kubeconfig --alias <name>` writes (see mesh/commands.ts).
        kubeContext: c.name,
        // Known once the load balancer exists: the program reads it from the gateway Service.
        ingressUrl: undefined,
        imageRegistry: ecr.registry,
    };
}
