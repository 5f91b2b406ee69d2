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
            servers: [{ port: { number: g.port, name: g.portName, protocol: g.protocol }, hosts: [...g.hosts] }],
        },
    };
}
