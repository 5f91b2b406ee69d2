/**
 * Optional: each dashboard by host through the ingress gateway (e.g. http://kiali.localhost:8000/kiali),
 * off by default. A Gateway of its own in the control-plane namespace, so the workloads' Gateway and
 * its hosts stay as the course wrote them; Istio merges both on the gateway's HTTP port, and exact
 * hosts win over the workloads' "*".
 */
import type { AddonName, MeshConfig } from "../../config/types";
import { gatewayServicePorts } from "../istio/charts";
import { externalHttpPort, httpUrl } from "../ingress/externalAddress";
import { ISTIO_NETWORKING, K8sObject } from "../objects";
import { ServiceEndpoint, serviceFqdn } from "./endpoints";

export const ADDONS_GATEWAY = "addons-gateway";

/** The gateway Service's plain-HTTP port (the one k3d's host port reaches). */
function httpPort(cfg: MeshConfig): number {
    const p = gatewayServicePorts(cfg).find((x) => x.name === "http2");
    if (!p) throw new Error("the ingress gateway Service has no http2 port");
    return p.port as number;
}

export function addonsGateway(cfg: MeshConfig, hosts: string[]): K8sObject {
    return {
        apiVersion: ISTIO_NETWORKING,
        kind: "Gateway",
        metadata: { name: ADDONS_GATEWAY, namespace: cfg.istio.namespace },
        spec: {
            selector: { ...cfg.ingress.gateway.selector },
            servers: [{ port: { number: httpPort(cfg), name: "http-addons", protocol: "HTTP" }, hosts: [...hosts] }],
        },
    };
}

export function addonVirtualService(cfg: MeshConfig, name: AddonName, ui: ServiceEndpoint): K8sObject {
    return {
        apiVersion: ISTIO_NETWORKING,
        kind: "VirtualService",
        metadata: { name: `${name}-dashboard`, namespace: cfg.istio.namespace },
        spec: {
            hosts: [cfg.addons.expose.hosts[name]],
            gateways: [ADDONS_GATEWAY],
            http: [{ route: [{ destination: { host: serviceFqdn(ui), port: { number: ui.port } } }] }],
        },
    };
}

/** The URL a browser on the host uses for an exposed dashboard. */
export function exposedUrl(cfg: MeshConfig, name: AddonName, path: string): string {
    return httpUrl(cfg.addons.expose.hosts[name], externalHttpPort(cfg), path);
}
