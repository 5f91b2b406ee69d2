import type { ServiceConfig } from "../../config/types";
import { K8sObject } from "../objects";

/**
 * ClusterIP by default: traffic enters through the ingress gateway. NodePort/LoadBalancer reach the
 * pods directly, past every gateway policy (scenario 15's lesson; the analyzer warns).
 */
export function service(s: ServiceConfig, namespace: string): K8sObject {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: s.name, namespace, labels: { ...s.selector } },
        spec: {
            type: s.type,
            selector: { ...s.selector },
            // The port name tells Istio the protocol (http → HTTP routing, retries, faults).
            ports: [{ name: s.portName, port: s.port, targetPort: s.targetPort, protocol: "TCP", ...(s.nodePort !== undefined ? { nodePort: s.nodePort } : {}) }],
        },
    };
}
