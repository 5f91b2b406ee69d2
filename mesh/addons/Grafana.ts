/**
 * Grafana from its official chart, wired to Prometheus and loaded with Istio's dashboards (mesh,
 * service, workload, control plane). The dashboards are downloaded at pod start from the Istio release
 * tag (manifests/addons/dashboards at versions.istio), so they match the deployed Istio exactly; a
 * grafana.com id would need a revision number per release that nothing here can check.
 */
import type { MeshConfig } from "../../config/types";
import { GRAFANA_HELM_REPO } from "../../config/versions";
import type { HelmChartSpec } from "../istio/charts";
import { inClusterUrl, NO_SIDECAR, ServiceEndpoint, valueAt } from "./endpoints";

export const GRAFANA_PORT = 3000;
const DASHBOARD_DIR = "/var/lib/grafana/dashboards/istio";

/** Dashboard files in istio/istio at a release tag; their titles are the ones Kiali links to. */
export const ISTIO_DASHBOARDS: Record<string, string> = {
    "istio-mesh": "istio-mesh-dashboard.gen.json",
    "istio-service": "istio-service-dashboard.json",
    "istio-workload": "istio-workload-dashboard.json",
    "istio-control-plane": "pilot-dashboard.gen.json",
};

export function dashboardUrl(istioVersion: string, file: string): string {
    return `https://raw.githubusercontent.com/istio/istio/${istioVersion}/manifests/addons/dashboards/${file}`;
}

/** Anonymous admin on k3d (as Istio's sample); elsewhere `admin` with the stack's secret password (generated when unset: see generatedSecrets.ts). */
function access(cfg: MeshConfig): Record<string, unknown> {
    const g = cfg.addons.grafana;
    // Setting the password (env or adminPassword) stops the chart generating a random one on every render.
    if (g.anonymous) return { env: { GF_SECURITY_ADMIN_USER: "admin", GF_SECURITY_ADMIN_PASSWORD: "admin", GF_AUTH_BASIC_ENABLED: "false", GF_AUTH_ANONYMOUS_ENABLED: "true", GF_AUTH_ANONYMOUS_ORG_ROLE: "Admin" } };
    return { adminUser: "admin", adminPassword: g.adminPassword };
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
            // No RBAC or test pods: nothing here reads the Kubernetes API.
            rbac: { create: false, pspEnabled: false },
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
            dashboardProviders: {
                "dashboardproviders.yaml": {
                    apiVersion: 1,
                    providers: [{ name: "istio", orgId: 1, folder: "istio", type: "file", disableDeletion: false, options: { path: DASHBOARD_DIR } }],
                },
            },
            // Each dashboard selects its datasource through its own `datasource` variable: no rewriting needed.
            dashboards: { istio: Object.fromEntries(Object.entries(ISTIO_DASHBOARDS).map(([key, file]) => [key, { url: dashboardUrl(cfg.versions.istio, file) }])) },
            downloadDashboards: { resources: { requests: { cpu: "5m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } } },
            resources: { requests: { cpu: "25m", memory: "128Mi" }, limits: { cpu: "500m", memory: "384Mi" } },
        },
    };
}

export function grafanaEndpoint(spec: HelmChartSpec): ServiceEndpoint {
    return { service: valueAt(spec.values, "fullnameOverride"), namespace: spec.namespace, port: valueAt(spec.values, "service.port"), path: "" };
}
