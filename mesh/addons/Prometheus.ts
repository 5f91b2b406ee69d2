/**
 * Prometheus from the prometheus-community chart with the values Istio's sample addon uses
 * (manifests/addons/values-prometheus.yaml): server only, Service `prometheus` on 9090, 15 s scrapes.
 * Its scrape jobs are the chart's defaults, the same set the sample ships: `kubernetes-pods` picks up
 * every sidecar and istiod through the prometheus.io annotations Istio puts on them (merged metrics on
 * :15020, istiod on :15014).
 */
import type { MeshConfig } from "../../config/types";
import { PROMETHEUS_HELM_REPO } from "../../config/versions";
import type { HelmChartSpec } from "../istio/charts";
import { NO_SIDECAR, ServiceEndpoint, valueAt } from "./endpoints";

export const PROMETHEUS_PORT = 9090;

export function prometheusChart(cfg: MeshConfig): HelmChartSpec {
    return {
        release: "prometheus",
        chart: "prometheus",
        version: cfg.versions.prometheusChart,
        repo: PROMETHEUS_HELM_REPO,
        namespace: cfg.istio.namespace,
        values: {
            alertmanager: { enabled: false },
            "prometheus-pushgateway": { enabled: false },
            "kube-state-metrics": { enabled: false },
            "prometheus-node-exporter": { enabled: false },
            server: {
                // Service (and Deployment) named `prometheus`, where Istio's docs and Kiali look.
                fullnameOverride: "prometheus",
                service: { servicePort: PROMETHEUS_PORT },
                podLabels: { ...NO_SIDECAR },
                // A lab's metrics live as long as the pod: no volume, one day kept.
                persistentVolume: { enabled: false },
                retention: "1d",
                readinessProbeInitialDelay: 0,
                global: { scrape_interval: "15s" },
                // The chart's own default: Prometheus's release job (prometheus/prometheus .github/workflows/ci.yml
                // publish_release, with promci's quay_io login; checked 2026-12-08) pushes each v3 tag to Docker Hub
                // and quay.io. From quay.io it is not one of Docker Hub's hourly pulls (supplychain/pulls.ts).
                image: { repository: "quay.io/prometheus/prometheus" },
                resources: { requests: { cpu: "50m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
            },
            configmapReload: { prometheus: { resources: { requests: { cpu: "5m", memory: "16Mi" }, limits: { cpu: "100m", memory: "64Mi" } } } },
        },
    };
}

/** The Service the chart renders, read from the values that name it. */
export function prometheusEndpoint(spec: HelmChartSpec): ServiceEndpoint {
    return { service: valueAt(spec.values, "server.fullnameOverride"), namespace: spec.namespace, port: valueAt(spec.values, "server.service.servicePort"), path: "" };
}
