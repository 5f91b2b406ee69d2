import * as yaml from "js-yaml";
import { COURSE_DEFAULTS } from "../defaults";
import { isObject, overlay, setOwn } from "../merge";
import { Node, show, suggest } from "../reader";
import type { ClusterConfig, ClusterKind, CloudIngressConfig, EksClusterConfig, ExistingIngressConfig, GatewayServiceType, K3dClusterConfig, KubeconfigClusterConfig, RegistryCacheConfig, RegistryConfig, RegistryMirrorConfig } from "../types";
import type { Versions } from "../versions";
import { kubernetesMinor } from "./versions";

export const CLUSTER_KINDS: readonly ClusterKind[] = ["k3d", "eks", "kubeconfig"];

/** The keys each kind reads; a key of another kind is an error that names the kind it belongs to. */
export const CLUSTER_KEYS: Record<ClusterKind, { keys: string[]; ingress: string[] }> = {
    k3d: { keys: ["kind", "name", "agents", "ingress", "apiPort", "registryCache", "registryMirror"], ingress: ["hostPort", "nodePort", "bindAddress"] },
    eks: { keys: ["kind", "name", "region", "kubernetesVersion", "nodeGroup", "ingress"], ingress: ["annotations"] },
    kubeconfig: { keys: ["kind", "context", "kubeconfig", "registry", "upsertExistingObjects", "ingress"], ingress: ["serviceType", "annotations", "nodePort", "nodeAddress", "localPort"] },
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
    const registryMirror = n0.child("registryMirror").isSet ? mirror(n0.child("registryMirror")) : undefined;
    const registryCache = cache(n0.child("registryCache"), registryMirror !== undefined);
    if (registryCache) samePortAsCluster(n0, registryCache.hostPort, { apiPort, hostPort });
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
        ...(registryCache ? { registryCache } : {}),
        ...(registryMirror ? { registryMirror } : {}),
    };
}

/** Config paths whose value must be a Pulumi secret: in plain text they are refused, not just warned about (config/parse.ts). */
export const SECRET_ONLY_PATHS = ["istio-mesh:cluster.registryCache.password", "istio-mesh:cluster.registryMirror.password"] as const;

const CACHE_KEYS = ["enabled", "name", "hostPort", "volume", "username", "password"];
const MIRROR_KEYS = ["url", "username", "password"];
/** k3d names the registry's container `k3d-<name>`, which the nodes resolve as a host name: one DNS label in all. */
const CACHE_NAME_MAX = 63 - "k3d-".length;
/** Docker's rule for a volume name; anything else (a `/`, a `~`) would make `-v` a bind mount of a host path. */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
/** A login name: printable, no spaces (it reaches the registry's env and the nodes' registries.yaml). */
const LOGIN_NAME = /^[\x21-\x7e]{1,256}$/;

/** `username` + `password` of an upstream: both or neither; the password is a secret (checked in config/parse.ts). */
function login(n: Node, what: string): { username?: string; password?: string } {
    const userN = n.child("username");
    let username = userN.optionalString();
    if (username !== undefined && !LOGIN_NAME.test(username)) {
        n.problems.add(userN.path, `${show(username)} is not a login name (printable characters, no spaces, at most 256)`);
        username = undefined;
    }
    const password = n.child("password").optionalString();
    if (userN.isSet !== n.child("password").isSet) {
        const missing = userN.isSet ? "password" : "username";
        n.problems.add(
            `${n.path}.${missing}`,
            `is required with ${missing === "password" ? "username" : "password"}: set both (${what}; the password with: pulumi config set --secret --path '${n.path}.password' <token>), or neither for anonymous pulls`,
        );
    }
    return { ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}

/**
 * `istio-mesh:cluster.registryCache`: on by default; off when `enabled: false` or when the user's own
 * mirror serves Docker Hub instead (setting the cache too is then an error, not a silent choice).
 */
function cache(n: Node, mirrorSet: boolean): RegistryCacheConfig | undefined {
    const d = COURSE_DEFAULTS.cluster.registryCache;
    if (!n.object(CACHE_KEYS)) return undefined;
    const enabledN = n.child("enabled");
    const enabled = enabledN.bool(!mirrorSet && d.enabled);
    if (mirrorSet) {
        const others = isObject(n.value) ? Object.keys(n.value).filter((k) => k !== "enabled") : [];
        const on = enabledN.isSet && enabled;
        if (on || others.length > 0) {
            n.problems.add(
                on ? enabledN.path : `${n.path}.${others[0]}`,
                `does not apply while ${n.path.replace(/registryCache$/, "registryMirror")} is set: the nodes pull Docker Hub images through one of them. Remove registryMirror to use the local cache, or remove registryCache (or set only enabled: false)`,
            );
        }
        return undefined;
    }
    if (!enabled) return undefined;
    const nameN = n.child("name");
    let name = nameN.dnsLabel(d.name);
    if (nameN.isSet && name !== d.name && name.length > CACHE_NAME_MAX) {
        n.problems.add(nameN.path, `${show(name)} is longer than ${CACHE_NAME_MAX} characters; k3d names the container k3d-<name>, which the nodes resolve as one DNS label (at most 63)`);
        name = d.name;
    } else if (nameN.isSet && name.startsWith("k3d-")) {
        n.problems.add(nameN.path, `${show(name)} starts with "k3d-", which k3d adds itself (the container would be k3d-${name}): write the name without it, e.g. ${show(name.slice(4))}`);
        name = d.name;
    }
    const hostPort = n.child("hostPort").port(d.hostPort);
    const volumeN = n.child("volume");
    let volume = volumeN.string(d.volume);
    if (volumeN.isSet && typeof volumeN.value === "string" && !VOLUME_NAME.test(volume)) {
        n.problems.add(volumeN.path, `${show(volume)} is not a Docker volume name (letters, digits, "_", "." and "-", starting with a letter or digit; no "/": a path would mount a host directory instead of a volume)`);
        volume = d.volume;
    }
    return { name, hostPort, volume, ...login(n, "a Docker ID and a Docker Hub personal access token") };
}

/** The cache's host port is published on this machine too; k3d binds each host port once. */
function samePortAsCluster(n0: Node, cachePort: number, ports: { apiPort: number; hostPort: number }): void {
    const clash = cachePort === ports.apiPort ? "the Kubernetes API port (apiPort)" : cachePort === ports.hostPort ? "the ingress host port (ingress.hostPort)" : undefined;
    if (!clash) return;
    n0.problems.add(`${n0.path}.registryCache.hostPort`, `${cachePort} is both the registry cache's host port and ${clash}; a host port can be bound once: choose another port for one of them`);
}

/** Loopback names: inside a k3d node they are the node itself, not this machine. */
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\])$/i;
const URL_HOST = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/;
const URL_PATH = /^(\/[A-Za-z0-9._~-]+)*\/?$/;

/** `istio-mesh:cluster.registryMirror`: the user's Docker Hub mirror, the nodes' `docker.io` endpoint. */
function mirror(n: Node): RegistryMirrorConfig | undefined {
    if (!n.object(MIRROR_KEYS)) return undefined;
    const urlN = n.child("url");
    if (!urlN.isSet) {
        n.problems.add(urlN.path, `is required: the mirror's base URL, e.g. https://mirror.example.com:5000 (for a mirror on this machine: http://host.k3d.internal:<port>)`);
        return undefined;
    }
    const raw = urlN.string("");
    const creds = login(n, "the mirror's login");
    if (!raw) return undefined;
    // A URL with user:password@ in it is never echoed (a credential in plain text).
    const bad = (why: string) => {
        n.problems.add(urlN.path, `${raw.includes("@") ? "the URL (not shown: it has an @, as in user:password@)" : show(raw)} ${why}`);
        return undefined;
    };
    let u: URL;
    try {
        u = new URL(raw);
    } catch {
        return bad(`is not a URL; expected e.g. https://mirror.example.com:5000`);
    }
    if (u.username || u.password) return bad(`has a login in it, which would sit in plain text in the stack file: write the URL without it, and set registryMirror.username and, as a secret, registryMirror.password`);
    if (u.protocol !== "https:" && u.protocol !== "http:") return bad(`is not an http(s) URL; expected e.g. https://mirror.example.com:5000`);
    if (u.search || u.hash || raw.includes("?") || raw.includes("#")) return bad(`has a query or fragment; a mirror is a base URL such as https://mirror.example.com:5000`);
    // Every character lands in a config k3d expands `$VAR`s in and in the nodes' registries.yaml: keep to the URL grammar's plain part.
    const rest = raw.slice(u.protocol.length + 2);
    const host = rest.split("/")[0];
    const path = rest.slice(host.length);
    const hostname = host.replace(/:\d{1,5}$/, "");
    if (LOOPBACK.test(hostname)) return bad(`names this machine's loopback, which inside a k3d node is the node itself: for a mirror on this machine use http://host.k3d.internal:${u.port || "<port>"} (k3d adds that name to every node)`);
    if (!URL_HOST.test(hostname) || (u.port !== "" && Number(u.port) > 65535) || !URL_PATH.test(path)) {
        return bad(`is not a plain base URL (lower-case host, optional port, optional path of letters, digits and . _ ~ -); expected e.g. https://mirror.example.com:5000`);
    }
    if (u.protocol === "http:" && creds.password !== undefined) {
        n.problems.warn(urlN.path, `is plain http: the nodes send the mirror's login unencrypted; use https if the mirror offers it`);
    }
    return { url: raw.replace(/\/$/, ""), host, ...creds };
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

export const GATEWAY_SERVICE_TYPES: readonly GatewayServiceType[] = ["LoadBalancer", "NodePort", "ClusterIP"];

/** Defaults of an existing cluster's gateway exposure. */
export const EXISTING_INGRESS_DEFAULTS = { nodePort: 30000, localPort: 8080 } as const;

/** A node address for the NodePort URL: an IPv4 address or a DNS name. */
const NODE_ADDRESS = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i;

/**
 * An existing cluster may have no load balancer controller, so the default is what works on any
 * cluster: ClusterIP reached by `kubectl port-forward`. Load balancer annotations say the user means a
 * cloud load balancer: with them the default is LoadBalancer (as it always was).
 */
function existingIngress(n: Node): ExistingIngressConfig {
    const base = cloudIngress(n, {});
    const typeN = n.child("serviceType");
    const serviceType = typeN.oneOf<GatewayServiceType>(Object.keys(base.annotations).length > 0 ? "LoadBalancer" : "ClusterIP", GATEWAY_SERVICE_TYPES);
    const only = (key: "nodePort" | "nodeAddress" | "localPort", type: GatewayServiceType) => {
        const k = n.child(key);
        if (k.isSet && serviceType !== type) n.problems.add(k.path, `applies to ingress.serviceType ${type} only (this stack's is ${serviceType}); remove it or set ingress.serviceType: ${type}`);
        return k;
    };
    const nodePort = only("nodePort", "NodePort").int(EXISTING_INGRESS_DEFAULTS.nodePort, { min: 30000, max: 32767 });
    const addressN = only("nodeAddress", "NodePort");
    const nodeAddress = addressN.optionalString();
    if (nodeAddress !== undefined && !NODE_ADDRESS.test(nodeAddress)) n.problems.add(addressN.path, `${show(nodeAddress)} is not a host name or IPv4 address (e.g. 192.168.49.2, the output of minikube ip)`);
    const localPort = only("localPort", "ClusterIP").int(EXISTING_INGRESS_DEFAULTS.localPort, { min: 1024, max: 65535 });
    return { ...base, serviceType, nodePort, ...(nodeAddress !== undefined ? { nodeAddress } : {}), localPort };
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
        ingress: existingIngress(n.child("ingress")),
    };
}
