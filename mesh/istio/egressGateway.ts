/**
 * Optional egress gateway (Istio task "Egress Gateways", HTTP): calls from sidecars to an external
 * HTTP API go to the egress gateway, which alone leaves the mesh. One Gateway for all external hosts,
 * and per ServiceEntry a VirtualService with two routes (mesh → gateway, gateway → the API).
 */
import type { ServiceEntryConfig } from "../../config/security";
import type { MeshConfig } from "../../config/types";
import { ISTIO_HELM_REPO } from "../../config/versions";
import { ISTIO_NETWORKING, K8sObject } from "../objects";
import type { HelmChartSpec } from "./charts";

export const EGRESS_RELEASE = "istio-egressgateway";
export const EGRESS_GATEWAY = "istio-egressgateway";

/** Release `istio-egressgateway` → pods labelled `istio: egressgateway`; ClusterIP: nothing enters through it. */
export function egressGatewayChart(cfg: MeshConfig): HelmChartSpec {
    return {
        release: EGRESS_RELEASE,
        chart: "gateway",
        version: cfg.versions.istio,
        repo: ISTIO_HELM_REPO,
        namespace: cfg.istio.namespace,
        values: { service: { type: "ClusterIP", ports: [{ name: "status-port", port: 15021, protocol: "TCP", targetPort: 15021 }, { name: "http2", port: 80, protocol: "TCP", targetPort: 80 }] } },
    };
}

const httpEntries = (cfg: MeshConfig) => cfg.security.egress.serviceEntries.filter((e) => e.protocol === "HTTP");

export function egressObjects(cfg: MeshConfig, namespace: string): K8sObject[] {
    const entries = httpEntries(cfg);
    if (!cfg.security.egress.gateway || entries.length === 0) return [];
    const gwHost = `${EGRESS_RELEASE}.${cfg.istio.namespace}.svc.cluster.local`;
    const gw: K8sObject = {
        apiVersion: ISTIO_NETWORKING,
        kind: "Gateway",
        metadata: { name: EGRESS_GATEWAY, namespace },
        spec: { selector: { istio: "egressgateway" }, servers: [{ port: { number: 80, name: "http", protocol: "HTTP" }, hosts: entries.map((e) => e.host) }] },
    };
    const vss = entries.map((e: ServiceEntryConfig): K8sObject => ({
        apiVersion: ISTIO_NETWORKING,
        kind: "VirtualService",
        metadata: { name: `${e.name}-via-egress`, namespace },
        spec: {
            hosts: [e.host],
            gateways: [EGRESS_GATEWAY, "mesh"],
            http: [
                { match: [{ gateways: ["mesh"], port: e.port }], ...(e.timeout ? { timeout: e.timeout } : {}), route: [{ destination: { host: gwHost, port: { number: 80 } } }] },
                { match: [{ gateways: [EGRESS_GATEWAY], port: 80 }], route: [{ destination: { host: e.host, port: { number: e.port } } }] },
            ],
        },
    }));
    return [gw, ...vss];
}
