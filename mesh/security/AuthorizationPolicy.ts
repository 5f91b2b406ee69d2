import type { AuthorizationRule } from "../../config/security";
import type { ServiceConfig } from "../../config/types";
import { K8sObject } from "../objects";
import { ISTIO_SECURITY } from "./PeerAuthentication";

/**
 * ALLOW policy on a service's pods: only the listed callers' mTLS identities get through; with an
 * ALLOW policy in place everything else is denied. Needs mTLS (the principal comes from the peer cert).
 *
 * Where it is enforced decides how it is attached. A sidecar or ztunnel (ambient, no waypoint) enforces
 * a policy that `selector`s the pods. Once the service has a waypoint, ztunnel sees the waypoint's
 * identity, not the caller's, so the policy goes to the waypoint instead: `targetRefs` to the Service
 * (istio.io docs/ambient/usage/l7-features; migrate-policies). That is also the only way an L7 rule
 * applies on ambient: with a `selector` ztunnel would turn it into deny-all.
 */
/** L7 rules, when the config names methods or paths: `to: [{operation: {methods, paths}}]`. */
function operation(rule: AuthorizationRule): Record<string, unknown> {
    const op = { ...(rule.methods ? { methods: [...rule.methods] } : {}), ...(rule.paths ? { paths: [...rule.paths] } : {}) };
    return Object.keys(op).length ? { to: [{ operation: op }] } : {};
}

export function authorizationPolicy(rule: AuthorizationRule, service: ServiceConfig, namespace: string, enforcedBy: "pods" | "waypoint" = "pods"): K8sObject {
    const target = enforcedBy === "waypoint" ? { targetRefs: [{ kind: "Service", group: "", name: service.name }] } : { selector: { matchLabels: { ...service.selector } } };
    return {
        apiVersion: ISTIO_SECURITY,
        kind: "AuthorizationPolicy",
        metadata: { name: `${rule.service}-allow`, namespace },
        spec: { ...target, action: "ALLOW", rules: [{ from: [{ source: { principals: [...rule.principals] } }], ...operation(rule) }] },
    };
}
