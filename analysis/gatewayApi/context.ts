/**
 * An index over a plan for the Gateway API analyzers: Services, ServiceEntries and Namespaces the
 * plan declares, and its Gateway API objects as the API server stores them (defaults applied, so a
 * parentRef without `kind` is a Gateway and a backendRef without `weight` weighs 1). Built once.
 */
import type { K8sObject } from "../../mesh/objects";
import type { GatewayApiCrds } from "./manifest";
import { isGatewayApiObject } from "./objects";

export type Spec = Record<string, any>;

export const GATEWAY_GROUP = "gateway.networking.k8s.io";
export const nsOf = (o: K8sObject): string => o.metadata.namespace ?? "default";
const key = (ns: string, name: string): string => `${ns}/${name}`;

/**
 * The GatewayClasses istiod creates itself (pilot/pkg/config/kube/gatewaycommon/classinfo.go at
 * 1.30.3, read 2026-12): `istio` always, the others when their feature is on.
 */
export const ISTIO_GATEWAY_CLASSES: readonly string[] = ["istio", "istio-waypoint", "istio-remote", "istio-east-west"];

/** The route kinds the gate reads parentRefs and backendRefs of. */
export const ROUTE_KINDS: readonly string[] = ["HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"];

/** Listener protocols each route kind attaches to by default (Gateway API, "allowedRoutes.kinds"). */
export const ROUTE_PROTOCOLS: Record<string, readonly string[]> = { HTTPRoute: ["HTTP", "HTTPS"], GRPCRoute: ["HTTP", "HTTPS"], TLSRoute: ["TLS"], TCPRoute: ["TCP"], UDPRoute: ["UDP"] };

export class GatewayApiContext {
    readonly services = new Map<string, K8sObject>();
    readonly serviceEntries = new Map<string, K8sObject>();
    readonly namespaces = new Map<string, K8sObject>();
    readonly gateways = new Map<string, K8sObject>();
    readonly gatewayClasses = new Map<string, K8sObject>();
    readonly routes: K8sObject[] = [];
    /** namespace → its ReferenceGrants */
    readonly referenceGrants = new Map<string, K8sObject[]>();

    constructor(
        /** The plan's other objects and its Gateway API objects as admitted. */
        readonly objects: K8sObject[],
        readonly crds: GatewayApiCrds,
    ) {
        for (const o of objects) {
            const ns = nsOf(o);
            if (!isGatewayApiObject(o)) {
                if (o.kind === "Service" && o.apiVersion === "v1") this.services.set(key(ns, o.metadata.name), o);
                else if (o.kind === "ServiceEntry" && o.apiVersion.startsWith("networking.istio.io/")) this.serviceEntries.set(key(ns, o.metadata.name), o);
                else if (o.kind === "Namespace" && o.apiVersion === "v1") this.namespaces.set(o.metadata.name, o);
                continue;
            }
            if (o.kind === "Gateway") this.gateways.set(key(ns, o.metadata.name), o);
            else if (o.kind === "GatewayClass") this.gatewayClasses.set(o.metadata.name, o);
            else if (o.kind === "ReferenceGrant") this.referenceGrants.set(ns, [...(this.referenceGrants.get(ns) ?? []), o]);
            else if (ROUTE_KINDS.includes(o.kind)) this.routes.push(o);
        }
    }

    service(ns: string, name: string): K8sObject | undefined {
        return this.services.get(key(ns, name));
    }

    gateway(ns: string, name: string): K8sObject | undefined {
        return this.gateways.get(key(ns, name));
    }

    /** Does a ReferenceGrant in `toNs` let a `fromKind` in `fromNs` refer to `toGroup/toKind` `toName`? */
    referenceGranted(fromKind: string, fromNs: string, toGroup: string, toKind: string, toNs: string, toName: string): boolean {
        return (this.referenceGrants.get(toNs) ?? []).some((g) => {
            const spec = g.spec as Spec;
            const from = ((spec.from ?? []) as Spec[]).some((f) => f.group === GATEWAY_GROUP && f.kind === fromKind && f.namespace === fromNs);
            const to = ((spec.to ?? []) as Spec[]).some((t) => (t.group ?? "") === toGroup && t.kind === toKind && (t.name === undefined || t.name === toName));
            return from && to;
        });
    }
}

/** Each backendRef of a route, with its field path: the rules' backends and request mirrors. */
export function* backendRefs(route: K8sObject): Generator<{ ref: Spec; path: string; rule: number }> {
    const rules = ((route.spec as Spec)?.rules ?? []) as Spec[];
    for (let r = 0; r < rules.length; r++) {
        const refs = (rules[r].backendRefs ?? []) as Spec[];
        for (let b = 0; b < refs.length; b++) {
            yield { ref: refs[b], path: `spec.rules[${r}].backendRefs[${b}]`, rule: r };
            yield* mirrors(refs[b].filters, `spec.rules[${r}].backendRefs[${b}].filters`, r);
        }
        yield* mirrors(rules[r].filters, `spec.rules[${r}].filters`, r);
    }
}

function* mirrors(filters: Spec[] | undefined, path: string, rule: number): Generator<{ ref: Spec; path: string; rule: number }> {
    for (let f = 0; f < (filters ?? []).length; f++) {
        const m = filters![f].requestMirror?.backendRef;
        if (m) yield { ref: m, path: `${path}[${f}].requestMirror.backendRef`, rule };
    }
}

/** Each parentRef of a route, with its field path. */
export function* parentRefs(route: K8sObject): Generator<{ ref: Spec; path: string }> {
    const refs = ((route.spec as Spec)?.parentRefs ?? []) as Spec[];
    for (let i = 0; i < refs.length; i++) yield { ref: refs[i], path: `spec.parentRefs[${i}]` };
}

/**
 * Do two hostnames (each maybe `*.suffix`) have a host in common? Gateway API's rule: equal, or a
 * wildcard whose suffix the other ends with (the wildcard standing for one or more labels).
 */
export function hostnamesIntersect(a: string, b: string): boolean {
    if (a === b) return true;
    const wild = (h: string) => h.startsWith("*.");
    if (wild(a) && b.endsWith(a.slice(1)) && b.length > a.length - 1) return true;
    if (wild(b) && a.endsWith(b.slice(1)) && a.length > b.length - 1) return true;
    return false;
}

/** The listeners of `gateway` a parentRef selects (by sectionName and port). */
export function selectedListeners(gateway: K8sObject, ref: Spec): Spec[] {
    return (((gateway.spec as Spec)?.listeners ?? []) as Spec[]).filter((l) => (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port));
}

/** Does a label selector (matchLabels, matchExpressions) select these labels? */
export function selectorMatches(selector: Spec | undefined, labels: Record<string, string>): boolean {
    if (!selector) return true;
    for (const [k, v] of Object.entries((selector.matchLabels ?? {}) as Record<string, string>)) if (labels[k] !== v) return false;
    for (const e of (selector.matchExpressions ?? []) as Spec[]) {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        const values = (e.values ?? []) as string[];
        if (e.operator === "In" && !(has && values.includes(labels[e.key]))) return false;
        if (e.operator === "NotIn" && has && values.includes(labels[e.key])) return false;
        if (e.operator === "Exists" && !has) return false;
        if (e.operator === "DoesNotExist" && has) return false;
    }
    return true;
}

/** Why `listener` of `gateway` does not accept `route`, or undefined when it does (allowedRoutes and protocol). */
export function listenerRejects(ctx: GatewayApiContext, gateway: K8sObject, listener: Spec, route: K8sObject): string | undefined {
    const allowed = (listener.allowedRoutes ?? {}) as Spec;
    const kinds = (allowed.kinds ?? []) as Spec[];
    if (kinds.length > 0) {
        if (!kinds.some((k) => (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && k.kind === route.kind)) return `its allowedRoutes.kinds (${kinds.map((k) => k.kind).join(", ")}) do not include ${route.kind}`;
    } else if (!(ROUTE_PROTOCOLS[route.kind] ?? []).includes(listener.protocol)) {
        return `its protocol ${listener.protocol} takes no ${route.kind} (${route.kind} attaches to ${(ROUTE_PROTOCOLS[route.kind] ?? []).join("/") || "no"} listeners)`;
    }
    const from = (allowed.namespaces?.from ?? "Same") as string;
    const routeNs = nsOf(route);
    if (from === "Same" && routeNs !== nsOf(gateway)) return `it allows routes from its own namespace (${nsOf(gateway)}) only, and this route is in ${routeNs}`;
    if (from === "Selector") {
        const ns = ctx.namespaces.get(routeNs);
        if (!selectorMatches(allowed.namespaces?.selector, ns?.metadata.labels ?? {})) return `its namespace selector does not select namespace ${routeNs}${ns ? "" : " (not declared by this program, so its labels are unknown)"}`;
    }
    if (from === "None") return "it allows no routes (allowedRoutes.namespaces.from: None)";
    return undefined;
}
