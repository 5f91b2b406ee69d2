import type { NamespaceConfig } from "../../config/types";
import { K8sObject, MANAGED_BY } from "../objects";

/** The label that makes istiod's injector add the sidecar to every pod created in the namespace. */
export const INJECTION_LABEL = { "istio-injection": "enabled" };

/** The workload namespace with sidecar injection on. For an existing namespace this is the patch applied. */
export function workloadNamespace(ns: NamespaceConfig): K8sObject {
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: ns.name, labels: ns.existing ? { ...INJECTION_LABEL } : { ...INJECTION_LABEL, ...MANAGED_BY } },
    };
}

/** The control-plane namespace: never injected. */
export function controlPlaneNamespace(name: string): K8sObject {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { ...MANAGED_BY } } };
}
