/** The Kubernetes Gateway API's objects as the builders write them. No Pulumi here. */
import type { K8sObject } from "../objects";

/** HTTPRoute and Gateway are GA (`v1`) in v1.5.1; `retry` rides on v1 HTTPRoute in the experimental CRDs. */
export const GATEWAY_API = "gateway.networking.k8s.io/v1";

/** The GatewayClass istiod creates by default (PILOT_GATEWAY_API_DEFAULT_GATEWAYCLASS_NAME). */
export const ISTIO_GATEWAY_CLASS = "istio";

/** Istio's own group, for Gateway API references to Istio kinds (a ServiceEntry parent, a Hostname backend). */
export const ISTIO_GROUP = "networking.istio.io";

export const isGatewayApiObject = (o: Pick<K8sObject, "apiVersion">): boolean =>
    typeof o.apiVersion === "string" && (o.apiVersion.startsWith("gateway.networking.k8s.io/") || o.apiVersion.startsWith("gateway.networking.x-k8s.io/"));

/**
 * A Gateway API Gateway (not Istio's Gateway, which has the same kind). Findings and config origins
 * call it by its qualified kind, `Gateway.gateway.networking.k8s.io`, as kubectl does.
 */
export const isKubernetesGateway = (o: Pick<K8sObject, "apiVersion" | "kind">): boolean => o.kind === "Gateway" && isGatewayApiObject(o);
export const KUBERNETES_GATEWAY_KIND = "Gateway.gateway.networking.k8s.io";
