/**
 * Istio's ambient labels, as istio.io docs/ambient/usage/add-workloads and usage/waypoint name them
 * (Istio 1.30, read 2026-12). Constants only, so every layer spells them once.
 */

/** On a Namespace (or Pod): `ambient` enrols its pods with ztunnel; `none` keeps a pod out. Beta. */
export const DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode";
/** On a Service, ServiceEntry, Namespace or Pod: the waypoint its traffic goes through (or `none`). Beta. */
export const USE_WAYPOINT_LABEL = "istio.io/use-waypoint";
/** On a waypoint Gateway: which traffic it serves (`service`, the default; `workload`, `all`, `none`). Alpha. */
export const WAYPOINT_FOR_LABEL = "istio.io/waypoint-for";
/** The sidecar injector's namespace label (mesh/kubernetes/Namespace.ts sets it on the sidecar data plane). */
export const INJECTION_LABEL_KEY = "istio-injection";
/** A revision label also turns injection on (istio.io/rev=<revision>). */
export const REVISION_LABEL_KEY = "istio.io/rev";
/** What istio-cni writes on a pod: `enabled` once its traffic is redirected to ztunnel, `pending` while no ztunnel has taken it (istio/istio pkg/config/constants). */
export const AMBIENT_REDIRECTION_ANNOTATION = "ambient.istio.io/redirection";

/** Whether a Namespace object enrols its pods in ambient. */
export const isAmbientNamespace = (labels: Record<string, string> | undefined): boolean => labels?.[DATAPLANE_MODE_LABEL] === "ambient";
/** Whether a Namespace object turns sidecar injection on. */
export const injectsSidecars = (labels: Record<string, string> | undefined): boolean => labels?.[INJECTION_LABEL_KEY] === "enabled" || (labels?.[REVISION_LABEL_KEY] ?? "") !== "";
