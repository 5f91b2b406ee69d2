/** Which objects are the Gateway API's, and what findings call them. */
import type { K8sObject } from "../../mesh/objects";

/** The Gateway API's groups: the standard and experimental kinds, and the experimental `X` kinds. */
export const GATEWAY_API_GROUPS: readonly string[] = ["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"];

export const groupOf = (apiVersion: string): string => (apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "");

/** Called on every object of every plan: two prefix tests, no allocation. */
export const isGatewayApiObject = (o: Pick<K8sObject, "apiVersion">): boolean =>
    typeof o.apiVersion === "string" && (o.apiVersion.startsWith("gateway.networking.k8s.io/") || o.apiVersion.startsWith("gateway.networking.x-k8s.io/"));

/**
 * The kind as findings and config origins name it: the Gateway API's Gateway with its group, since
 * Istio has a Gateway kind too and a plan may hold both under one name.
 */
export const qualifiedKind = (o: { apiVersion?: string; kind: string }): string => (o.kind === "Gateway" && o.apiVersion?.startsWith("gateway.networking.k8s.io/") ? "Gateway.gateway.networking.k8s.io" : o.kind);
