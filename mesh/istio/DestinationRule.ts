import type { ServiceConfig } from "../../config/types";
import { ISTIO_NETWORKING, K8sObject } from "../objects";

/** The DestinationRule declaring a service's subsets (course: `nginx-dr`, v1 → version A, v2 → version B). */
export function destinationRule(s: ServiceConfig, namespace: string): K8sObject | undefined {
    if (!s.destinationRule) return undefined;
    return {
        apiVersion: ISTIO_NETWORKING,
        kind: "DestinationRule",
        metadata: { name: s.destinationRule.name, namespace },
        spec: {
            host: s.name,
            subsets: s.destinationRule.subsets.map((sub) => ({ name: sub.name, labels: { ...sub.labels } })),
        },
    };
}
