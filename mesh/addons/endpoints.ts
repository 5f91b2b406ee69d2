/**
 * Where each addon answers inside the cluster, read back from the very objects or chart values that
 * create its Service, so every URL wired between addons (Kiali → Prometheus, Grafana → Prometheus,
 * istiod → Jaeger) names a Service and port that is actually rendered.
 */
import type { K8sObject } from "../objects";

export interface ServiceEndpoint {
    service: string;
    namespace: string;
    port: number;
    /** URL path the UI or API is served under ("" for the root). */
    path: string;
}

/** Pods of the addons never get a sidecar: they are the mesh's observers, not part of it. */
export const NO_SIDECAR = { "sidecar.istio.io/inject": "false" };

/** `http://<service>.<namespace>:<port><path>`, the form Kiali's and Grafana's docs use. */
export function inClusterUrl(e: ServiceEndpoint): string {
    return `http://${e.service}.${e.namespace}:${e.port}${e.path}`;
}

export function serviceFqdn(e: { service: string; namespace: string }): string {
    return `${e.service}.${e.namespace}.svc.cluster.local`;
}

/** The port named `portName` of a Service object; throws if the builder that made it changed. */
export function servicePort(svc: K8sObject, portName: string): number {
    const ports = (svc.spec as { ports: { name: string; port: number }[] }).ports;
    const p = ports.find((x) => x.name === portName);
    if (!p) throw new Error(`Service ${svc.metadata.name} has no port named ${portName} (has: ${ports.map((x) => x.name).join(", ")})`);
    return p.port;
}

export function endpointOf(svc: K8sObject, portName: string, path = ""): ServiceEndpoint {
    return { service: svc.metadata.name, namespace: svc.metadata.namespace!, port: servicePort(svc, portName), path };
}

/** A value at a path of a chart's values, which must be there (the builder set it). */
export function valueAt<T>(values: Record<string, unknown>, path: string): T {
    let v: unknown = values;
    for (const k of path.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
    if (v === undefined) throw new Error(`chart values have no ${path}`);
    return v as T;
}

/** Deep merge of Helm values (objects merged key by key, anything else replaced), as Helm does with -f files. */
export function mergeValues(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(extra)) {
        const b = out[k];
        const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
        out[k] = isObj(b) && isObj(v) ? mergeValues(b, v) : v;
    }
    return out;
}
