import type { MtlsMode } from "../../config/security";
import { K8sObject } from "../objects";

export const ISTIO_SECURITY = "security.istio.io/v1";

/** Namespace-wide mTLS mode (`default` is the name Istio's docs use for the namespace policy). */
export function peerAuthentication(mode: MtlsMode, namespace: string): K8sObject {
    return { apiVersion: ISTIO_SECURITY, kind: "PeerAuthentication", metadata: { name: "default", namespace }, spec: { mtls: { mode } } };
}
