import { Node, show } from "../reader";
import type { AddonName, AddonsConfig, ClusterKind, KialiAuth } from "../types";

export const ADDON_NAMES: readonly AddonName[] = ["prometheus", "grafana", "kiali", "jaeger"];
export const ADDONS_KEYS = [...ADDON_NAMES, "tracing", "expose"];

/**
 * The only cluster where the dashboards are open without a login: k3d, a laptop cluster bound to
 * 127.0.0.1. Keyed on the cluster kind, not the stack name, so a scenario file rendered under any
 * stack name behaves like dev, and a cloud cluster never opens them whatever the stack is called.
 */
export const LOCAL_CLUSTER_KIND: ClusterKind = "k3d";

/** Hosts the ingress gateway answers for each dashboard when exposure is on; browsers resolve *.localhost to 127.0.0.1. */
export const DEFAULT_EXPOSE_HOSTS: Record<AddonName, string> = {
    prometheus: "prometheus.localhost",
    grafana: "grafana.localhost",
    kiali: "kiali.localhost",
    jaeger: "jaeger.localhost",
};

/** Kiali encrypts its session cookies with AES, hence the key lengths it accepts. */
const SIGNING_KEY_LENGTHS = [16, 24, 32];
/** What render prints for a `--secret` value it cannot decrypt; its real length is checked at deploy time. */
const MASKED_SECRET = "[secret]";
/** The anonymous (k3d) Kiali never checks a login, but the chart generates a random key on every render when unset. */
const DEV_SIGNING_KEY = "istio-mesh-lab-dev-only-00000000";

const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `prometheus: false` is short for `prometheus: {enabled: false}`. */
function addonNode(n: Node, keys: string[]): Node {
    const v = n.value;
    const node = typeof v === "boolean" || v === "true" || v === "false" ? new Node(n.problems, n.path, { enabled: v }) : n;
    node.object(keys);
    return node;
}

function percentage(n: Node, fallback: number): number {
    if (!n.isSet) return fallback;
    const v = typeof n.value === "string" && n.value.trim() !== "" ? Number(n.value) : n.value;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 100) {
        n.problems.add(n.path, `${show(n.value)} is not allowed; expected a percentage from 0 to 100 (e.g. 100 on a lab, 1 under real load)`);
        return fallback;
    }
    return v;
}

function secretSetting(path: string, example: string): string {
    return `pulumi config set --secret --path '${path}' ${example}`;
}

/**
 * `istio-mesh:addons`: the observability addons in the control-plane namespace (Prometheus, Grafana,
 * Kiali, Jaeger), mesh-wide tracing into Jaeger, and optional exposure of their UIs by host through
 * the ingress gateway. Every addon is on by default; anonymous access only on a k3d cluster. Elsewhere
 * Kiali's signing key and Grafana's admin password are the user's secrets when set, else generated
 * at deploy time (components/Addons.ts) and kept in the state.
 */
export function parseAddons(n: Node, clusterKind: ClusterKind): AddonsConfig {
    const dev = clusterKind === LOCAL_CLUSTER_KIND;
    n.object(ADDONS_KEYS);

    const prometheus = addonNode(n.child("prometheus"), ["enabled"]);
    const jaeger = addonNode(n.child("jaeger"), ["enabled"]);

    const grafana = addonNode(n.child("grafana"), ["enabled", "anonymous", "adminPassword"]);
    const grafanaEnabled = grafana.child("enabled").bool(true);
    const anonymous = grafana.child("anonymous").bool(dev);
    if (anonymous && !dev) grafana.problems.add(`${grafana.path}.anonymous`, `anonymous Grafana (admin for everyone) is allowed only on a cluster.kind "${LOCAL_CLUSTER_KIND}" cluster; remove the key (the admin password is generated, or set it with: ${secretSetting(`${grafana.path}.adminPassword`, "<password>")})`);
    // Unset: generated at deploy time and exported as the secret stack output grafanaAdminPassword.
    const adminPassword = grafana.child("adminPassword").optionalString();

    const kiali = addonNode(n.child("kiali"), ["enabled", "auth", "signingKey"]);
    const kialiEnabled = kiali.child("enabled").bool(true);
    const auth = kiali.child("auth").oneOf<KialiAuth>(dev ? "anonymous" : "token", ["anonymous", "token"]);
    if (auth === "anonymous" && !dev) kiali.problems.add(`${kiali.path}.auth`, `"anonymous" is allowed only on a cluster.kind "${LOCAL_CLUSTER_KIND}" cluster (anyone reaching Kiali could change mesh config); use "token"`);
    const signingKeyNode = kiali.child("signingKey");
    const signingKey = signingKeyNode.optionalString();
    if (signingKey !== undefined && signingKey !== MASKED_SECRET && !SIGNING_KEY_LENGTHS.includes(signingKey.length)) {
        kiali.problems.add(signingKeyNode.path, `is ${signingKey.length} characters long; Kiali needs 16, 24 or 32 (e.g. ${secretSetting(signingKeyNode.path, '"$(openssl rand -hex 16)"')})`);
    }
    // Token auth without a key: one is generated once and kept in the state (the chart's own default
    // would be a new random key on every deploy, logging everyone out).

    const prometheusEnabled = prometheus.child("enabled").bool(true);
    const jaegerEnabled = jaeger.child("enabled").bool(true);
    // Kiali's graph and health and every Grafana dashboard are queries to Prometheus.
    for (const [name, on] of [["kiali", kialiEnabled], ["grafana", grafanaEnabled]] as const) {
        if (on && !prometheusEnabled) n.problems.add(`${n.path}.${name}`, `needs Prometheus, which is disabled at ${n.path}.prometheus; enable Prometheus or set ${n.path}.${name}: false`);
    }

    const tracing = n.child("tracing");
    tracing.object(["samplingPercentage"]);
    const samplingPercentage = percentage(tracing.child("samplingPercentage"), dev ? 100 : 1);

    const expose = n.child("expose");
    expose.object(["enabled", "hosts"]);
    const hostsNode = expose.child("hosts");
    hostsNode.object([...ADDON_NAMES]);
    const hosts = { ...DEFAULT_EXPOSE_HOSTS };
    const setByUser = new Set<AddonName>();
    for (const name of ADDON_NAMES) {
        const h = hostsNode.child(name);
        if (h.isSet) setByUser.add(name);
        const host = h.string(DEFAULT_EXPOSE_HOSTS[name]);
        if (h.isSet && (!DNS_NAME.test(host) || host.length > 253)) h.problems.add(h.path, `${show(host)} is not a host name; expected a DNS name such as ${DEFAULT_EXPOSE_HOSTS[name]} (no wildcard, no port)`);
        hosts[name] = host;
    }
    for (const [i, a] of ADDON_NAMES.entries()) {
        const clash = ADDON_NAMES.slice(0, i).find((b) => hosts[b] === hosts[a]);
        // Name the host the user wrote, not the default it collides with.
        const [at, other] = !setByUser.has(a) && setByUser.has(clash!) ? [clash!, a] : [a, clash!];
        if (clash) n.problems.add(`${hostsNode.path}.${at}`, `${show(hosts[at])} is already the host of ${other}; each dashboard needs its own host`);
    }

    return {
        prometheus: { enabled: prometheusEnabled },
        grafana: { enabled: grafanaEnabled, anonymous, adminPassword },
        kiali: { enabled: kialiEnabled, auth, signingKey: signingKey ?? DEV_SIGNING_KEY, signingKeyFromConfig: signingKey !== undefined },
        jaeger: { enabled: jaegerEnabled },
        tracing: { samplingPercentage },
        expose: { enabled: expose.child("enabled").bool(false), hosts },
    };
}
