/** Hand-written Gateway API objects for the Gateway API layer's tests, and the pinned CRDs when vendored. */
import { existsSync } from "fs";
import { loadCrds, manifestPath } from "../../analysis/gatewayApi/manifest";
import type { GatewayApiCrds } from "../../analysis/gatewayApi/manifest";
import type { GatewayApiChannel } from "../../config/versions";
import type { K8sObject } from "../../mesh/objects";

const GW = "gateway.networking.k8s.io/v1";

/** The pinned CRDs of `channel` if vendored and verified here, else undefined (the tests that need them skip, saying why). */
export function vendoredCrds(channel: GatewayApiChannel): GatewayApiCrds | undefined {
    if (!existsSync(manifestPath(channel))) return undefined;
    return loadCrds(channel); // throws when present but not the pinned manifest: that must fail loudly
}

export const SKIP_REASON = "the pinned Gateway API manifests are not vendored in this checkout (npm run gateway-api-crds fetches them; CI reaches only the npm registry)";

type Spec = Record<string, any>;

/** An HTTPRoute in `default` attached to Gateway `web` (namespace istio-system), routing to nginx-service:8000. */
export function httpRoute(spec: Spec = {}, name = "reviews", namespace = "default"): K8sObject {
    return {
        apiVersion: GW,
        kind: "HTTPRoute",
        metadata: { name, namespace },
        spec: { parentRefs: [{ name: "web", namespace: "istio-system" }], hostnames: ["nginx.example.com"], rules: [{ backendRefs: [{ name: "nginx-service", port: 8000 }] }], ...spec },
    };
}

/** Gateway `web` in istio-system, class istio, one HTTP listener on 80 for *.example.com taking routes from every namespace. */
export function gateway(spec: Spec = {}, name = "web", namespace = "istio-system"): K8sObject {
    return {
        apiVersion: GW,
        kind: "Gateway",
        metadata: { name, namespace },
        spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP", hostname: "*.example.com", allowedRoutes: { namespaces: { from: "All" } } }], ...spec },
    };
}

export function gatewayClass(spec: Spec = {}, name = "lab"): K8sObject {
    return { apiVersion: GW, kind: "GatewayClass", metadata: { name }, spec: { controllerName: "istio.io/gateway-controller", ...spec } };
}

export function referenceGrant(spec: Spec = {}, name = "from-default", namespace = "istio-system"): K8sObject {
    return {
        apiVersion: "gateway.networking.k8s.io/v1beta1",
        kind: "ReferenceGrant",
        metadata: { name, namespace },
        spec: { from: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", namespace: "default" }], to: [{ group: "", kind: "Service" }], ...spec },
    };
}

/** `n` rules, each matching its own prefix. */
export const rules = (n: number): Spec[] => Array.from({ length: n }, (_, i) => ({ matches: [{ path: { type: "PathPrefix", value: `/r${i}` } }], backendRefs: [{ name: "nginx-service", port: 8000 }] }));
