import * as yaml from "js-yaml";
import { COURSE_DEFAULTS } from "../defaults";
import { isObject, overlay, setOwn } from "../merge";
import { Node, show, suggest } from "../reader";
import type { ClusterConfig, ClusterKind, CloudIngressConfig, EksClusterConfig, K3dClusterConfig, KubeconfigClusterConfig, RegistryConfig } from "../types";
import type { Versions } from "../versions";
import { kubernetesMinor } from "./versions";

export const CLUSTER_KINDS: readonly ClusterKind[] = ["k3d", "eks", "kubeconfig"];

/** The keys each kind reads; a key of another kind is an error that names the kind it belongs to. */
export const CLUSTER_KEYS: Record<ClusterKind, { keys: string[]; ingress: string[] }> = {
    k3d: { keys: ["kind", "name", "agents", "ingress", "apiPort"], ingress: ["hostPort", "nodePort", "bindAddress"] },
    eks: { keys: ["kind", "name", "region", "kubernetesVersion", "nodeGroup", "ingress"], ingress: ["annotations"] },
    kubeconfig: { keys: ["kind", "context", "kubeconfig", "registry", "upsertExistingObjects", "ingress"], ingress: ["annotations"] },
};

/**
 * The cloud stack's defaults: a small EKS cluster that fits Istio, the addons and the demo workloads
 * (docs/cloud.md has the arithmetic), behind an AWS Network Load Balancer.
 */
export const EKS_DEFAULTS = {
    name: "istio-mesh",
    region: "eu-west-1",
    nodeGroup: { instanceType: "t3.large", minSize: 2, desiredSize: 2, maxSize: 3 },
    // EKS's built-in service controller makes an NLB instead of a Classic LB for this annotation.
    annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } as Record<string, string>,
} as const;

/** What render prints for a `--secret` value it cannot decrypt (config/stackConfig.ts); checked at deploy time. */
const MASKED_SECRET = "[secret]";
/** A commercial AWS region (the IAM policy ARNs used for the nodes are in the `aws` partition). */
const REGION = /^[a-z]{2}-[a-z]+-\d$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const ANNOTATION_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Registry host with an optional port: `ghcr.io`, `registry.example.com:5000`. */
const REGISTRY_HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:\d{1,5})?$/;
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** Keys allowed for `kind`; a key that belongs to another kind says so, anything else gets "did you mean". */
function checkKeys(n: Node, kind: ClusterKind, allowed: (k: ClusterKind) => string[]): boolean {
    if (!n.isSet) return true;
    if (!isObject(n.value)) return n.object(allowed(kind));
    for (const key of Object.keys(n.value)) {
        if (allowed(kind).includes(key)) continue;
        const owner = CLUSTER_KINDS.find((k) => k !== kind && allowed(k).includes(key));
        n.problems.add(
            `${n.path}.${key}`,
            owner
                ? `is a setting of cluster.kind "${owner}"; it does not apply to cluster.kind "${kind}" (remove it; keys for "${kind}": ${allowed(kind).join(", ")})`
                : suggest(key, allowed(kind)),
        );
    }
    return true;
}

/** `istio-mesh:cluster`: which cluster the mesh runs on, validated per kind. */
export function parseCluster(n0: Node, versions: Versions): ClusterConfig {
    const kindNode = n0.child("kind");
    const kind = kindNode.oneOf<ClusterKind>(COURSE_DEFAULTS.cluster.kind, CLUSTER_KINDS);
    if (n0.isSet && !isObject(n0.value)) {
        n0.object(CLUSTER_KEYS[kind].keys);
        return k3dCluster(new Node(n0.problems, n0.path, undefined));
    }
    checkKeys(n0, kind, (k) => CLUSTER_KEYS[k].keys);
    checkKeys(n0.child("ingress"), kind, (k) => CLUSTER_KEYS[k].ingress);
    switch (kind) {
        case "k3d":
            return k3dCluster(n0);
        case "eks":
            return eksCluster(n0, versions);
        case "kubeconfig":
            return kubeconfigCluster(n0);
    }
}

function k3dCluster(n0: Node): K3dClusterConfig {
    const d = COURSE_DEFAULTS.cluster;
    const n = new Node(n0.problems, n0.path, overlay(d, n0.value));
    const ingress = n.child("ingress");
    const hostPort = ingress.child("hostPort").port(d.ingress.hostPort);
    const apiPort = n.child("apiPort").port(d.apiPort);
    // Both are published on this machine by k3d; the second bind would fail `k3d cluster create`.
    if (hostPort === apiPort) {
        const userSetApi = isObject(n0.value) && n0.value.apiPort !== undefined;
        n.problems.add(userSetApi ? `${n.path}.apiPort` : `${n.path}.ingress.hostPort`, `${hostPort} is both the Kubernetes API port (apiPort) and the ingress host port (ingress.hostPort); k3d can bind a host port once: choose two different ports`);
    }
    return {
        kind: "k3d",
        name: n.child("name").dnsLabel(d.name),
        servers: 1,
        agents: n.child("agents").int(d.agents, { min: 0, max: 10 }),
        ingress: {
            hostPort,
            nodePort: ingress.child("nodePort").int(d.ingress.nodePort, { min: 30000, max: 32767 }),
            bindAddress: ingress.child("bindAddress").ipv4(d.ingress.bindAddress),
        },
        apiPort,
    };
}

function pattern(n: Node, fallback: string, re: RegExp, expected: string): string {
    const v = n.string(fallback);
    if (n.isSet && typeof n.value === "string" && !re.test(v)) {
        n.problems.add(n.path, `${show(v)} is not ${expected}`);
        return fallback;
    }
    return v;
}

/** Service annotations: string values (numbers and booleans are quoted for the user, as Kubernetes needs). */
function annotations(n: Node, fallback: Record<string, string>): Record<string, string> {
    if (!n.isSet) return { ...fallback };
    const out: Record<string, string> = {};
    for (const [k, v] of n.entries()) {
        if (!ANNOTATION_KEY.test(k)) v.problems.add(v.path, `${show(k)} is not a valid annotation key (e.g. service.beta.kubernetes.io/aws-load-balancer-type)`);
        else if (typeof v.value === "string" || typeof v.value === "number" || typeof v.value === "boolean") setOwn(out, k, String(v.value));
        else v.problems.add(v.path, `${show(v.value)} is not allowed; an annotation value is a string (quote it, e.g. "true")`);
    }
    return out;
}

function cloudIngress(n: Node, fallback: Record<string, string>): CloudIngressConfig {
    return { annotations: annotations(n.child("annotations"), fallback) };
}

function eksCluster(n: Node, versions: Versions): EksClusterConfig {
    const d = EKS_DEFAULTS;
    const ng = n.child("nodeGroup");
    ng.object(["instanceType", "minSize", "desiredSize", "maxSize"]);
    const minSize = ng.child("minSize").int(d.nodeGroup.minSize, { min: 1, max: 20 });
    const maxSize = ng.child("maxSize").int(Math.max(d.nodeGroup.maxSize, minSize), { min: 1, max: 20 });
    const desiredSize = ng.child("desiredSize").int(Math.min(Math.max(d.nodeGroup.desiredSize, minSize), maxSize), { min: 1, max: 20 });
    if (minSize > maxSize) ng.problems.add(`${ng.path}.minSize`, `${minSize} is larger than maxSize ${maxSize}; expected minSize <= desiredSize <= maxSize`);
    else if (desiredSize < minSize || desiredSize > maxSize) ng.problems.add(`${ng.path}.desiredSize`, `${desiredSize} is not between minSize ${minSize} and maxSize ${maxSize}`);
    return {
        kind: "eks",
        name: n.child("name").dnsLabel(d.name),
        region: pattern(n.child("region"), d.region, REGION, "an AWS region (e.g. eu-west-1, us-east-1)"),
        kubernetesVersion: kubernetesMinor(n.child("kubernetesVersion"), versions.eksKubernetes),
        nodeGroup: {
            instanceType: pattern(ng.child("instanceType"), d.nodeGroup.instanceType, INSTANCE_TYPE, "an EC2 instance type (e.g. t3.large, m6i.large)"),
            minSize,
            desiredSize,
            maxSize,
        },
        ingress: cloudIngress(n.child("ingress"), d.annotations),
    };
}

/** A kubeconfig given inline: YAML with clusters and contexts. A `[secret]` (render) is checked at deploy time. */
function kubeconfigYaml(n: Node): string | undefined {
    const v = n.optionalString();
    if (v === undefined || v === MASKED_SECRET) return v;
    let doc: unknown;
    try {
        doc = yaml.load(v);
    } catch {
        doc = undefined;
    }
    if (!isObject(doc) || !Array.isArray(doc.clusters) || !Array.isArray(doc.contexts)) {
        n.problems.add(n.path, `is not a kubeconfig (YAML with clusters and contexts); set it from a file with: pulumi config set --secret --path '${n.path}' "$(cat kubeconfig.yaml)"`);
    }
    return v;
}

/** Where images the program builds go; whether one is needed depends on the workloads (config/parse.ts). */
function registry(n: Node): RegistryConfig | undefined {
    if (!n.isSet) return undefined;
    n.object(["server", "repository", "username", "password"]);
    const server = n.child("server");
    const repository = n.child("repository");
    if (n.isSet && !server.isSet) n.problems.add(server.path, `is required: the registry host pods pull from, e.g. ghcr.io or registry.example.com:5000`);
    if (n.isSet && !repository.isSet) n.problems.add(repository.path, `is required: the repository under the server, e.g. my-org/servicex`);
    const username = n.child("username").optionalString();
    const password = n.child("password").optionalString();
    if ((username === undefined) !== (password === undefined)) {
        const missing = username === undefined ? "username" : "password";
        n.problems.add(`${n.path}.${missing}`, `is required with ${missing === "username" ? "password" : "username"} (set both, the password with: pulumi config set --secret --path '${n.path}.password' <password>), or neither for a registry that needs no login`);
    }
    return {
        server: pattern(server, "registry.invalid", REGISTRY_HOST, "a registry host (e.g. ghcr.io, registry.example.com:5000; no scheme, no path)"),
        repository: pattern(repository, "invalid", REPOSITORY, "a repository path (lower-case, e.g. my-org/servicex)"),
        ...(username !== undefined ? { username } : {}),
        ...(password !== undefined ? { password } : {}),
    };
}

/**
 * Kube context names are free text in a kubeconfig, but this one is pasted into the `commands` stack
 * output (`kubectl --context …`): only characters that need no shell quoting.
 */
const CONTEXT_NAME = /^[A-Za-z0-9._:@/+=-]+$/;

function kubeconfigCluster(n: Node): KubeconfigClusterConfig {
    const contextN = n.child("context");
    let context = contextN.optionalString();
    if (context !== undefined && (!CONTEXT_NAME.test(context) || context.length > 253)) {
        n.problems.add(contextN.path, `${show(context)} is not a context name this program can put into the printed commands (letters, digits and . _ : @ / + = - only; no spaces or shell characters); rename the context in your kubeconfig (kubectl config rename-context)`);
        context = "invalid";
    }
    const kubeconfig = kubeconfigYaml(n.child("kubeconfig"));
    if ((context === undefined) === (kubeconfig === undefined)) {
        n.problems.add(
            context === undefined ? `${n.path}.context` : `${n.path}.kubeconfig`,
            context === undefined
                ? `cluster.kind "kubeconfig" needs exactly one of context (a context in your KUBECONFIG, e.g. "gke_my-project_europe-west1_lab") or kubeconfig (set with: pulumi config set --secret --path '${n.path}.kubeconfig' "$(cat kubeconfig.yaml)")`
                : `set either context or kubeconfig, not both`,
        );
    }
    return {
        kind: "kubeconfig",
        ...(context !== undefined ? { context } : {}),
        ...(kubeconfig !== undefined ? { kubeconfig } : {}),
        ...(n.child("registry").isSet ? { registry: registry(n.child("registry")) } : {}),
        upsertExistingObjects: n.child("upsertExistingObjects").bool(false),
        ingress: cloudIngress(n.child("ingress"), {}),
    };
}
