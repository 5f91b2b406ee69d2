/** How a user opens each dashboard: a `kubectl port-forward` ready to paste, and the URL it serves. */
import type { AddonName, MeshConfig } from "../../config/types";
import type { ServiceEndpoint } from "./endpoints";
import { exposedUrl } from "./exposure";

export interface DashboardUi {
    /** The Service (and port) the UI is served by, with the path it lives under. */
    service: ServiceEndpoint;
    /** Local port for port-forward: the UI's usual port (Jaeger's 16686 rather than its Service's 80). */
    localPort: number;
}

export interface DashboardAccess {
    portForward: string;
    url: string;
    /** Through the ingress gateway, when `addons.expose.enabled`. */
    exposedUrl?: string;
}

export function dashboardAccess(cfg: MeshConfig, kubeContext: string, name: AddonName, ui: DashboardUi): DashboardAccess {
    const s = ui.service;
    return {
        portForward: `kubectl --context ${kubeContext} -n ${s.namespace} port-forward svc/${s.service} ${ui.localPort}:${s.port}`,
        url: `http://localhost:${ui.localPort}${s.path}`,
        ...(cfg.addons.expose.enabled ? { exposedUrl: exposedUrl(cfg, name, s.path) } : {}),
    };
}

/** The link Kiali shows for an addon: the exposed host when there is one, else the port-forward URL. */
export function browserUrl(cfg: MeshConfig, name: AddonName, ui: DashboardUi): string {
    return cfg.addons.expose.enabled ? exposedUrl(cfg, name, ui.service.path) : `http://localhost:${ui.localPort}${ui.service.path}`;
}
