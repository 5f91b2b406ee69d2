import type { WorkloadConfig } from "../../config/types";
import { K8sObject } from "../objects";

/** ConfigMap holding the page an nginx workload serves at `/` ("Full Cycle A"), named `<workload>-html`. */
export function indexHtmlConfigMap(w: WorkloadConfig, namespace: string): K8sObject | undefined {
    if (w.indexHtml === undefined) return undefined;
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `${w.name}-html`, namespace, labels: { ...w.labels } },
        data: { "index.html": `${w.indexHtml}\n` },
    };
}

/** Readiness keeps a pod out of the Service until it answers; liveness restarts one that stopped answering. */
function probes(path: string | undefined): Record<string, unknown> {
    if (path === undefined) return {};
    const httpGet = { path, port: "http" };
    return {
        readinessProbe: { httpGet: { ...httpGet }, periodSeconds: 5, timeoutSeconds: 2 },
        livenessProbe: { httpGet: { ...httpGet }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    };
}

export function deployment(w: WorkloadConfig, namespace: string): K8sObject {
    const env = Object.entries(w.env).map(([name, value]) => ({ name, value }));
    const html = w.indexHtml !== undefined;
    const annotations = w.annotations && Object.keys(w.annotations).length > 0 ? { annotations: { ...w.annotations } } : {};
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: w.name, namespace, labels: { ...w.labels } },
        spec: {
            replicas: w.replicas,
            // All labels, not just `app`: the A and B Deployments share `app: nginx` and must not
            // select each other's pods.
            selector: { matchLabels: { ...w.labels } },
            template: {
                metadata: { labels: { ...w.labels }, ...annotations },
                spec: {
                    serviceAccountName: w.serviceAccount,
                    containers: [
                        {
                            name: w.containerName ?? w.name,
                            image: w.image,
                            // Built images exist only where they were imported (k3d): never pull them again.
                            imagePullPolicy: "IfNotPresent",
                            ...(w.args ? { args: [...w.args] } : {}),
                            ports: [{ containerPort: w.containerPort, name: "http" }],
                            ...(env.length > 0 ? { env } : {}),
                            resources: { requests: { ...w.resources.requests }, limits: { ...w.resources.limits } },
                            ...probes(w.probePath),
                            ...(html ? { volumeMounts: [{ name: "html", mountPath: "/usr/share/nginx/html", readOnly: true }] } : {}),
                        },
                    ],
                    ...(html ? { volumes: [{ name: "html", configMap: { name: `${w.name}-html` } }] } : {}),
                },
            },
        },
    };
}
