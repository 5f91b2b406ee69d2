/**
 * The Gateway API CRDs a `gateway-api` stack installs: the official release manifest of the pinned
 * version and channel (config/versions.ts), applied whole (CRDs and the safe-upgrades admission policy).
 * Istio's base chart ships none of them (its crd-all.gen.yaml holds only *.istio.io at 1.30.3), and
 * istiod must find them when it starts, or it leaves the Gateway API controllers off until restarted.
 */
import type { MeshConfig } from "../../config/types";
import { GATEWAY_API_CHANNEL, gatewayApiManifestUrl, GatewayApiChannel } from "../../config/versions";

export interface GatewayApiCrdsSpec {
    /** Pulumi resource name of the ConfigFile. */
    name: string;
    version: string;
    channel: GatewayApiChannel;
    /** Downloaded by the Kubernetes provider at deploy time; never under mocks (render prints it). */
    url: string;
}

/** On `gateway-api` stacks, and on ambient ones whatever their routing API: a waypoint is a Gateway API Gateway. */
export function gatewayApiCrds(cfg: MeshConfig): GatewayApiCrdsSpec | undefined {
    if (cfg.trafficApi !== "gateway-api" && cfg.dataplane.mode !== "ambient") return undefined;
    return { name: "gateway-api-crds", version: cfg.versions.gatewayApi, channel: GATEWAY_API_CHANNEL, url: gatewayApiManifestUrl(cfg.versions.gatewayApi, GATEWAY_API_CHANNEL) };
}
