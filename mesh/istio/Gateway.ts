import type { IngressConfig } from "../../config/types";
import { ISTIO_NETWORKING, K8sObject } from "../objects";

/** The ingress Gateway (course: `ingress-gateway-k3d`), bound to the gateway pods by `istio: ingressgateway`. */
export function gateway(ingress: IngressConfig, namespace: string): K8sObject {
    const g = ingress.gateway;
    return {
        apiVersion: ISTIO_NETWORKING,
        kind: "Gateway",
        metadata: { name: g.name, namespace },
        spec: {
            selector: { ...g.selector },
            servers: g.servers.map((s) => ({ port: { number: s.port, name: s.name, protocol: s.protocol }, hosts: [...s.hosts] })),
        },
    };
}
