import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { RegistryCacheConfig } from "../config/types";
import { PREFLIGHT } from "../mesh/k3d/K3dConfig";
import { CACHE_PASSWORD_ENV, cacheContainer, cacheEnvironment, registryCacheEnsureScript } from "../mesh/k3d/registryCache";

export interface K3dRegistryCacheArgs {
    cache: RegistryCacheConfig;
    /** The cluster that uses it: a cache re-created under a running cluster is connected to its network again. */
    clusterName: string;
    /** The registry image (istio-mesh:versions.registryCacheImage). */
    image: string;
}

/**
 * The Docker Hub pull-through cache of the k3d nodes: a standalone `k3d registry create` (not the
 * cluster's `registries.create`, which `k3d cluster delete` removes with the cluster). It outlives the
 * cluster on purpose: `down` leaves it (retainOnDelete), so the next `up` finds every image already in
 * its volume. docs/cluster-registry-cache.md says how to remove it.
 */
export class K3dRegistryCache extends pulumi.ComponentResource {
    /** The `k3d-<name>` container the nodes pull through. */
    readonly container: string;
    /** Done means the cache runs as configured: the cluster waits for it. */
    readonly registry: command.local.Command;
    /** The same steps, for the cluster to run right before `k3d cluster create` (a cache removed by hand is back). */
    readonly ensureScript: string;
    /** The cache's Docker Hub login for those steps (the password a secret); empty without a login. */
    readonly environment: Record<string, pulumi.Input<string>>;

    constructor(name: string, args: K3dRegistryCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:cluster:K3dRegistryCache", name, {}, opts);
        this.container = cacheContainer(args.cache);
        this.ensureScript = registryCacheEnsureScript(args.cache, args.clusterName, args.image);
        const env = cacheEnvironment(args.cache);
        this.environment = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, k === CACHE_PASSWORD_ENV ? pulumi.secret(v) : v]));
        this.registry = new command.local.Command(
            `${name}-registry`,
            // No update script: a changed setting or login runs create again, which re-creates the cache (its volume stays).
            { create: `set -eu\n${PREFLIGHT}\n${this.ensureScript}`, ...(Object.keys(env).length ? { environment: this.environment } : {}) },
            // `down` (and a replacement) forgets it without deleting it: that is the point of the cache.
            { parent: this, retainOnDelete: true },
        );
        this.registerOutputs({ container: this.container });
    }
}
