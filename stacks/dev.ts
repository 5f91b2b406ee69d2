/** The dev stack's cluster: local k3d, ingress on the host port through k3d's load balancer. */
import * as pulumi from "@pulumi/pulumi";
import { K3dCluster, K3dClusterRegistries } from "../components/K3dCluster";
import { K3dRegistryCache } from "../components/K3dRegistryCache";
import { MIRROR_PASSWORD_ENV, mirrorEnvironment } from "../mesh/k3d/registryCache";
import type { K3dClusterConfig, MeshConfig } from "../config/types";
import type { ClusterHandle } from "./clusterHandle";
import { machine } from "./machine";

export function ingressUrl(cluster: K3dClusterConfig): string {
    const { bindAddress, hostPort } = cluster.ingress;
    const host = bindAddress === "127.0.0.1" || bindAddress === "0.0.0.0" ? "localhost" : bindAddress;
    return `http://${host}:${hostPort}`;
}

/** The cache (created first, kept by `down`) or the mirror's login the cluster's `registries:` need. */
function registries(cfg: MeshConfig, cluster: K3dClusterConfig, parent: pulumi.Resource): K3dClusterRegistries | undefined {
    if (cluster.registryMirror) {
        const env = mirrorEnvironment(cluster.registryMirror);
        return Object.keys(env).length ? { environment: { ...env, [MIRROR_PASSWORD_ENV]: pulumi.secret(env[MIRROR_PASSWORD_ENV]) } } : undefined;
    }
    if (!cluster.registryCache) return undefined;
    // The stack's own login wins; else the user's docker login, when up/preview/lab run found one.
    const host = cluster.registryCache.username === undefined ? machine().dockerHubLogin() : undefined;
    const settings = host ? { ...cluster.registryCache, ...host } : cluster.registryCache;
    const cache = new K3dRegistryCache(cluster.registryCache.name, { cache: settings, clusterName: cluster.name, image: cfg.versions.registryCacheImage }, { parent });
    return { ensureScript: cache.ensureScript, environment: cache.environment, dependsOn: [cache.registry] };
}

export function devCluster(cfg: MeshConfig, cluster: K3dClusterConfig, parent: pulumi.Resource): ClusterHandle {
    const k3d = new K3dCluster(cluster.name, { cluster, versions: cfg.versions, registries: registries(cfg, cluster, parent) }, { parent });
    return {
        provider: k3d.provider,
        kubeconfig: k3d.kubeconfig,
        clusterName: k3d.clusterName,
        kubeContext: k3d.kubeContext,
        ingressUrl: ingressUrl(cluster),
        imageRegistry: { kind: "k3d-import", clusterName: k3d.clusterName, ready: k3d.cluster, prerequisites: k3d.prerequisites },
        lifetime: k3d.cluster,
    };
}
