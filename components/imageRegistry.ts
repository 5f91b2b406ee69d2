/**
 * Where the images the program builds go: decided by the stack (stacks/), consumed by the components
 * that build and push them (AppImage, EcrRepository). A type only; it lives beside its consumers so
 * components import nothing from stacks/.
 */
import type * as pulumi from "@pulumi/pulumi";

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
