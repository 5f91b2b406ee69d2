/**
 * Stack config → validated MeshConfig. Pure: no Pulumi here. Each top-level `istio-mesh:<key>` has
 * its own parser in config/sections/. Every violation is collected and thrown as one ConfigError
 * before the program registers any resource.
 */
import { CREDENTIAL_PATHS, Node, own, Problems, suggest } from "./reader";
import { parseAddons } from "./sections/addons";
import { parseAnalysis } from "./sections/analysis";
import { parseCluster, SECRET_ONLY_PATHS } from "./sections/cluster";
import { parseDataplane } from "./sections/dataplane";
import { parseImages } from "./sections/images";
import { parseIngress } from "./sections/ingress";
import { parseNamespace } from "./sections/namespace";
import { parseSecurity } from "./sections/security";
import { parseServices } from "./sections/services";
import { checkGatewayApi, parseTrafficApi } from "./sections/trafficApi";
import { parseVersions } from "./sections/versions";
import { parseWorkloads } from "./sections/workloads";
import type { ClusterConfig, IstioConfig, MeshConfig } from "./types";

export const CONFIG_NAMESPACE = "istio-mesh";
/** What the stack file reader puts where a `secure:` value was (config/stackConfig.ts; it imports this module). */
const SECRET_PLACEHOLDER = "[secret]";

/** Top-level `istio-mesh:<key>` keys this program reads. Anything else is a typo and an error. */
export const TOP_LEVEL_KEYS = ["cluster", "versions", "namespace", "workloads", "services", "ingress", "security", "addons", "images", "analysis", "trafficApi", "dataplane"] as const;
export type TopLevelKey = (typeof TOP_LEVEL_KEYS)[number];

/**
 * A credential in plain text sits unencrypted in the stack file (and in git): a warning that says how
 * to set it as a secret, or an error for the paths that must be secrets (SECRET_ONLY_PATHS). Known only
 * where the engine (per top-level key) or the stack file reader (per path: `secretPaths`) says what is secret.
 */
function plainTextCredentials(raw: Record<string, unknown>, secret: { keys?: string[]; paths?: string[] }, problems: Problems): void {
    if (!secret.keys) return;
    for (const path of CREDENTIAL_PATHS) {
        const [top, ...rest] = path.slice(CONFIG_NAMESPACE.length + 1).split(".");
        // The engine only says a whole `istio-mesh:<key>` holds a secret somewhere; the stack file reader knows the path.
        if (secret.paths ? secret.paths.some((p) => path === p || path.startsWith(`${p}.`)) : secret.keys.includes(`${CONFIG_NAMESPACE}:${top}`)) continue;
        let v: unknown = raw[top];
        for (const k of rest) v = v && typeof v === "object" ? own(v, k) : undefined;
        if (v === undefined || v === null || v === SECRET_PLACEHOLDER) continue;
        const fix = `pulumi config set --secret --path '${path}' <value>`;
        if ((SECRET_ONLY_PATHS as readonly string[]).includes(path)) problems.add(path, `is in plain text in the stack file; it must be a Pulumi secret (it is a login to a registry): set it with ${fix}`);
        else problems.warn(path, `is in plain text in the stack file; store it encrypted with: ${fix}`);
    }
}

/** k3d reaches the gateway through a fixed nodePort, EKS through its load balancer, an existing cluster as configured. */
function gatewayService(cluster: ClusterConfig): IstioConfig["gatewayService"] {
    switch (cluster.kind) {
        case "k3d":
            return { type: "NodePort", httpNodePort: cluster.ingress.nodePort };
        case "eks":
            return { type: "LoadBalancer", annotations: { ...cluster.ingress.annotations } };
        case "kubeconfig": {
            const i = cluster.ingress;
            const annotations = Object.keys(i.annotations).length > 0 ? { annotations: { ...i.annotations } } : {};
            if (i.serviceType === "LoadBalancer") return { type: "LoadBalancer", annotations: { ...i.annotations } };
            return i.serviceType === "NodePort" ? { type: "NodePort", httpNodePort: i.nodePort, ...annotations } : { type: "ClusterIP", ...annotations };
        }
    }
}

/**
 * @param raw the stack's `istio-mesh:*` values keyed without the namespace (`cluster`, `workloads`, …),
 *            already JSON-decoded (see config/stackConfig.ts).
 */
export function parseConfig(raw: Record<string, unknown>, stack: string, opts: { secretKeys?: string[]; secretPaths?: string[] } = {}): MeshConfig {
    const problems = new Problems();
    for (const key of Object.keys(raw)) {
        if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) problems.add(`${CONFIG_NAMESPACE}:${key}`, suggest(key, TOP_LEVEL_KEYS));
    }
    const at = (key: TopLevelKey) => new Node(problems, `${CONFIG_NAMESPACE}:${key}`, raw[key]);

    const versions = parseVersions(at("versions"));
    const cluster = parseCluster(at("cluster"), versions);
    const dataplane = parseDataplane(at("dataplane"), cluster.kind);
    const namespace = parseNamespace(at("namespace"));
    const images = parseImages(at("images"), versions, cluster.kind);
    const workloads = parseWorkloads(at("workloads"), versions, images);
    const services = parseServices(at("services"), namespace.name);
    const ingress = parseIngress(at("ingress"), services);
    const istio: IstioConfig = {
        namespace: "istio-system",
        gatewayRelease: "istio-ingressgateway",
        gatewayService: gatewayService(cluster),
    };

    const security = parseSecurity(at("security"), { services, workloads, namespace: namespace.name, istioNamespace: istio.namespace, gatewayRelease: istio.gatewayRelease });
    if (dataplane.mode === "ambient" && security.egress.gateway) {
        // istio.io/latest/docs/ambient/usage/egress-gateway: "In ambient mode, a waypoint proxy naturally acts as an egress gateway".
        problems.add(
            `${CONFIG_NAMESPACE}:security.egress.gateway`,
            `is a sidecar lesson: the mesh VirtualService that steers calls to the egress gateway runs in the caller's sidecar, and ambient pods have none. ` +
                `With istio-mesh:dataplane ambient the ServiceEntry's calls go through a waypoint, which is ambient's egress gateway: remove gateway: true, or use the sidecar data plane`,
        );
    }
    const addons = parseAddons(at("addons"), cluster.kind);
    // Exposed dashboards: who can reach them, and whether their hosts can resolve.
    if (addons.expose.enabled) {
        const anonymous = [addons.kiali.enabled && addons.kiali.auth === "anonymous" ? "Kiali" : "", addons.grafana.enabled && addons.grafana.anonymous ? "Grafana" : ""].filter(Boolean);
        if (cluster.kind === "k3d" && !cluster.ingress.bindAddress.startsWith("127.") && anonymous.length > 0) {
            problems.warn(`${CONFIG_NAMESPACE}:addons.expose.enabled`, `${anonymous.join(" and ")} need no login on k3d, and cluster.ingress.bindAddress ${cluster.ingress.bindAddress} makes them reachable from your network, with admin rights; bind to 127.0.0.1 or keep exposure off`);
        }
        const localhostHosts = Object.entries(addons.expose.hosts).filter(([, h]) => h.endsWith(".localhost")).map(([, h]) => h);
        if (cluster.kind !== "k3d" && localhostHosts.length > 0) {
            problems.warn(`${CONFIG_NAMESPACE}:addons.expose.hosts`, `${localhostHosts.join(", ")} resolve to your own machine, not to the cloud load balancer; set addons.expose.hosts to names in your DNS that point at the ingress address`);
        }
    }
    // An existing cluster has nowhere to take images from but a registry: needed as soon as a workload runs a built one.
    const built = workloads.filter((w) => w.appImage && images[w.appImage]?.kind === "build");
    if (cluster.kind === "kubeconfig" && !cluster.registry && built.length > 0) {
        const apps = [...new Set(built.map((w) => w.appImage!))];
        problems.add(
            `${CONFIG_NAMESPACE}:cluster.registry`,
            `is required with cluster.kind "kubeconfig" while the program builds ${apps.join(", ")} (for ${built.map((w) => w.name).join(", ")}): pods pull it from there. ` +
                `Set e.g. {server: ghcr.io, repository: my-org/${apps[0]}, username: me} and the password with: pulumi config set --secret --path '${CONFIG_NAMESPACE}:cluster.registry.password' <token>; ` +
                `or run a prebuilt image instead: ${CONFIG_NAMESPACE}:images.${apps[0]}.image: <pinned ref>`,
        );
    }

    const analysis = parseAnalysis(at("analysis"));
    // Ambient routes with the Gateway API unless the stack says otherwise: HTTPRoute is the API Istio
    // supports on waypoints (Beta); VirtualService there is Alpha (docs/ambient.md, MESH025).
    const trafficApi = at("trafficApi").isSet || dataplane.mode !== "ambient" ? parseTrafficApi(at("trafficApi")) : "gateway-api";
    if (trafficApi === "gateway-api") checkGatewayApi({ services, ingress, security, addons }, problems);
    plainTextCredentials(raw, { keys: opts.secretKeys, paths: opts.secretPaths }, problems);

    problems.throwIfAny();
    return { stack, cluster, versions, istio, namespace, images, workloads, services, ingress, security, addons, analysis, trafficApi, dataplane, warnings: problems.warnings };
}
