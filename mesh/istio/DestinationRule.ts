import type { ServiceConfig } from "../../config/types";
import { ISTIO_NETWORKING, K8sObject } from "../objects";
import { trafficPolicy } from "./trafficPolicy";

/**
 * A service's DestinationRule: its subsets (course: `nginx-dr`, v1 → version A, v2 → version B) and the
 * host-wide traffic policy (load balancer, connection pool, outlier detection = circuit breaker).
 */
export function destinationRule(s: ServiceConfig, namespace: string): K8sObject | undefined {
    const dr = s.destinationRule;
    if (!dr) return undefined;
    return {
        apiVersion: ISTIO_NETWORKING,
        kind: "DestinationRule",
        metadata: { name: dr.name, namespace },
        spec: {
            host: dr.host,
            ...(dr.trafficPolicy ? { trafficPolicy: trafficPolicy(dr.trafficPolicy) } : {}),
            ...(dr.subsets.length > 0
                ? { subsets: dr.subsets.map((sub) => ({ name: sub.name, labels: { ...sub.labels }, ...(sub.trafficPolicy ? { trafficPolicy: trafficPolicy(sub.trafficPolicy) } : {}) })) }
                : {}),
        },
    };
}
