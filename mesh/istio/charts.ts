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

/**
 * The validating webhook that checks the lab's Istio resources: the base chart's default-revision
 * validator (our resources carry no istio.io/rev label, which is what the istiod chart's per-revision
 * one selects). It is rendered with failurePolicy Fail and without a CA bundle; istiod writes the CA
 * bundle only after it reports Ready, and in between every Istio resource is rejected ("x509:
 * certificate signed by unknown authority"). Istio 1.30 manifests/charts/base (read 2026-12).
 */
export const DEFAULT_VALIDATOR = "istiod-default-validator";

/**
 * pulumi-kubernetes (4.18+) waits after a create until this JSONPath holds a value (the form its
 * changelog gives for exactly this: a webhook with its CA bundle; metadata/overrides.go ReadyCondition).
 */
export const VALIDATOR_READY = "jsonpath={.webhooks[0].clientConfig.caBundle}";

export function baseChart(cfg: MeshConfig): HelmChartSpec {
    return { release: "istio-base", chart: "base", version: cfg.versions.istio, repo: ISTIO_HELM_REPO, namespace: cfg.istio.namespace, values: { ...STABLE_WEBHOOK, defaultRevision: "default" } };
}

/**
 * Where Istio's images come from. Istio 1.30's published charts set only istiod's `global.hub`, to
 * registry.istio.io/release, retired in December 2026. `hub` picks istiod's own image (pilot);
 * `global.hub` is what the injector writes into every sidecar and istio-init, and into the gateway
 * pods (their chart says `image: auto`). So both, and only on istiod: the gateway chart's values
 * schema refuses a top-level `hub`.
 */
export function istioImageHubValues(cfg: MeshConfig): Record<string, unknown> {
    return { hub: cfg.versions.istioHub, global: { hub: cfg.versions.istioHub } };
}

/** What ambient adds to istiod: the profile (HBONE, PILOT_ENABLE_AMBIENT) and the waypoints' requests; nothing on sidecar. */
export function istiodAmbientValues(cfg: MeshConfig): Record<string, unknown> {
    if (cfg.dataplane.mode !== "ambient") return {};
    return { profile: "ambient", global: { waypoint: { resources: { requests: { ...AMBIENT_REQUESTS } } } } };
}

export function istiodChart(cfg: MeshConfig): HelmChartSpec {
    // Tracing (meshConfig.enableTracing, the Jaeger extension provider) comes from the addons config;
    // the ambient profile and the waypoints' requests from istio-mesh:dataplane (nothing on sidecar).
    const values = mergeValues(mergeValues(mergeValues({ ...STABLE_WEBHOOK }, istioImageHubValues(cfg)), istiodTracingValues(cfg)), istiodAmbientValues(cfg));
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

/**
 * NodePort on k3d; on EKS a LoadBalancer with the cloud's annotations (e.g. an NLB); on an existing
 * cluster the configured type (config/sections/cluster.ts), its annotations when it has any.
 */
function gatewayServiceValues(cfg: MeshConfig): Record<string, unknown> {
    const svc = cfg.istio.gatewayService;
    const annotations = svc.type === "LoadBalancer" || (svc.annotations && Object.keys(svc.annotations).length > 0) ? { annotations: { ...svc.annotations } } : {};
    return { type: svc.type, ports: gatewayServicePorts(cfg), ...annotations };
}

/**
 * Release `istio-ingressgateway` → pods labelled `istio: ingressgateway`, which the Gateway selects.
 * No `hub` here (the chart's schema refuses it): the pod's image is filled in by istiod's injector.
 */
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
