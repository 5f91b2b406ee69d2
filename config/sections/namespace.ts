import { COURSE_DEFAULTS } from "../defaults";
import { overlay } from "../merge";
import { Node } from "../reader";
import type { NamespaceConfig } from "../types";

/** Namespaces that always exist: the program labels them and never owns them. */
const BUILT_IN = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** `istio-mesh:namespace`: where the workloads run, labelled for sidecar injection. */
export function parseNamespace(n0: Node): NamespaceConfig {
    const n = new Node(n0.problems, n0.path, overlay(COURSE_DEFAULTS.namespace, n0.value));
    n.object(["name", "existing"]);
    const name = n.child("name").dnsLabel(COURSE_DEFAULTS.namespace.name);
    return { name, existing: n.child("existing").bool(BUILT_IN.includes(name)) };
}
