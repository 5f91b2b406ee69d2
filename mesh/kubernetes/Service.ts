import type { ServiceConfig } from "../../config/types";
import { K8sObject } from "../objects";

/** A ClusterIP Service: traffic enters through the ingress gateway, never straight to the pods. */
export function service(s: ServiceConfig, namespace: string): K8sObject {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: s.name, namespace, labels: { ...s.selector } },
        spec: {
            type: "ClusterIP",
            selector: { ...s.selector },
            // The port name tells Istio the protocol (http → HTTP routing, retries, faults).
            ports: [{ name: s.portName, port: s.port, targetPort: s.targetPort, protocol: "TCP" }],
        },
    };
}
