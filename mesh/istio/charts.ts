/** The official Istio Helm charts, as plain specs: what the Istio component installs and render prints. */
import type { MeshConfig } from "../../config/types";
import { ISTIO_HELM_REPO } from "../../config/versions";
import { mergeValues } from "../addons/endpoints";
import { istiodTracingValues } from "../addons/Telemetry";
import { AMBIENT_REQUESTS } from "../ambient/footprint";

export interface HelmChartSpec {
    /** Helm release name (and Pulumi resource name). */
    release: string;
    chart: string;
    version: string;
    repo: string;
    namespace: string;
    values: Record<string, unknown>;
}

/**
 * istiod normally starts its validating webhooks with failurePolicy Ignore and flips them to Fail at
 * run time, which a second `pulumi up` would then try to undo. Since Istio 1.30 the charts can render
 * Fail from the start (istio#59367, #59488); istiod then only writes caBundle, which we never set, so
 * Pulumi and istiod stop fighting. Both charts that render webhooks take the value.
 */
const STABLE_WEBHOOK = { base: { validationFailurePolicy: "Fail" } };

export function baseChart(cfg: MeshConfig): HelmChartSpec {
    return { release: "istio-base", chart: "base", version: cfg.versions.istio, repo: ISTIO_HELM_REPO, namespace: cfg.istio.namespace, values: { ...STABLE_WEBHOOK, defaultRevision: "default" } };
}

/** What ambient adds to istiod: the profile (HBONE, PILOT_ENABLE_AMBIENT) and the waypoints' requests; nothing on sidecar. */
export function istiodAmbientValues(cfg: MeshConfig): Record<string, unknown> {
    if (cfg.dataplane.mode !== "ambient") return {};
    return { profile: "ambient", global: { waypoint: { resources: { requests: { ...AMBIENT_REQUESTS } } } } };
}

export function istiodChart(cfg: MeshConfig): HelmChartSpec {
    // Tracing (meshConfig.enableTracing, the Jaeger extension provider) comes from the addons config;
    // the ambient profile and the waypoints' requests from istio-mesh:dataplane (nothing on sidecar).
    const values = mergeValues(mergeValues({ ...STABLE_WEBHOOK }, istiodTracingValues(cfg)), istiodAmbientValues(cfg));
    return { release: "istiod", chart: "istiod", version: cfg.versions.istio, repo: ISTIO_HELM_REPO, namespace: cfg.istio.namespace, values };
}

/** Gateway Service ports. The chart replaces `service.ports` whole, so all three are listed. */
export function gatewayServicePorts(cfg: MeshConfig): Record<string, unknown>[] {
    const svc = cfg.istio.gatewayService;
    return [
        { name: "status-port", port: 15021, protocol: "TCP", targetPort: 15021 },
        { name: "http2", port: 80, protocol: "TCP", targetPort: 80, ...(svc.type === "NodePort" ? { nodePort: svc.httpNodePort } : {}) },
        { name: "https", port: 443, protocol: "TCP", targetPort: 443 },
    ];
}

/** NodePort on k3d; on a cloud cluster a LoadBalancer with the cloud's annotations (e.g. an NLB on EKS). */
function gatewayServiceValues(cfg: MeshConfig): Record<string, unknown> {
    const svc = cfg.istio.gatewayService;
    return { type: svc.type, ports: gatewayServicePorts(cfg), ...(svc.type === "LoadBalancer" ? { annotations: { ...svc.annotations } } : {}) };
}

/** Release `istio-ingressgateway` → pods labelled `istio: ingressgateway`, which the Gateway selects. */
export function gatewayChart(cfg: MeshConfig): HelmChartSpec {
    return {
        release: cfg.istio.gatewayRelease,
        chart: "gateway",
        version: cfg.versions.istio,
        repo: ISTIO_HELM_REPO,
        namespace: cfg.istio.namespace,
        values: { service: gatewayServiceValues(cfg) },
    };
}
