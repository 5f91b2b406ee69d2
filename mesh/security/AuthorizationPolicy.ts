import type { AuthorizationRule } from "../../config/security";
import type { ServiceConfig } from "../../config/types";
import { K8sObject } from "../objects";
import { ISTIO_SECURITY } from "./PeerAuthentication";

/**
 * ALLOW policy on a service's pods: only the listed callers' mTLS identities get through; with an
 * ALLOW policy in place everything else is denied. Needs mTLS (the principal comes from the peer cert).
 */
export function authorizationPolicy(rule: AuthorizationRule, service: ServiceConfig, namespace: string): K8sObject {
    return {
        apiVersion: ISTIO_SECURITY,
        kind: "AuthorizationPolicy",
        metadata: { name: `${rule.service}-allow`, namespace },
        spec: { selector: { matchLabels: { ...service.selector } }, action: "ALLOW", rules: [{ from: [{ source: { principals: [...rule.principals] } }] }] },
    };
}
