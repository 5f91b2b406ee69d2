/**
 * The ingress gateway as a Gateway API Gateway, bound to the gateway the `gateway` Helm chart already
 * runs (istio-ingressgateway): `spec.addresses` with one Hostname makes Istio use that Service and its
 * pods instead of deploying its own (manual deployment, IsManaged() in gatewaycommon/gateway_utils.go and
 * testdata/delegated.yaml at 1.30.3). So the same pods, the same NodePort 30000 behind k3d's host port 8000
 * and the same cloud load balancer serve both APIs: switching `trafficApi` changes routes, not the platform.
 * An istiod-deployed Gateway would instead create `<name>-istio` with its own Service (a second nodePort,
 * and its Service type through an annotation istiod now reports as deprecated).
 */
import type { IngressConfig } from "../../config/types";
import type { K8sObject } from "../objects";
import { GATEWAY_API, ISTIO_GATEWAY_CLASS } from "./objects";

/**
 * One listener per server host (a listener has at most one hostname; `*` is no hostname, i.e. any).
 * Istio's HTTP and HTTP2 server protocols are both `HTTP` here: the gateway's HTTP listener takes
 * HTTP/1.1 and h2c alike.
 */
export function listeners(ingress: IngressConfig): Record<string, unknown>[] {
    return ingress.gateway.servers.flatMap((s) => {
        const hosts = s.hosts.includes("*") ? ["*"] : s.hosts;
        return hosts.map((h, i) => ({
            name: hosts.length === 1 ? s.name : `${s.name}-${i}`,
            ...(h !== "*" ? { hostname: h } : {}),
            port: s.port,
            protocol: "HTTP",
            allowedRoutes: { namespaces: { from: "Same" } },
        }));
    });
}

/** `gatewayService`: the FQDN of the Helm-installed gateway's Service (`istio-ingressgateway.istio-system.svc.cluster.local`). */
export function kubernetesGateway(ingress: IngressConfig, namespace: string, gatewayService: string): K8sObject {
    return {
        apiVersion: GATEWAY_API,
        kind: "Gateway",
        metadata: { name: ingress.gateway.name, namespace },
        spec: {
            gatewayClassName: ISTIO_GATEWAY_CLASS,
            addresses: [{ type: "Hostname", value: gatewayService }],
            listeners: listeners(ingress),
        },
    };
}
