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

export function deployment(w: WorkloadConfig, namespace: string): K8sObject {
    const env = Object.entries(w.env).map(([name, value]) => ({ name, value }));
    const html = w.indexHtml !== undefined;
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
                metadata: { labels: { ...w.labels } },
                spec: {
                    serviceAccountName: w.serviceAccount,
                    containers: [
                        {
                            name: w.name,
                            image: w.image,
                            imagePullPolicy: "IfNotPresent",
                            ports: [{ containerPort: w.containerPort, name: "http" }],
                            ...(env.length > 0 ? { env } : {}),
                            resources: { requests: { ...w.resources.requests }, limits: { ...w.resources.limits } },
                            ...(html ? { volumeMounts: [{ name: "html", mountPath: "/usr/share/nginx/html", readOnly: true }] } : {}),
                        },
                    ],
                    ...(html ? { volumes: [{ name: "html", configMap: { name: `${w.name}-html` } }] } : {}),
                },
            },
        },
    };
}
