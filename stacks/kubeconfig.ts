/** Any existing cluster by kubeconfig: nothing created but what the program installs; images in the configured registry. */
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { ExistingCluster } from "../components/ExistingCluster";
import type { KubeconfigClusterConfig } from "../config/types";
import type { ImageRegistry } from "../components/imageRegistry";
import type { ClusterHandle } from "./clusterHandle";

/** Name of the docker-registry Secret pods pull with when the registry needs a login. */
export const REGISTRY_PULL_SECRET = "istio-mesh-registry";

/** The context the commands use: the configured one, or the `current-context` of the given kubeconfig. */
export function contextOf(c: KubeconfigClusterConfig): string {
    if (c.context !== undefined) return c.context;
    try {
        const doc = yaml.load(c.kubeconfig ?? "") as { "current-context"?: unknown } | undefined;
        if (doc && typeof doc["current-context"] === "string" && doc["current-context"] !== "") return doc["current-context"];
    } catch {
        // render passes "[secret]", which is no kubeconfig: fall through.
    }
    return "istio-mesh";
}

export function registryOf(c: KubeconfigClusterConfig): ImageRegistry {
    const r = c.registry;
    // Config validation requires a registry whenever a workload runs a built image; without one nothing is built.
    if (!r) return { kind: "none" };
    const login = r.username !== undefined && r.password !== undefined;
    return {
        kind: "registry",
        repository: `${r.server}/${r.repository}`,
        server: r.server,
        ...(login ? { username: r.username, password: pulumi.secret(r.password!), pullSecret: REGISTRY_PULL_SECRET } : {}),
    };
}

export function existingCluster(c: KubeconfigClusterConfig, parent: pulumi.Resource): ClusterHandle {
    const cluster = new ExistingCluster("existing-cluster", { cluster: c }, { parent });
    const kubeContext = contextOf(c);
    return {
        provider: cluster.provider,
        kubeconfig: cluster.kubeconfig,
        clusterName: kubeContext,
        kubeContext,
        ingressUrl: undefined,
        imageRegistry: registryOf(c),
    };
}
