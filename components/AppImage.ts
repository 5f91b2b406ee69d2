import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { BuiltAppImage } from "../config/images";
import { k3dImageImportScript } from "../mesh/k3d/imageImport";
import type { ImageRegistry } from "./imageRegistry";
import type { BuiltImageUse } from "./builtImages";

export interface AppImageArgs {
    image: BuiltAppImage;
    registry: ImageRegistry;
    provider: k8s.Provider;
    /** Workload namespace, for the pull Secret. */
    namespace: string;
    /** The namespace must exist before a Secret in it. */
    dependsOn: pulumi.Resource[];
    /** The Docker daemon to build with: the Docker CLI's (stacks/dockerEndpoint.ts), never the provider's guess. */
    docker: docker.Provider;
}

/**
 * One app under apps/ built with @pulumi/docker (single platform, content tag) and made available to
 * the cluster: imported into the k3d nodes on dev (no registry at all), or pushed to the stack's registry.
 */
export class AppImage extends pulumi.ComponentResource {
    /** How the Deployments of the plan use it (see Workloads). */
    readonly use: BuiltImageUse;

    constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:images:AppImage", name, {}, opts);
        const img = args.image;
        const reg = args.registry;
        const build: docker.types.input.DockerBuild = {
            context: img.context,
            dockerfile: img.dockerfile,
            platform: img.platform,
            args: { NODE_IMAGE: img.baseImage },
        };

        if (reg.kind === "none") {
            // config/parse.ts refuses a built image without a registry; reaching this is a bug, not a user error.
            throw new Error(`istio-mesh: ${name} is to be built but the cluster has no image registry`);
        }
        if (reg.kind === "k3d-import") {
            // After the prerequisites step: without Docker the build fails with the message that says what to install.
            const image = new docker.Image(name, { imageName: img.ref, build, skipPush: true }, { parent: this, provider: args.docker, dependsOn: [reg.prerequisites] });
            const imported = new command.local.Command(
                `${name}-import`,
                { create: k3dImageImportScript(img.ref, reg.clusterName), triggers: [img.ref] },
                // A replaced cluster has none of the old imports: import again (engines without replaceWith ignore it).
                { parent: this, dependsOn: [image, reg.ready], replaceWith: [reg.ready] },
            );
            this.use = { planRef: img.ref, image: img.ref, dependsOn: [imported] };
        } else {
            const image = new docker.Image(
                name,
                {
                    imageName: pulumi.interpolate`${reg.repository}:${img.tag}`,
                    build,
                    registry: { server: reg.server, username: reg.username, password: reg.password },
                },
                { parent: this, provider: args.docker },
            );
            const dependsOn: pulumi.Resource[] = [image];
            if (reg.pullSecret && reg.username !== undefined && reg.password !== undefined) {
                dependsOn.push(pullSecret(reg.pullSecret, reg, args, this));
            }
            // imageName resolves once the push is done.
            this.use = { planRef: img.ref, image: image.imageName, dependsOn, ...(reg.pullSecret ? { pullSecret: reg.pullSecret } : {}) };
        }
        this.registerOutputs({ image: this.use.image });
    }
}

/** A docker-registry Secret from the registry's credentials (a Pulumi secret: it holds the password). */
function pullSecret(name: string, reg: Extract<ImageRegistry, { kind: "registry" }>, args: AppImageArgs, parent: pulumi.Resource): k8s.core.v1.Secret {
    const dockerconfigjson = pulumi.secret(
        pulumi.all([reg.server, reg.username!, reg.password!]).apply(([server, username, password]) =>
            JSON.stringify({ auths: { [server]: { username, password, auth: Buffer.from(`${username}:${password}`).toString("base64") } } }),
        ),
    );
    return new k8s.core.v1.Secret(
        name,
        { metadata: { name, namespace: args.namespace }, type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": dockerconfigjson } },
        { parent, provider: args.provider, dependsOn: args.dependsOn },
    );
}
