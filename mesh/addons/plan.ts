/**
 * Everything the observability addons deploy for a config, as plain objects: the charts, Jaeger's
 * objects, the Telemetry resource and the optional exposure. Each cross-reference (Kiali → Prometheus,
 * Grafana, Jaeger; Grafana → Prometheus; Telemetry → collector) is computed from the Service the
 * other addon renders, and a disabled addon is simply absent, with its links.
 */
import type { AddonName, MeshConfig } from "../../config/types";
import type { HelmChartSpec } from "../istio/charts";
import type { K8sObject } from "../objects";
import { browserUrl, DashboardAccess, dashboardAccess, DashboardUi } from "./access";
import { endpointOf } from "./endpoints";
import { addonsGateway, addonVirtualService } from "./exposure";
import { GENERATED_PLACEHOLDER, GeneratedSecret, generatedSecrets, GRAFANA_ADMIN_PASSWORD, withValueAt } from "./generatedSecrets";
import { GRAFANA_ADMIN_SECRET, grafanaChart, grafanaDashboards, grafanaEndpoint, GRAFANA_PORT } from "./Grafana";
import { JAEGER_BASE_PATH, JAEGER_PORTS, jaegerObjects } from "./Jaeger";
import { kialiChart, kialiEndpoint, KialiWiring } from "./Kiali";
import { prometheusChart, prometheusEndpoint } from "./Prometheus";
import { meshDefaultTelemetry, tracingProvider } from "./Telemetry";

export interface AddonChart extends HelmChartSpec {
    /** Values carry a user secret (Kiali's signing key, Grafana's password). */
    secretValues: boolean;
    /** Where those secrets are in the values: the component marks exactly these secret, so the rest stays readable (render, diff). */
    secretPaths: string[][];
    /** Secrets the component generates and puts into these values (GENERATED_PLACEHOLDER here). */
    generated: GeneratedSecret[];
    /**
     * Releases whose Secrets these values read by reference (Kiali → Grafana's admin Secret). The pod
     * mounts them without `optional`, so it cannot start before they exist: the chart waits for them.
     */
    waitsFor: string[];
}

export interface AddonsPlan {
    /** Helm charts (Prometheus, Grafana, Kiali), in that order. */
    charts: AddonChart[];
    /** Jaeger's ConfigMap, Deployment and Services. */
    objects: K8sObject[];
    /** Istio custom resources (Telemetry, exposure Gateway and VirtualServices): they wait for istiod's webhook. */
    istioResources: K8sObject[];
    /** Each enabled addon's UI, for port-forward commands and stack outputs. */
    dashboards: Partial<Record<AddonName, DashboardUi>>;
    /** Where Grafana's admin password is (config or generated), for the secret stack output; absent when anonymous or off. */
    grafanaAdminPassword?: { release: string; path: string[] };
}

export function addonsPlan(cfg: MeshConfig): AddonsPlan {
    const a = cfg.addons;
    const dashboards: Partial<Record<AddonName, DashboardUi>> = {};
    const charts: Omit<AddonChart, "generated" | "secretPaths" | "waitsFor">[] = [];
    const waitsFor: Record<string, string[]> = {};
    const userSecrets: Record<string, string[][]> = {
        grafana: a.grafana.anonymous || a.grafana.adminPassword === undefined ? [] : [["adminPassword"]],
        kiali: a.kiali.signingKeyFromConfig ? [["login_token", "signing_key"]] : [],
    };
    const objects: K8sObject[] = [];
    const istioResources: K8sObject[] = [];

    const prometheus = a.prometheus.enabled ? prometheusChart(cfg) : undefined;
    if (prometheus) {
        charts.push({ ...prometheus, secretValues: false });
        dashboards.prometheus = { service: prometheusEndpoint(prometheus), localPort: prometheusEndpoint(prometheus).port };
    }
    // The parser rejects Grafana or Kiali without Prometheus, so `prometheus` is defined for both.
    const grafana = a.grafana.enabled && prometheus ? grafanaChart(cfg, prometheusEndpoint(prometheus)) : undefined;
    if (grafana) {
        charts.push({ ...grafana, secretValues: !a.grafana.anonymous });
        objects.push(grafanaDashboards(cfg, grafana.namespace));
        dashboards.grafana = { service: grafanaEndpoint(grafana), localPort: GRAFANA_PORT };
    }
    const jaeger = a.jaeger.enabled ? jaegerObjects(cfg) : undefined;
    if (jaeger) {
        objects.push(jaeger.configMap, jaeger.deployment, jaeger.tracing, jaeger.zipkin, jaeger.collector);
        dashboards.jaeger = { service: endpointOf(jaeger.tracing, "http-query", JAEGER_BASE_PATH), localPort: JAEGER_PORTS.queryHttp };
        istioResources.push(meshDefaultTelemetry(cfg, tracingProvider(jaeger.collector)));
    }
    if (a.kiali.enabled && prometheus) {
        const wiring: KialiWiring = {
            prometheus: prometheusEndpoint(prometheus),
            grafana:
                grafana && dashboards.grafana
                    ? {
                          internal: grafanaEndpoint(grafana),
                          external: browserUrl(cfg, "grafana", dashboards.grafana),
                          // Grafana asks for a login off k3d: Kiali uses the Secret the Grafana chart writes (Secret <fullname>).
                          ...(a.grafana.anonymous ? {} : { credentials: { secret: grafanaEndpoint(grafana).service, ...GRAFANA_ADMIN_SECRET } }),
                      }
                    : undefined,
            tracing: jaeger && dashboards.jaeger ? { internal: endpointOf(jaeger.tracing, "grpc-query", JAEGER_BASE_PATH), external: browserUrl(cfg, "jaeger", dashboards.jaeger) } : undefined,
        };
        const kiali = kialiChart(cfg, wiring);
        charts.push({ ...kiali, secretValues: a.kiali.signingKeyFromConfig });
        if (wiring.grafana?.credentials && grafana) waitsFor[kiali.release] = [grafana.release];
        dashboards.kiali = { service: kialiEndpoint(kiali), localPort: kialiEndpoint(kiali).port };
    }

    const exposed = Object.keys(dashboards) as AddonName[];
    if (a.expose.enabled && exposed.length > 0) {
        istioResources.push(addonsGateway(cfg, exposed.map((n) => a.expose.hosts[n])));
        for (const n of exposed) istioResources.push(addonVirtualService(cfg, n, dashboards[n]!.service));
    }
    // Secrets the user did not set are generated at deploy time: the plan marks where they go.
    const generated = generatedSecrets(cfg);
    const withGenerated = charts.map((c) => {
        const mine = generated.filter((g) => g.release === c.release);
        const values = mine.reduce((v, g) => withValueAt(v, g.path, GENERATED_PLACEHOLDER), c.values);
        const secretPaths = [...(userSecrets[c.release] ?? []), ...mine.map((g) => g.path)];
        return { ...c, values, generated: mine, secretValues: c.secretValues || mine.length > 0, secretPaths, waitsFor: waitsFor[c.release] ?? [] };
    });
    const grafanaAdminPassword = grafana && !a.grafana.anonymous ? { release: grafana.release, path: GRAFANA_ADMIN_PASSWORD.path } : undefined;
    return { charts: withGenerated, objects, istioResources, dashboards, ...(grafanaAdminPassword ? { grafanaAdminPassword } : {}) };
}

/** Stack output `dashboards`: per enabled addon, the port-forward command and the URL(s) to open. */
export function dashboardOutputs(cfg: MeshConfig, plan: AddonsPlan, kubeContext: string): Partial<Record<AddonName, DashboardAccess>> {
    return Object.fromEntries(Object.entries(plan.dashboards).map(([name, ui]) => [name, dashboardAccess(cfg, kubeContext, name as AddonName, ui!)]));
}
