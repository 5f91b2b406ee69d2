import { createHash } from "crypto";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { K3dClusterConfig } from "../config/types";
import type { Versions } from "../config/versions";
import { clusterResourceName, k3dConfigYaml, k3dCreateScript, k3dPrerequisitesScript, k3dDeleteScript, k3dKubeconfigScript, k3dUpdateScript, kubeContext } from "../mesh/k3d/K3dConfig";

export interface K3dClusterArgs {
    cluster: K3dClusterConfig;
    versions: Versions;
    /** The registry cache or mirror the config's `registries:` names (components/K3dRegistryCache.ts). */
    registries?: K3dClusterRegistries;
}

export interface K3dClusterRegistries {
    /** Runs right before `k3d cluster create`: k3d fails on a `registries.use` entry that does not exist. */
    ensureScript?: string;
    /** For that script and for the `${VAR}`s k3d expands in the config (logins; the passwords secret). */
    environment?: Record<string, pulumi.Input<string>>;
    /** The cluster waits for these (the cache). */
    dependsOn?: pulumi.Resource[];
}

/**
 * A local k3d cluster driven by the k3d CLI (@pulumi/command): created on `up`, deleted on `destroy`,
 * re-created when its k3d config changes (or, through `npm run up`, when it was deleted by hand).
 * Exposes the kubeconfig (secret) and a Provider on it; `cluster` is what every object in it is
 * deleted with (see components/clusterLifetime.ts).
 */
export class K3dCluster extends pulumi.ComponentResource {
    readonly clusterName: string;
    readonly kubeContext: string;
    readonly kubeconfig: pulumi.Output<string>;
    readonly provider: k8s.Provider;
    /** The `k3d cluster create` command: done means the cluster exists (e.g. for `k3d image import`). */
    readonly cluster: command.local.Command;
    /** docker, its daemon and k3d checked, with what to install: whatever needs Docker (the image build) waits for it. */
    readonly prerequisites: command.local.Command;

    constructor(name: string, args: K3dClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:cluster:K3dCluster", name, {}, opts);
        const configYaml = k3dConfigYaml(args.cluster, args.versions);
        const configHash = createHash("sha256").update(configYaml).digest("hex").slice(0, 16);

        // Its own step, so the servicex build (also Docker) fails with the same message instead of racing the cluster.
        const prerequisites = (this.prerequisites = new command.local.Command(`${name}-prerequisites`, { create: k3dPrerequisitesScript() }, { parent: this }));
        const cluster = (this.cluster = new command.local.Command(
            clusterResourceName(args.cluster),
            {
                create: k3dCreateScript(args.registries?.ensureScript),
                update: k3dUpdateScript(args.cluster),
                delete: k3dDeleteScript(args.cluster),
                stdin: configYaml,
                ...(args.registries?.environment && Object.keys(args.registries.environment).length ? { environment: args.registries.environment } : {}),
                // Any change to the cluster's config replaces it; nothing else does.
                triggers: [configHash],
            },
            // Same name on both sides of a replacement: k3d refuses to create a name that exists.
            { parent: this, deleteBeforeReplace: true, dependsOn: [prerequisites, ...(args.registries?.dependsOn ?? [])] },
        ));

        // Read again whenever the cluster is replaced, also by `up --replace` of a cluster deleted by hand,
        // whose config (and so triggers) did not change: a new cluster has new certificates.
        const kubeconfig = new command.local.Command(
            `${name}-kubeconfig`,
            { create: k3dKubeconfigScript(args.cluster), triggers: [configHash], logging: "stderr" },
            { parent: this, dependsOn: [cluster], additionalSecretOutputs: ["stdout"], replaceWith: [cluster] },
        );

        this.clusterName = args.cluster.name;
        this.kubeContext = kubeContext(args.cluster);
        this.kubeconfig = pulumi.secret(kubeconfig.stdout);
        // Every object on this provider lives in the cluster and nowhere else. When the cluster is
        // replaced, an engine without pulumi/pulumi#23818 (merged after v3.259) still sends the old
        // objects' deletes to the old provider at the end of the run, and the cluster they name is gone:
        // with deleteUnreachable they leave the state instead of failing every later up and down
        // ("configured Kubernetes cluster is unreachable"). It acts only when the provider cannot reach
        // its cluster; npm run up refuses a cluster that is merely stopped before the engine runs
        // (engine/k3dLifecycle.ts). pulumi-kubernetes provider.go Configure/Delete/Read, v4.32 (2026-12).
        this.provider = new k8s.Provider(name, { kubeconfig: this.kubeconfig, deleteUnreachable: true }, { parent: this });
        this.registerOutputs({ clusterName: this.clusterName, kubeContext: this.kubeContext, kubeconfig: this.kubeconfig });
    }
}
