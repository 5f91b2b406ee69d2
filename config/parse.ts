/**
 * Stack config → validated MeshConfig. Pure: no Pulumi here. Every violation is collected and thrown
 * as one ConfigError before the program registers any resource.
 */
import { COURSE_DEFAULTS, DEFAULT_RESOURCES } from "./defaults";
import { Node, Problems, show, suggest } from "./reader";
import type {
    ClusterConfig,
    IngressConfig,
    IstioConfig,
    MeshConfig,
    NamespaceConfig,
    ResourcesConfig,
    ServiceConfig,
    WorkloadConfig,
} from "./types";
import { DEFAULT_VERSIONS, Versions } from "./versions";

export const CONFIG_NAMESPACE = "istio-mesh";

/** Top-level `istio-mesh:<key>` keys this program reads. Anything else is a typo and an error. */
export const TOP_LEVEL_KEYS = ["cluster", "versions", "namespace", "workloads", "services", "ingress"] as const;

const KNOWN_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

type Raw = Record<string, unknown>;

/** Default entries overlaid by the user's: per entry, the user's fields replace the default's; null removes. */
function mergeEntries(defaults: Raw, user: unknown): unknown {
    if (user === undefined || user === null) return defaults;
    if (typeof user !== "object" || Array.isArray(user)) return user; // the reader reports the type error
    const out: Raw = {};
    for (const [k, v] of Object.entries(defaults)) out[k] = v;
    for (const [k, v] of Object.entries(user as Raw)) {
        if (v === null || v === false) {
            delete out[k];
        } else if (k in defaults && typeof v === "object" && !Array.isArray(v)) {
            out[k] = { ...(defaults[k] as Raw), ...(v as Raw) };
        } else {
            out[k] = v;
        }
    }
    return out;
}

/** Plain object overlay, one level deep (for single sections such as `cluster`). */
function overlay(defaults: Raw, user: unknown): unknown {
    if (user === undefined || user === null) return defaults;
    if (typeof user !== "object" || Array.isArray(user)) return user;
    return { ...defaults, ...(user as Raw) };
}

function parseVersions(n: Node): Versions {
    n.object(Object.keys(DEFAULT_VERSIONS));
    const istio = n.child("istio").string(DEFAULT_VERSIONS.istio);
    if (!/^1\.\d+\.\d+$/.test(istio)) n.problems.add(`${n.path}.istio`, `${show(istio)} is not an Istio release; expected an exact version such as ${DEFAULT_VERSIONS.istio}`);
    return {
        istio,
        k3sImage: n.child("k3sImage").image(DEFAULT_VERSIONS.k3sImage),
        nginxImage: n.child("nginxImage").image(DEFAULT_VERSIONS.nginxImage),
    };
}

function parseCluster(n: Node): ClusterConfig {
    const d = COURSE_DEFAULTS.cluster;
    n.object(["kind", "name", "agents", "ingress", "apiPort"]);
    const kind = n.child("kind").oneOf<string>(d.kind, ["k3d", "eks", "kubeconfig"]);
    if (kind !== "k3d") {
        n.problems.add(`${n.path}.kind`, `${show(kind)} is not implemented yet (the cloud stack is tracked in its own issue); use "k3d"`);
    }
    const ingress = n.child("ingress");
    ingress.object(["hostPort", "nodePort", "bindAddress"]);
    const nodePort = ingress.child("nodePort").int(d.ingress.nodePort, { min: 30000, max: 32767 });
    return {
        kind: "k3d",
        name: n.child("name").dnsLabel(d.name),
        servers: 1,
        agents: n.child("agents").int(d.agents, { min: 0, max: 10 }),
        ingress: {
            hostPort: ingress.child("hostPort").port(d.ingress.hostPort),
            nodePort,
            bindAddress: ingress.child("bindAddress").ipv4(d.ingress.bindAddress),
        },
        apiPort: n.child("apiPort").port(d.apiPort),
    };
}

function parseNamespace(n: Node): NamespaceConfig {
    n.object(["name", "existing"]);
    const name = n.child("name").dnsLabel(COURSE_DEFAULTS.namespace.name);
    return { name, existing: n.child("existing").bool(KNOWN_NAMESPACES.includes(name)) };
}

function parseResources(n: Node): ResourcesConfig {
    n.object(["requests", "limits"]);
    const pair = (m: Node, d: { cpu: string; memory: string }) => {
        m.object(["cpu", "memory"]);
        return { cpu: m.child("cpu").string(d.cpu), memory: m.child("memory").string(d.memory) };
    };
    return { requests: pair(n.child("requests"), DEFAULT_RESOURCES.requests), limits: pair(n.child("limits"), DEFAULT_RESOURCES.limits) };
}

function parseWorkloads(n: Node, versions: Versions): WorkloadConfig[] {
    return n.entries({ dnsKeys: true }).map(([name, w]) => {
        w.object(["image", "replicas", "labels", "containerPort", "env", "resources", "indexHtml"]);
        const labels = w.child("labels").labels({ app: name });
        if (!labels.app) w.problems.add(`${w.path}.labels`, `needs an "app" label (Istio and Kiali group workloads by it)`);
        const env: Record<string, string> = {};
        for (const [k, e] of w.child("env").entries()) env[k] = e.string("");
        return {
            name,
            image: w.child("image").image(versions.nginxImage),
            replicas: w.child("replicas").int(1, { min: 0, max: 100 }),
            labels,
            containerPort: w.child("containerPort").port(80),
            env,
            resources: parseResources(w.child("resources")),
            indexHtml: w.child("indexHtml").optionalString(),
        };
    });
}

function parseServices(n: Node): ServiceConfig[] {
    return n.entries({ dnsKeys: true }).map(([name, s]) => {
        s.object(["selector", "port", "targetPort", "portName", "destinationRule", "subsets", "virtualService", "weights"]);
        const subsets = s.child("subsets").entries({ dnsKeys: true }).map(([sub, labels]) => ({ name: sub, labels: labels.labels({}) }));
        for (const sub of subsets) {
            if (Object.keys(sub.labels).length === 0) s.problems.add(`${s.path}.subsets.${sub.name}`, `a subset needs at least one pod label, e.g. {version: A}`);
        }
        const weightsNode = s.child("weights");
        const route = weightsNode.entries().map(([subset, w]) => {
            if (!subsets.some((x) => x.name === subset)) {
                s.problems.add(w.path, `subset ${show(subset)} is not declared under ${s.path}.subsets (declared: ${subsets.map((x) => x.name).join(", ") || "none"})`);
            }
            return { subset, weight: w.int(0, { min: 0 }) };
        });
        if (route.length > 0 && route.every((r) => r.weight === 0)) {
            s.problems.add(weightsNode.path, `all weights are 0, so no request could be routed; give at least one subset a weight > 0`);
        }
        const drName = s.child("destinationRule").dnsLabel(`${name}-dr`);
        const vsName = s.child("virtualService").dnsLabel(`${name}-vs`);
        if (route.length > 0 && subsets.length === 0) s.problems.add(weightsNode.path, `weights need subsets; declare them under ${s.path}.subsets`);
        const port = s.child("port").port(80);
        return {
            name,
            selector: s.child("selector").labels({ app: name }),
            port,
            targetPort: s.child("targetPort").port(port),
            portName: s.child("portName").dnsLabel("http"),
            destinationRule: subsets.length > 0 ? { name: drName, subsets } : undefined,
            virtualService: route.length > 0 ? { name: vsName, route } : undefined,
        };
    });
}

function parseHosts(n: Node, fallback: string[]): string[] {
    if (!n.isSet) return fallback;
    const hosts = n.list().map((h) => h.string(""));
    if (hosts.length === 0) n.problems.add(n.path, `needs at least one host, e.g. ["*"]`);
    for (const [i, h] of hosts.entries()) {
        if (h && !/^(\*|(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)$/.test(h)) {
            n.problems.add(`${n.path}[${i}]`, `${show(h)} is not a host; expected "*", a DNS name, or "*.<domain>"`);
        }
    }
    return hosts;
}

function parseIngress(n: Node, services: ServiceConfig[]): IngressConfig {
    const d = COURSE_DEFAULTS.ingress;
    n.object(["gateway", "port", "hosts", "virtualServices"]);
    const virtualServices = n.child("virtualServices").entries({ dnsKeys: true }).map(([name, v]) => {
        v.object(["hosts", "service"]);
        const service = v.child("service").string("");
        if (!v.child("service").isSet) v.problems.add(`${v.path}.service`, `is required: the Service this route sends traffic to`);
        else if (!services.some((s) => s.name === service)) {
            v.problems.add(`${v.path}.service`, `${show(service)} is not a service declared under istio-mesh:services (declared: ${services.map((s) => s.name).join(", ") || "none"})`);
        }
        return { name, hosts: parseHosts(v.child("hosts"), ["*"]), service };
    });
    return {
        gateway: {
            name: n.child("gateway").dnsLabel(d.gateway),
            selector: { istio: "ingressgateway" },
            port: n.child("port").port(d.port),
            portName: "http",
            protocol: "HTTP2",
            hosts: parseHosts(n.child("hosts"), [...d.hosts]),
        },
        virtualServices,
    };
}

/**
 * @param raw the stack's `istio-mesh:*` values keyed without the namespace (`cluster`, `workloads`, …),
 *            already JSON-decoded.
 */
export function parseConfig(raw: Record<string, unknown>, stack: string): MeshConfig {
    const problems = new Problems();
    for (const key of Object.keys(raw)) {
        if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) problems.add(`${CONFIG_NAMESPACE}:${key}`, suggest(key, TOP_LEVEL_KEYS));
    }
    const at = (key: (typeof TOP_LEVEL_KEYS)[number], value: unknown) => new Node(problems, `${CONFIG_NAMESPACE}:${key}`, value);

    const versions = parseVersions(at("versions", raw.versions));
    const cluster = parseCluster(at("cluster", overlay(COURSE_DEFAULTS.cluster, raw.cluster)));
    const namespace = parseNamespace(at("namespace", overlay(COURSE_DEFAULTS.namespace, raw.namespace)));
    const workloads = parseWorkloads(at("workloads", mergeEntries(COURSE_DEFAULTS.workloads, raw.workloads)), versions);
    const services = parseServices(at("services", mergeEntries(COURSE_DEFAULTS.services, raw.services)));
    const userIngress = raw.ingress;
    const ingressRaw =
        userIngress && typeof userIngress === "object" && !Array.isArray(userIngress)
            ? { ...COURSE_DEFAULTS.ingress, ...(userIngress as Raw), virtualServices: mergeEntries(COURSE_DEFAULTS.ingress.virtualServices, (userIngress as Raw).virtualServices) }
            : overlay(COURSE_DEFAULTS.ingress, userIngress);
    const ingress = parseIngress(at("ingress", ingressRaw), services);

    const istio: IstioConfig = {
        namespace: "istio-system",
        gatewayRelease: "istio-ingressgateway",
        gatewayService: { type: "NodePort", httpNodePort: cluster.ingress.nodePort },
    };

    problems.throwIfAny();
    return { stack, cluster, versions, istio, namespace, workloads, services, ingress };
}
