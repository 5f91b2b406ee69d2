/**
 * Grafana from its official chart, wired to Prometheus and loaded with Istio's dashboards (mesh,
 * service, workload, control plane), downloaded from the Istio release tag (manifests/addons/dashboards
 * at versions.istio), so they match the deployed Istio exactly; a grafana.com id would need a revision
 * number per release that nothing here can check.
 *
 * Not through the chart's `dashboards.<provider>.<name>.url`: the chart (9.2.2 and 11.6.1 alike)
 * downloads those in an init container whose script runs `set -euf` (templates/_config.tpl), so a
 * cluster without egress to GitHub leaves Grafana in Init:Error. Instead the chart's dashboard sidecar
 * (`sidecar.dashboards`; kiwigrid/k8s-sidecar 2.6.0 with chart 11.6.1) reads a ConfigMap labelled
 * `grafana_dashboard: "1"` whose keys end in `.url`: it downloads each one and, when a download fails,
 * logs the error and goes on (2.6.0: src/helpers.py `request` logs it and returns an empty body, so an
 * empty <name>.json is written; src/resources.py `_update_file` catches the rest). Grafana's file
 * provisioner logs "failed to load dashboard" for an unreadable file and skips it; the chart gives the
 * sidecar no probes, so the pod is Ready and Grafana serves either way.
 */
import type { MeshConfig } from "../../config/types";
import { GRAFANA_HELM_REPO } from "../../config/versions";
import type { HelmChartSpec } from "../istio/charts";
import type { K8sObject } from "../objects";
import { inClusterUrl, NO_SIDECAR, ServiceEndpoint, valueAt } from "./endpoints";

export const GRAFANA_PORT = 3000;

/** The label the chart's dashboard sidecar watches ConfigMaps for (its `sidecar.dashboards.label`). */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" };
export const DASHBOARD_CONFIGMAP = "istio-grafana-dashboards";

/** The Secret the chart creates for its admin login (chart defaults, set explicitly so Kiali can name them). */
export const GRAFANA_ADMIN_SECRET = { userKey: "admin-user", passwordKey: "admin-password" };

/** Dashboard files in istio/istio at a release tag; their titles are the ones Kiali links to. */
export const ISTIO_DASHBOARDS: Record<string, string> = {
    "istio-mesh": "istio-mesh-dashboard.gen.json",
    "istio-service": "istio-service-dashboard.json",
    "istio-workload": "istio-workload-dashboard.json",
    "istio-control-plane": "pilot-dashboard.gen.json",
};

/**
 * On ambient also Istio's ztunnel dashboard (connections, bytes, DNS per ztunnel). The Service and
 * Workload dashboards above read `reporter="destination"` / `"source"` and offer no `waypoint`: on
 * ambient the HTTP metrics come from waypoints with `reporter="waypoint"` (istio.io
 * docs/ambient/usage/l7-features), so read them in the Mesh dashboard (`reporter=~"source|waypoint"`)
 * or in Kiali (its reporter filter); without a waypoint there are only ztunnel's TCP metrics. Checked
 * 2026-12 on istio/istio release-1.30 manifests/addons/dashboards.
 */
export const AMBIENT_DASHBOARDS: Record<string, string> = { "istio-ztunnel": "ztunnel-dashboard.gen.json" };

export function dashboardUrl(istioVersion: string, file: string): string {
    return `https://raw.githubusercontent.com/istio/istio/${istioVersion}/manifests/addons/dashboards/${file}`;
}

/** Anonymous admin on k3d (as Istio's sample); elsewhere `admin` with the stack's secret password (generated when unset: see generatedSecrets.ts). */
function access(cfg: MeshConfig): Record<string, unknown> {
    const g = cfg.addons.grafana;
    // Setting the password (env or adminPassword) stops the chart generating a random one on every render.
    if (g.anonymous) return { env: { GF_SECURITY_ADMIN_USER: "admin", GF_SECURITY_ADMIN_PASSWORD: "admin", GF_AUTH_BASIC_ENABLED: "false", GF_AUTH_ANONYMOUS_ENABLED: "true", GF_AUTH_ANONYMOUS_ORG_ROLE: "Admin" } };
    // No existingSecret: the chart writes adminUser/adminPassword into Secret <fullname> under these keys.
    return { adminUser: "admin", adminPassword: g.adminPassword, admin: { existingSecret: "", ...GRAFANA_ADMIN_SECRET } };
}

/** The ConfigMap of dashboard URLs the sidecar downloads (`<name>.json.url`: the sidecar strips `.url`). */
export function grafanaDashboards(cfg: MeshConfig, namespace: string): K8sObject {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: DASHBOARD_CONFIGMAP, namespace, labels: { ...DASHBOARD_LABEL } },
        data: Object.fromEntries(
            Object.entries({ ...ISTIO_DASHBOARDS, ...(cfg.dataplane.mode === "ambient" ? AMBIENT_DASHBOARDS : {}) }).map(([key, file]) => [`${key}.json.url`, dashboardUrl(cfg.versions.istio, file)]),
        ),
    };
}

export function grafanaChart(cfg: MeshConfig, prometheus: ServiceEndpoint): HelmChartSpec {
    return {
        release: "grafana",
        chart: "grafana",
        version: cfg.versions.grafanaChart,
        repo: GRAFANA_HELM_REPO,
        namespace: cfg.istio.namespace,
        values: {
            fullnameOverride: "grafana",
            // A namespaced Role (get/watch/list ConfigMaps and Secrets in istio-system) for the dashboard sidecar only.
            rbac: { create: true, namespaced: true, pspEnabled: false },
            testFramework: { enabled: false },
            podLabels: { ...NO_SIDECAR },
            service: { port: GRAFANA_PORT },
            ...access(cfg),
            datasources: {
                "datasources.yaml": {
                    apiVersion: 1,
                    datasources: [{ name: "Prometheus", type: "prometheus", orgId: 1, url: inClusterUrl(prometheus), access: "proxy", isDefault: true, jsonData: { timeInterval: "15s" }, editable: true }],
                },
            },
            // Each dashboard selects its datasource through its own `datasource` variable: no rewriting needed.
            // No `dashboards`/`dashboardProviders`: they would bring back the init container that fails without egress.
            sidecar: {
                resources: { requests: { cpu: "5m", memory: "32Mi" }, limits: { cpu: "100m", memory: "128Mi" } },
                dashboards: {
                    enabled: true,
                    label: Object.keys(DASHBOARD_LABEL)[0],
                    labelValue: Object.values(DASHBOARD_LABEL)[0],
                    resource: "configmap",
                    // null = only Grafana's own namespace, where the ConfigMap is.
                    searchNamespace: null,
                    provider: { name: "istio", folder: "istio", disableDelete: false, allowUiUpdates: false },
                    // Without this the chart gives the sidecar Grafana's admin login (REQ_USERNAME/REQ_PASSWORD) for its
                    // reload call, and k8s-sidecar sends that basic auth with every `.url` download too: the admin
                    // password would go to GitHub. Grafana's file provider picks new dashboards up by itself.
                    skipReload: true,
                },
            },
            resources: { requests: { cpu: "25m", memory: "128Mi" }, limits: { cpu: "500m", memory: "384Mi" } },
        },
    };
}

export function grafanaEndpoint(spec: HelmChartSpec): ServiceEndpoint {
    return { service: valueAt(spec.values, "fullnameOverride"), namespace: spec.namespace, port: valueAt(spec.values, "service.port"), path: "" };
}
