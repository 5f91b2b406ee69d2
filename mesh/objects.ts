/** Plain Kubernetes objects: what the builders produce and what render prints. No Pulumi here. */
export interface ObjectMeta {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

export interface K8sObject {
    apiVersion: string;
    kind: string;
    metadata: ObjectMeta;
    [field: string]: unknown;
}

export const ISTIO_NETWORKING = "networking.istio.io/v1";

/** `Kind/namespace/name`, unique per object in a plan. */
export function objectKey(o: K8sObject): string {
    return `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

/** Labels every object the program creates carries, so `kubectl get -l` finds them. */
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "istio-mesh" };
