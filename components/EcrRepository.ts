import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRegistry } from "./imageRegistry";

export interface EcrRepositoryArgs {
    /** Repository name, e.g. `istio-mesh/servicex`. */
    repositoryName: string;
    /** The stack's AWS provider (its region). */
    awsProvider: aws.Provider;
}

/**
 * An Amazon ECR repository owned by the stack, where program-built images (servicex) are pushed, with
 * push credentials from ECR's authorization token. EKS nodes pull with their role (ECR read-only), so
 * pods need no pull Secret.
 */
export class EcrRepository extends pulumi.ComponentResource {
    readonly repository: aws.ecr.Repository;
    readonly registry: Extract<ImageRegistry, { kind: "registry" }>;

    constructor(name: string, args: EcrRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:images:EcrRepository", name, {}, opts);
        const inAws = { parent: this, provider: args.awsProvider };
        this.repository = new aws.ecr.Repository(
            name,
            {
                name: args.repositoryName,
                imageScanningConfiguration: { scanOnPush: true },
                // `destroy` would otherwise fail on a repository that still holds images.
                forceDelete: true,
            },
            inAws,
        );
        // Read on every `up`: an ECR token lasts 12 hours, so a stored one would be stale by the next run.
        const token = aws.ecr.getAuthorizationTokenOutput({ registryId: this.repository.registryId }, inAws);
        this.registry = {
            kind: "registry",
            repository: this.repository.repositoryUrl,
            // `<account>.dkr.ecr.<region>.amazonaws.com/<name>` → the registry host.
            server: this.repository.repositoryUrl.apply((url) => url.split("/")[0]),
            username: token.userName,
            password: pulumi.secret(token.password),
        };
        this.registerOutputs({ repositoryUrl: this.repository.repositoryUrl });
    }
}
