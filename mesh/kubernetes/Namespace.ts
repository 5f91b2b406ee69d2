import type { DataplaneMode, NamespaceConfig } from "../../config/types";
import { DATAPLANE_MODE_LABEL } from "../ambient/labels";
import { K8sObject, MANAGED_BY } from "../objects";

/** The label that makes istiod's injector add the sidecar to every pod created in the namespace. */
export const INJECTION_LABEL = { "istio-injection": "enabled" };
/** The label that enrols every pod of the namespace with ztunnel, without a restart (ambient). */
export const AMBIENT_LABEL = { [DATAPLANE_MODE_LABEL]: "ambient" };

/**
 * The workload namespace with sidecar injection on, or enrolled in ambient: one label or the other,
 * never both (with both, pods get sidecars and leave ambient). For an existing namespace this is the
 * patch applied.
 */
export function workloadNamespace(ns: NamespaceConfig, dataplane: DataplaneMode = "sidecar"): K8sObject {
    const label = dataplane === "ambient" ? AMBIENT_LABEL : INJECTION_LABEL;
    return {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: ns.name, labels: ns.existing ? { ...label } : { ...label, ...MANAGED_BY } },
    };
}

/** The control-plane namespace: never injected. */
export function controlPlaneNamespace(name: string): K8sObject {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { ...MANAGED_BY } } };
}
