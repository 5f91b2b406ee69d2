import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { EksClusterConfig } from "../config/types";

export interface EksClusterArgs {
    cluster: EksClusterConfig;
}

/**
 * What EKS worker nodes need (AWS's managed node group guide); ECR read-only lets pods pull images the
 * stack pushes to its own ECR repository with the node's role, so no image pull Secret is needed.
 */
export const NODE_ROLE_POLICIES = [aws.iam.ManagedPolicy.AmazonEKSWorkerNodePolicy, aws.iam.ManagedPolicy.AmazonEKS_CNI_Policy, aws.iam.ManagedPolicy.AmazonEC2ContainerRegistryReadOnly];

/**
 * A managed EKS cluster (@pulumi/eks) in the account's default VPC, with one EKS managed node group
 * sized from config. Exposes the kubeconfig (secret), a Provider on it and the AWS provider the rest
 * of the stack's AWS resources (ECR) use, so the region comes from config, never the ambient one.
 */
export class EksCluster extends pulumi.ComponentResource {
    readonly clusterName: string;
    readonly kubeconfig: pulumi.Output<string>;
    readonly provider: k8s.Provider;
    readonly awsProvider: aws.Provider;
    readonly cluster: eks.Cluster;
    readonly nodeGroup: eks.ManagedNodeGroup;

    constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:cluster:EksCluster", name, {}, opts);
        const c = args.cluster;
        this.awsProvider = new aws.Provider(name, { region: c.region as aws.Region }, { parent: this });
        const inAws = { parent: this, provider: this.awsProvider };

        const nodeRole = new aws.iam.Role(
            `${name}-nodes`,
            { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }) },
            inAws,
        );
        const attachments = NODE_ROLE_POLICIES.map(
            (policyArn) => new aws.iam.RolePolicyAttachment(`${name}-nodes-${policyArn.split("/").pop()}`, { role: nodeRole.name, policyArn }, inAws),
        );

        this.cluster = new eks.Cluster(
            name,
            {
                // A fixed physical name: the kube context and `aws eks update-kubeconfig --name` can name it.
                name: c.name,
                version: c.kubernetesVersion,
                // Access entries (not the deprecated aws-auth ConfigMap); EKS adds the managed node group's role itself.
                authenticationMode: eks.AuthenticationMode.Api,
                // The default node group is self-managed (an Auto Scaling group); the lab uses a managed one below.
                skipDefaultNodeGroup: true,
            },
            { parent: this, providers: { aws: this.awsProvider } },
        );

        this.nodeGroup = new eks.ManagedNodeGroup(
            `${name}-nodes`,
            {
                cluster: this.cluster,
                nodeRole,
                instanceTypes: [c.nodeGroup.instanceType],
                scalingConfig: { minSize: c.nodeGroup.minSize, desiredSize: c.nodeGroup.desiredSize, maxSize: c.nodeGroup.maxSize },
            },
            // Nodes without their policies never join; detaching them first on destroy would strand the nodes.
            { parent: this, providers: { aws: this.awsProvider }, dependsOn: attachments },
        );

        this.clusterName = c.name;
        this.kubeconfig = pulumi.secret(this.cluster.kubeconfigJson);
        // Everything on this provider waits for the nodes: Istio's charts wait for pods to be ready,
        // which on a cluster with no nodes yet would only time out.
        this.provider = new k8s.Provider(name, { kubeconfig: this.kubeconfig }, { parent: this, dependsOn: [this.nodeGroup] });
        this.registerOutputs({ clusterName: this.clusterName, kubeconfig: this.kubeconfig });
    }
}
