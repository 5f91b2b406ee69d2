/**
 * HTTPRoute, as plain objects, in pieces another builder can reuse with other parents (a Service for
 * sidecars, the ingress Gateway, a waypoint Gateway in ambient mode): parent references, weighted
 * backends, matches, and a rule's timeouts and retry from the config's http policy. Istio's reading of
 * each field: pilot/pkg/config/kube/gateway/conversion.go at 1.30.3.
 */
import { gatewayApiDuration, retryCodes } from "../../config/gatewayApi";
import type { HttpPolicyConfig } from "../../config/policy";
import type { UriMatch } from "../../config/types";
import type { K8sObject } from "../objects";
import { GATEWAY_API, ISTIO_GROUP } from "./objects";

export interface ParentRef {
    group?: string;
    kind?: string;
    name: string;
    namespace?: string;
    port?: number;
    sectionName?: string;
}

/** A Service as parent (GAMMA, GEP-1294): the route applies to every call to that Service from the mesh. */
export const serviceParent = (name: string, port?: number): ParentRef => ({ group: "", kind: "Service", name, ...(port !== undefined ? { port } : {}) });

/** A Gateway API Gateway as parent (group and kind are the defaults, left out as the Gateway API's examples do). */
export const gatewayParent = (name: string, namespace?: string, sectionName?: string): ParentRef => ({ name, ...(namespace ? { namespace } : {}), ...(sectionName ? { sectionName } : {}) });

/** An Istio ServiceEntry as parent: the route applies to calls to its hosts (Istio accepts this parent kind). */
export const serviceEntryParent = (name: string): ParentRef => ({ group: ISTIO_GROUP, kind: "ServiceEntry", name });

export interface HeaderModifier {
    set?: { name: string; value: string }[];
    add?: { name: string; value: string }[];
}

export interface BackendRef {
    group?: string;
    kind?: string;
    name: string;
    port: number;
    weight?: number;
    /** Per backend; Istio applies Request/ResponseHeaderModifier here (buildHTTPDestination). */
    filters?: { type: "ResponseHeaderModifier"; responseHeaderModifier: HeaderModifier }[];
}

export interface HeaderMatch {
    type: "Exact" | "RegularExpression";
    name: string;
    value: string;
}

export interface RouteMatch {
    path?: { type: "PathPrefix" | "Exact" | "RegularExpression"; value: string };
    headers?: HeaderMatch[];
}

export interface HttpRouteRule {
    matches?: RouteMatch[];
    backendRefs: BackendRef[];
    timeouts?: { request?: string; backendRequest?: string };
    retry?: { attempts: number; codes: number[] };
}

/** A host name Istio resolves through a ServiceEntry (Istio's `Hostname` backend kind). */
export const hostnameBackend = (host: string, port: number): BackendRef => ({ group: ISTIO_GROUP, kind: "Hostname", name: host, port });

/**
 * Backends for weights over versions: one backend per version Service; a lone backend carries no weight
 * (all traffic, as Istio's lone destination). A weight of 0 stays: that version gets nothing.
 */
export function weightedBackends(backends: { name: string; weight: number }[], port: number): BackendRef[] {
    if (backends.length === 1) return [{ name: backends[0].name, port }];
    return backends.map((b) => ({ name: b.name, port, weight: b.weight }));
}

/** The config's URI match as an HTTPRoute path match (prefix → PathPrefix, exact → Exact, regex → RegularExpression). */
export function pathMatch(m: UriMatch): RouteMatch["path"] {
    if (m.exact !== undefined) return { type: "Exact", value: m.exact };
    if (m.regex !== undefined) return { type: "RegularExpression", value: m.regex };
    return { type: "PathPrefix", value: m.prefix ?? "/" };
}

/**
 * A rule's timeouts and retry from the config's http policy: `timeout` → `timeouts.request`;
 * `retries.perTryTimeout` → `timeouts.backendRequest` (with a retry Istio reads it as the per-try
 * timeout); `retries.attempts` and `retryOn` → `retry.attempts` and `retry.codes`. The conditions
 * with no Gateway API form were refused by the config checks (config/sections/trafficApi.ts).
 */
export function rulePolicy(p: HttpPolicyConfig): Pick<HttpRouteRule, "timeouts" | "retry"> {
    const request = p.timeout ? gatewayApiDuration(p.timeout) : undefined;
    const backendRequest = p.retries?.perTryTimeout ? gatewayApiDuration(p.retries.perTryTimeout) : undefined;
    const timeouts = request || backendRequest ? { ...(request ? { request } : {}), ...(backendRequest ? { backendRequest } : {}) } : undefined;
    const retry = p.retries ? { attempts: p.retries.attempts, codes: retryCodes(p.retries.retryOn).codes } : undefined;
    return { ...(timeouts ? { timeouts } : {}), ...(retry ? { retry } : {}) };
}

export function httpRoute(meta: { name: string; namespace: string }, spec: { parentRefs: ParentRef[]; hostnames?: string[]; rules: HttpRouteRule[] }): K8sObject {
    return {
        apiVersion: GATEWAY_API,
        kind: "HTTPRoute",
        metadata: { name: meta.name, namespace: meta.namespace },
        spec: {
            parentRefs: spec.parentRefs.map((p) => ({ ...p })),
            ...(spec.hostnames && spec.hostnames.length > 0 ? { hostnames: [...spec.hostnames] } : {}),
            rules: spec.rules,
        },
    };
}
