/**
 * The extra fortio clients `npm run verify` needs to measure the security policies soundly, deployed
 * only when the stack declares what they measure:
 * - `fortio-outside`, a pod WITHOUT a sidecar (`sidecar.istio.io/inject: "false"`; on ambient not
 *   enrolled with ztunnel, `istio.io/dataplane-mode: none`): a real client
 *   outside the mesh for the plain-text call of the mTLS check (and, as it is not in the mesh, the
 *   control that tells "no internet" from "broken egress"). Its own Service is a server outside the
 *   mesh, the positive control that the client works. When a PeerAuthentication or a ServiceEntry is declared.
 * - `fortio-stranger`, an injected pod with its own ServiceAccount, an mTLS identity no
 *   AuthorizationPolicy lists: the caller that must get 403. When an AuthorizationPolicy is declared.
 * Both run the pinned fortio image of the lab's own client (fortio-deploy). Pure.
 */
import type { DataplaneMode, MeshConfig } from "../../config/types";
import { DATAPLANE_MODE_LABEL } from "../ambient/labels";
import { K8sObject } from "../objects";

export interface VerifyClient {
    name: string;
    /** Pod label the probe finds it by (`app=<name>`). */
    labels: Record<string, string>;
    /** Whether it gets a sidecar. */
    injected: boolean;
    port: number;
}

export const OUTSIDE_CLIENT: VerifyClient = { name: "fortio-outside", labels: { app: "fortio-outside" }, injected: false, port: 8080 };
export const STRANGER_CLIENT: VerifyClient = { name: "fortio-stranger", labels: { app: "fortio-stranger" }, injected: true, port: 8080 };

/** Which extra clients a config needs (none without the lab's own fortio, whose image they run). */
export function verifyClientsFor(cfg: MeshConfig): VerifyClient[] {
    if (!cfg.workloads.some((w) => w.labels.app === "fortio")) return [];
    const sec = cfg.security;
    return [
        ...(sec.mtls !== undefined || sec.egress.serviceEntries.length > 0 ? [OUTSIDE_CLIENT] : []),
        ...(sec.authorization.length > 0 ? [STRANGER_CLIENT] : []),
    ];
}

/**
 * How a client joins the mesh or stays out. Sidecar: the label (not the annotation) is what Istio's
 * injector reads first; "false" keeps the pod out of the mesh. Ambient: the namespace label enrols every
 * pod, `istio.io/dataplane-mode: none` keeps one out; and no `sidecar.istio.io/inject: "true"`, which
 * would inject a sidecar into the stranger in a namespace without the injection label.
 */
function meshLabels(c: VerifyClient, dataplane: DataplaneMode): Record<string, string> {
    if (dataplane === "ambient") return c.injected ? {} : { [DATAPLANE_MODE_LABEL]: "none" };
    return { "sidecar.istio.io/inject": c.injected ? "true" : "false" };
}

function objectsOf(c: VerifyClient, image: string, namespace: string, dataplane: DataplaneMode): K8sObject[] {
    const labels = { ...c.labels, "istio-mesh/role": "verify-client" };
    const podLabels = { ...labels, ...meshLabels(c, dataplane) };
    return [
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: c.name, namespace, labels } },
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: c.name, namespace, labels },
            spec: {
                replicas: 1,
                selector: { matchLabels: { ...c.labels } },
                template: {
                    metadata: { labels: podLabels },
                    spec: {
                        serviceAccountName: c.name,
                        containers: [
                            {
                                name: "fortio",
                                image,
                                imagePullPolicy: "IfNotPresent",
                                args: ["server"],
                                ports: [{ containerPort: c.port, name: "http" }],
                                resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "1", memory: "256Mi" } },
                            },
                        ],
                    },
                },
            },
        },
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: c.name, namespace, labels },
            spec: { type: "ClusterIP", selector: { ...c.labels }, ports: [{ name: "http", port: c.port, targetPort: c.port, protocol: "TCP" }] },
        },
    ];
}

export function verifyClients(cfg: MeshConfig): K8sObject[] {
    const image = cfg.workloads.find((w) => w.labels.app === "fortio")?.image ?? cfg.versions.fortioImage;
    return verifyClientsFor(cfg).flatMap((c) => objectsOf(c, image, cfg.namespace.name, cfg.dataplane.mode));
}
