import { COURSE_DEFAULTS } from "../defaults";
import { overlay } from "../merge";
import { Node } from "../reader";
import type { NamespaceConfig } from "../types";

/** Namespaces that always exist: the program labels them and never owns them. */
const BUILT_IN = ["default", "kube-system", "kube-public", "kube-node-lease"];

/**
 * Namespaces no workload of the lab may run in: the control plane's (the program creates and owns it;
 * the gateway and addons live there, never injected) and those istiod's injector never injects
 * (kube-system, kube-public) or that hold no workloads (kube-node-lease: node heartbeats).
 */
const RESERVED: Record<string, string> = {
    "istio-system": "is Istio's control-plane namespace, which the program creates and owns itself (the gateway and the addons run there, without sidecars)",
    "kube-system": "is a namespace Istio's sidecar injector never injects, so no policy would apply to the workloads",
    "kube-public": "is a namespace Istio's sidecar injector never injects, so no policy would apply to the workloads",
    "kube-node-lease": "holds only node heartbeats (Leases); Kubernetes reserves it",
};

/** `istio-mesh:namespace`: where the workloads run, labelled for sidecar injection. */
export function parseNamespace(n0: Node): NamespaceConfig {
    const n = new Node(n0.problems, n0.path, overlay(COURSE_DEFAULTS.namespace, n0.value));
    n.object(["name", "existing"]);
    const name = n.child("name").dnsLabel(COURSE_DEFAULTS.namespace.name);
    if (Object.prototype.hasOwnProperty.call(RESERVED, name)) n.problems.add(`${n.path}.name`, `${JSON.stringify(name)} ${RESERVED[name]}; use default or a namespace of your own (e.g. lab)`);
    return { name, existing: n.child("existing").bool(BUILT_IN.includes(name)) };
}
