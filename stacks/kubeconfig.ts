/** Any existing cluster by kubeconfig: nothing created but what the program installs; images in the configured registry. */
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { ExistingCluster } from "../components/ExistingCluster";
import type { KubeconfigClusterConfig } from "../config/types";
import type { ImageRegistry } from "../components/imageRegistry";
import type { ClusterHandle } from "./clusterHandle";
import { httpUrl } from "../mesh/ingress/externalAddress";

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

/**
 * Where the gateway answers, per `ingress.serviceType`: undefined for a LoadBalancer (read from the
 * Service once the cloud assigns it), a node's address and the nodePort, or the local end of the
 * `kubectl port-forward` the `commands` output prints (ingressPortForward).
 */
export function ingressUrlOf(c: KubeconfigClusterConfig): string | undefined {
    const i = c.ingress;
    switch (i.serviceType) {
        case "LoadBalancer":
            return undefined;
        case "NodePort":
            return i.nodeAddress ? httpUrl(i.nodeAddress, i.nodePort) : `(NodePort ${i.nodePort} on any node: http://<node address>:${i.nodePort}; kubectl get nodes -o wide lists the addresses)`;
        case "ClusterIP":
            return httpUrl("localhost", i.localPort);
    }
}

export function existingCluster(c: KubeconfigClusterConfig, parent: pulumi.Resource): ClusterHandle {
    const cluster = new ExistingCluster("existing-cluster", { cluster: c }, { parent });
    const kubeContext = contextOf(c);
    return {
        provider: cluster.provider,
        kubeconfig: cluster.kubeconfig,
        clusterName: kubeContext,
        kubeContext,
        ingressUrl: ingressUrlOf(c),
        imageRegistry: registryOf(c),
    };
}
