import * as pulumi from "@pulumi/pulumi";

/**
 * Everything a stack installs in a cluster it owns (the dev stack's k3d cluster) is deleted with that
 * cluster: `down` is one `k3d cluster delete`, not one awaited delete per object, and a cluster deleted
 * by hand leaves nothing for `down` to fail on (the engine skips the delete of a resource whose
 * `deletedWith` resource is deleted in the same run; pulumi/pulumi pkg/resource/deploy/step.go).
 *
 * Set explicitly on every Kubernetes resource, not left to inheritance: the engine copies deletedWith
 * from a parent's goal since 2023 (source_eval.go inheritFromParent), but the Node SDK does not, so
 * under mocks (and on older engines) only an explicit option is there. Helm v4 Chart children are
 * registered by the provider itself; they get it from their Chart through the engine's inheritance.
 */
export function deletedWith(lifetime: pulumi.Resource): pulumi.ResourceTransformation {
    return (args) => {
        if (!args.type.startsWith("kubernetes:") || args.opts.deletedWith) return undefined;
        return { props: args.props, opts: pulumi.mergeOptions(args.opts, { deletedWith: lifetime }) };
    };
}
