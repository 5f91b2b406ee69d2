import type { WorkloadConfig } from "../../config/types";
import { K8sObject } from "../objects";

/** One ServiceAccount per workload: its mTLS identity, which AuthorizationPolicies name. */
export function serviceAccount(w: WorkloadConfig, namespace: string): K8sObject {
    return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: w.serviceAccount, namespace, labels: { ...w.labels } } };
}
