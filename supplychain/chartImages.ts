/**
 * What each chart version deploys by default, and which values change it: the images a `helm
 * template` of the chart with the program's values would name. Keyed by chart name and version; a
 * row names where its defaults were read (2026-12). A version the table does not know is reported
 * as such (never guessed silently): the nearest row is used and the inventory says so.
 *
 * Only the images of what the chart renders with these values count: a disabled subchart, an init
 * container behind an unset option, or a Helm test hook (dropped by Pulumi's helm.v4.Chart) is not pulled.
 */

export type Values = Record<string, unknown>;

/** An image a chart deploys, before normalisation (normalizeImage). */
export interface ChartImage {
    ref: string;
    /** What it is, for the inventory's "why". */
    role: string;
    /**
     * Pods that run it: a number, or `injected` for the sidecar image every injected pod and gateway
     * runs (istiod's proxyv2: counted by the inventory from the plan).
     */
    pods: number | "injected" | "every-node";
}

interface ChartRow {
    chart: string;
    /** Exact versions, or `1.30.x` for a whole minor; `*` for every version (a rule that holds for all). */
    versions: string;
    /** Where the defaults were read. */
    source: string;
    images(values: Values, version: string): ChartImage[];
}

/** `a.b.c` in nested values; undefined when any step is missing. */
export function valueAt(values: Values, path: string): unknown {
    let v: unknown = values;
    for (const k of path.split(".")) {
        if (!v || typeof v !== "object" || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
        v = (v as Record<string, unknown>)[k];
    }
    return v;
}

/** Helm's `default`: the value unless it is unset, empty or false. */
function str(values: Values, path: string, fallback: string): string {
    const v = valueAt(values, path);
    return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : fallback;
}

function enabled(values: Values, path: string, fallback: boolean): boolean {
    const v = valueAt(values, path);
    return typeof v === "boolean" ? v : fallback;
}

function replicas(values: Values, path: string, fallback = 1): number {
    const v = valueAt(values, path);
    return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : fallback;
}

/**
 * Istio's image rule (istiod `templates/deployment.yaml`, `pkg/kube/inject` ProxyImage): an image
 * with a `/` is used as written; otherwise `<hub>/<image>:<tag>[-<variant>]`.
 */
function istioImage(image: string, hub: string, tag: string, variant: string): string {
    if (image.includes("/")) return image;
    return `${hub}/${image}:${tag}${variant ? `-${variant}` : ""}`;
}

/**
 * istiod: `pilot` from `hub | default global.hub`, and the proxyv2 it injects into every workload pod
 * and gateway from `global.hub` only (the top-level hub does not reach the proxies).
 */
function istiodImages(defaultHub: string) {
    return (values: Values, version: string): ChartImage[] => {
        const globalHub = str(values, "global.hub", defaultHub);
        const globalTag = str(values, "global.tag", version);
        const variant = str(values, "variant", str(values, "global.variant", ""));
        const pilot = istioImage(str(values, "image", "pilot"), str(values, "hub", globalHub), str(values, "tag", globalTag), variant);
        const proxy = istioImage(str(values, "global.proxy.image", "proxyv2"), globalHub, globalTag, str(values, "global.variant", ""));
        return [
            { ref: pilot, role: "istiod, the control plane (istiod chart)", pods: replicas(values, "replicaCount") },
            { ref: proxy, role: "the istio-proxy and istio-init containers istiod injects into every workload pod and gateway", pods: "injected" },
        ];
    };
}

/**
 * The grafana chart (templates/_pod.tpl, the same in 9.x–11.x): `<global.imageRegistry | registry>/<repository>:<tag>[@sha256:<sha>]`
 * for Grafana (tag default: appVersion), the k8s-sidecar when any sidecar is on, busybox for
 * init-chown-data with persistence, curl to download `dashboards`.
 */
function grafanaImages(defaults: { grafana: string; sidecar: string; busybox: string; curl: string }) {
    return (values: Values): ChartImage[] => {
        const registryOf = (path: string, fallback: string) => str(values, "global.imageRegistry", str(values, path, fallback));
        const image = (prefix: string, registry: string, repository: string, tag: string) => {
            const sha = str(values, `${prefix}.sha`, "");
            return `${registryOf(`${prefix}.registry`, registry)}/${str(values, `${prefix}.repository`, repository)}:${str(values, `${prefix}.tag`, tag)}${sha ? `@sha256:${sha}` : ""}`;
        };
        const pods = replicas(values, "replicas");
        const out: ChartImage[] = [{ ref: image("image", "docker.io", "grafana/grafana", defaults.grafana), role: "Grafana (grafana chart)", pods }];
        if (["dashboards", "datasources", "notifiers", "alerts", "plugins"].some((s) => enabled(values, `sidecar.${s}.enabled`, false))) {
            out.push({ ref: image("sidecar.image", "quay.io", "kiwigrid/k8s-sidecar", defaults.sidecar), role: "Grafana's dashboard sidecar, k8s-sidecar (grafana chart)", pods });
        }
        if (enabled(values, "persistence.enabled", false) && enabled(values, "initChownData.enabled", true)) {
            out.push({ ref: image("initChownData.image", "docker.io", "library/busybox", defaults.busybox), role: "Grafana's init-chown-data container (grafana chart, with persistence)", pods });
        }
        if (valueAt(values, "dashboards") !== undefined) {
            out.push({ ref: image("downloadDashboardsImage", "docker.io", "curlimages/curl", defaults.curl), role: "Grafana's download-dashboards init container (grafana chart, with dashboards)", pods });
        }
        return out;
    };
}

const ISTIO_SOURCE_130 =
    "istio release-1.30 charts as release-builder release-1.30 stamps them (DOCKER_HUB=registry.istio.io/release, tag = chart version), rendered with helm v3.17.3 in the 2026-12 supply-chain audit";
const ISTIO_SOURCE_131 = "istio release-1.31 charts (release-builder release-1.31 build.sh: hub docker.io/istio), rendered in the 2026-12 supply-chain audit";

export const CHART_IMAGES: ChartRow[] = [
    // CRDs, the validating webhook and a ServiceAccount: no pod.
    { chart: "base", versions: "*", source: "istio manifests/charts/base (no Deployment in any release)", images: () => [] },
    // The gateway Deployment says `image: auto`: istiod's injector fills in its proxyv2 (listed on the istiod row).
    { chart: "gateway", versions: "*", source: "istio manifests/charts/gateway templates/deployment.yaml (image: auto)", images: () => [] },
    { chart: "istiod", versions: "1.30.x", source: ISTIO_SOURCE_130, images: istiodImages("registry.istio.io/release") },
    { chart: "istiod", versions: "1.31.x", source: ISTIO_SOURCE_131, images: istiodImages("docker.io/istio") },
    {
        chart: "kiali-server",
        versions: "*",
        // Kiali releases the chart with the server: appVersion v<chart version> (read at 2.26.0).
        source: "kiali/helm-charts docs/kiali-server-2.26.0.tgz values.yaml deployment.image_name/image_version, templates/deployment.yaml",
        images: (values, version) => {
            const digest = str(values, "deployment.image_digest", "");
            const name = str(values, "deployment.image_name", "quay.io/kiali/kiali");
            return [{ ref: `${name}${digest ? `@${digest}` : ""}:${str(values, "deployment.image_version", `v${version}`)}`, role: "Kiali, the mesh console", pods: replicas(values, "deployment.replicas") }];
        },
    },
    {
        chart: "prometheus",
        versions: "28.13.0",
        source: "prometheus-community/helm-charts tag prometheus-28.13.0 charts/prometheus values.yaml and templates/deploy.yaml (appVersion v3.10.0); subcharts rendered in the 2026-12 audit",
        images: (values) => {
            const out: ChartImage[] = [];
            if (enabled(values, "server.enabled", true)) {
                const digest = str(values, "server.image.digest", "");
                const repo = str(values, "server.image.repository", "quay.io/prometheus/prometheus");
                const tag = `${str(values, "server.image.tag", "v3.10.0")}${enabled(values, "server.image.distroless", false) ? "-distroless" : ""}`;
                out.push({ ref: digest ? `${repo}@${digest}` : `${repo}:${tag}`, role: "the Prometheus server (prometheus chart)", pods: replicas(values, "server.replicaCount") });
                if (enabled(values, "configmapReload.prometheus.enabled", true)) {
                    const reloader = `${str(values, "configmapReload.prometheus.image.repository", "quay.io/prometheus-operator/prometheus-config-reloader")}:${str(values, "configmapReload.prometheus.image.tag", "v0.89.0")}`;
                    out.push({ ref: reloader, role: "Prometheus's config reloader sidecar (prometheus chart)", pods: replicas(values, "server.replicaCount") });
                }
            }
            // Subcharts, on by default in the chart; this program turns them off (mesh/addons/Prometheus.ts).
            if (enabled(values, "alertmanager.enabled", true)) out.push({ ref: "quay.io/prometheus/alertmanager:v0.31.1", role: "Alertmanager (prometheus subchart)", pods: 1 });
            if (enabled(values, "prometheus-pushgateway.enabled", true)) out.push({ ref: "quay.io/prometheus/pushgateway:v1.11.2", role: "Pushgateway (prometheus subchart)", pods: 1 });
            if (enabled(values, "kube-state-metrics.enabled", true)) out.push({ ref: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.18.0", role: "kube-state-metrics (prometheus subchart)", pods: 1 });
            if (enabled(values, "prometheus-node-exporter.enabled", true)) out.push({ ref: "quay.io/prometheus/node-exporter:v1.10.2", role: "node-exporter (prometheus subchart, a DaemonSet)", pods: "every-node" });
            return out;
        },
    },
    {
        chart: "grafana",
        versions: "9.2.2",
        source: "grafana-community/helm-charts tag grafana-9.2.2 charts/grafana values.yaml and templates/_pod.tpl (appVersion 12.0.1); the same chart digest as grafana/helm-charts 9.2.2",
        images: grafanaImages({ grafana: "12.0.1", sidecar: "1.30.0", busybox: "1.31.1", curl: "8.9.1" }),
    },
    {
        chart: "grafana",
        versions: "11.6.1",
        source: "grafana-community/helm-charts tag grafana-11.6.1 charts/grafana values.yaml and templates/_pod.tpl (appVersion 12.4.3)",
        images: grafanaImages({ grafana: "12.4.3", sidecar: "2.6.0", busybox: "1.37.0", curl: "8.19.0" }),
    },
];

function matches(pattern: string, version: string): boolean {
    if (pattern === "*") return true;
    return pattern.split(",").some((p) => (p.endsWith(".x") ? version.startsWith(p.slice(0, -1)) : p === version));
}

const parts = (v: string) => v.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : 0));
function distance(a: string, b: string): number[] {
    const x = parts(a);
    const y = parts(b.replace(/\.x$/, ".0"));
    return [0, 1, 2].map((i) => Math.abs((x[i] ?? 0) - (y[i] ?? 0)));
}

export interface ChartImages {
    images: ChartImage[];
    /** The row's versions when the chart version itself is not in the table (its nearest was used). */
    approximate?: string;
    /** No row for this chart name at all. */
    unknown?: boolean;
    source?: string;
}

/** The images a chart version deploys with these values. */
export function chartImages(chart: string, version: string, values: Values): ChartImages {
    const rows = CHART_IMAGES.filter((r) => r.chart === chart);
    if (rows.length === 0) return { images: [], unknown: true };
    const exact = rows.find((r) => matches(r.versions, version));
    if (exact) return { images: exact.images(values, version), source: exact.source };
    // The nearest known version (major, then minor, then patch): images are listed, but flagged.
    const nearest = [...rows].sort((a, b) => {
        const da = distance(version, a.versions.split(",")[0]);
        const db = distance(version, b.versions.split(",")[0]);
        return da[0] - db[0] || da[1] - db[1] || da[2] - db[2];
    })[0];
    return { images: nearest.images(values, version), approximate: nearest.versions, source: nearest.source };
}
