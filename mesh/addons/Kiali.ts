/**
 * Kiali from the kiali-server chart, wired to the Prometheus, Grafana and Jaeger this stack renders.
 * Its tracing integration is off in Istio's sample (Kiali would not start without Jaeger); here it is
 * on whenever Jaeger is, and each link disappears with its addon.
 */
import type { MeshConfig } from "../../config/types";
import { KIALI_HELM_REPO } from "../../config/versions";
import type { HelmChartSpec } from "../istio/charts";
import { inClusterUrl, NO_SIDECAR, ServiceEndpoint, valueAt } from "./endpoints";

export const KIALI_PORT = 20001;
export const KIALI_WEB_ROOT = "/kiali";

/** How Kiali reaches an addon (`internal`) and the link it shows the user's browser (`external`). */
export interface KialiLink {
    internal: ServiceEndpoint;
    external: string;
    /** Where the addon's login is, when it asks for one: a Secret in Kiali's namespace and its keys. */
    credentials?: { secret: string; userKey: string; passwordKey: string };
}

/** Kiali reads a credential by reference (`secret:<secret>:<key>`): no password in its ConfigMap. */
export const secretRef = (secret: string, key: string) => `secret:${secret}:${key}`;

function grafanaValues(g: KialiLink | undefined): Record<string, unknown> {
    if (!g) return { enabled: false };
    const auth = g.credentials ? { auth: { type: "basic", username: secretRef(g.credentials.secret, g.credentials.userKey), password: secretRef(g.credentials.secret, g.credentials.passwordKey) } } : {};
    return { enabled: true, internal_url: inClusterUrl(g.internal), external_url: g.external, ...auth };
}

export interface KialiWiring {
    prometheus: ServiceEndpoint;
    grafana?: KialiLink;
    /** Jaeger's gRPC query endpoint (Kiali's default client) and its UI. */
    tracing?: KialiLink;
}

export function kialiChart(cfg: MeshConfig, wiring: KialiWiring): HelmChartSpec {
    const k = cfg.addons.kiali;
    return {
        release: "kiali",
        chart: "kiali-server",
        version: cfg.versions.kialiChart,
        repo: KIALI_HELM_REPO,
        namespace: cfg.istio.namespace,
        values: {
            auth: { strategy: k.auth },
            deployment: {
                instance_name: "kiali",
                // The chart's own appVersion image, pinned explicitly rather than left to the chart's template.
                image_version: `v${cfg.versions.kialiChart}`,
                image_pull_policy: "IfNotPresent",
                pod_labels: { ...NO_SIDECAR },
                // Kiali 2.26's chart reads deployment.ingress.enabled (ingress_enabled is no key of it).
                ingress: { enabled: false },
                // The chart's NetworkPolicy would also block the ingress gateway when the UI is exposed by host.
                network_policy: { enabled: false },
                resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
            },
            // Unset, the chart renders a new random key each time: a diff on every `up`, everyone logged out.
            login_token: { signing_key: k.signingKey },
            server: { port: KIALI_PORT, web_root: KIALI_WEB_ROOT },
            external_services: {
                istio: { root_namespace: cfg.istio.namespace },
                prometheus: { url: inClusterUrl(wiring.prometheus) },
                grafana: grafanaValues(wiring.grafana),
                tracing: wiring.tracing
                    ? { enabled: true, provider: "jaeger", use_grpc: true, internal_url: inClusterUrl(wiring.tracing.internal), external_url: wiring.tracing.external }
                    : { enabled: false },
            },
        },
    };
}

export function kialiEndpoint(spec: HelmChartSpec): ServiceEndpoint {
    return { service: valueAt(spec.values, "deployment.instance_name"), namespace: spec.namespace, port: valueAt(spec.values, "server.port"), path: valueAt(spec.values, "server.web_root") };
}
