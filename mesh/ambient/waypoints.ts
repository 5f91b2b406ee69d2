/**
 * Where the ambient data plane needs a waypoint, and the waypoint itself. ztunnel does mTLS and L4
 * policy only; everything that reads HTTP (routes, weights, retries, timeouts, faults, load balancing,
 * outlier detection, L7 authorization) runs in a waypoint, an Envoy that istiod deploys for a Gateway of
 * class `istio-waypoint` (istio.io docs/ambient/usage/waypoint; migrate-policies). So a service gets a
 * waypoint only when one of the plan's policies on it needs L7, and the plan says which policy and why.
 * One waypoint per namespace serves them all (what `istioctl waypoint apply` creates): one Envoy pod,
 * whatever the number of services. Pure: objects in, objects out.
 */
import { K8sObject, MANAGED_BY } from "../objects";
import { USE_WAYPOINT_LABEL, WAYPOINT_FOR_LABEL } from "./labels";

export const WAYPOINT_NAME = "waypoint";
export const WAYPOINT_CLASS = "istio-waypoint";
export const GATEWAY_API = "gateway.networking.k8s.io/v1";

/** A Service or ServiceEntry that sends its traffic through the waypoint, with the policies that need it. */
export interface WaypointUse {
    kind: "Service" | "ServiceEntry";
    name: string;
    /** One line per policy: `VirtualService nginx-vs (split 90/10)`. */
    reasons: string[];
}

type Spec = Record<string, any>;

const shortHost = (h: string) => h.split(".")[0];

/** The route features of a VirtualService or HTTPRoute that only an Envoy applies, in a few words. */
function vsFeatures(spec: Spec): string[] {
    const out = new Set<string>();
    for (const h of (spec.http ?? []) as Spec[]) {
        const route = (h.route ?? []) as Spec[];
        if (route.length > 1) out.add(`split ${route.map((r) => r.weight ?? 0).join("/")}`);
        else if (route[0]?.destination?.subset) out.add(`subset ${route[0].destination.subset}`);
        if (h.fault) out.add("fault injection");
        if (h.retries) out.add("retries");
        if (h.timeout) out.add(`timeout ${h.timeout}`);
        if ((h.match ?? []).length > 0) out.add("request matches");
        if (h.headers) out.add("header changes");
    }
    return [...out];
}

function httpRouteFeatures(spec: Spec): string[] {
    const out = new Set<string>();
    for (const r of (spec.rules ?? []) as Spec[]) {
        const backends = (r.backendRefs ?? []) as Spec[];
        if (backends.length > 1) out.add(`weights ${backends.map((b) => b.weight ?? 1).join("/")}`);
        if (r.timeouts) out.add("timeouts");
        if (r.retry) out.add("retries");
        if ((r.matches ?? []).length > 0) out.add("request matches");
        if ((r.filters ?? []).length > 0) out.add("filters");
    }
    return [...out];
}

function drFeatures(spec: Spec): string[] {
    const out = new Set<string>();
    const policies = [spec.trafficPolicy, ...((spec.subsets ?? []) as Spec[]).map((s) => s.trafficPolicy)].filter(Boolean) as Spec[];
    for (const p of policies) {
        if (p.loadBalancer?.consistentHash) out.add("consistent hash");
        else if (p.loadBalancer) out.add(`load balancer ${p.loadBalancer.simple ?? ""}`.trim());
        if (p.outlierDetection) out.add("outlier detection");
        if (p.connectionPool) out.add("connection pool");
        if (p.tls) out.add("TLS origination");
    }
    return [...out];
}

/**
 * An AuthorizationPolicy rule that reads HTTP: methods, paths or hosts of the request, request
 * principals (JWT), or `when` keys on request attributes. ztunnel enforces only identities,
 * namespaces, IPs and ports (istio.io docs/ambient/usage/l4-policy).
 */
export function isL7AuthorizationPolicy(spec: Spec): boolean {
    return l7AuthorizationField(spec) !== undefined;
}

/** The path of the first L7 field of an AuthorizationPolicy (`spec.rules[0].to[0].operation.methods`), if any. */
export function l7AuthorizationField(spec: Spec): string | undefined {
    const rules = (spec.rules ?? []) as Spec[];
    for (const [i, rule] of rules.entries()) {
        for (const [j, to] of ((rule.to ?? []) as Spec[]).entries()) {
            const op = (to.operation ?? {}) as Spec;
            const k = ["methods", "notMethods", "paths", "notPaths", "hosts", "notHosts"].find((x) => (op[x] ?? []).length > 0);
            if (k) return `spec.rules[${i}].to[${j}].operation.${k}`;
        }
        for (const [j, from] of ((rule.from ?? []) as Spec[]).entries()) {
            const src = (from.source ?? {}) as Spec;
            const k = ["requestPrincipals", "notRequestPrincipals"].find((x) => (src[x] ?? []).length > 0);
            if (k) return `spec.rules[${i}].from[${j}].source.${k}`;
        }
        for (const [j, when] of ((rule.when ?? []) as Spec[]).entries()) if (typeof when.key === "string" && when.key.startsWith("request.")) return `spec.rules[${i}].when[${j}].key`;
    }
    return undefined;
}

/** Mesh VirtualServices: the ones a sidecar (or, on ambient, a waypoint) applies. */
const meshBound = (vs: K8sObject) => {
    const gws = (vs.spec as Spec).gateways as string[] | undefined;
    return !gws || gws.length === 0 || gws.includes("mesh");
};

/**
 * Which Services and ServiceEntries of `namespace` need a waypoint, and for which policies: mesh
 * VirtualServices and HTTPRoutes attached to them, DestinationRules with a traffic policy, and L7
 * AuthorizationPolicies. Ingress routes do not count: the ingress gateway is an Envoy of its own.
 */
export function waypointNeeds(objects: K8sObject[], namespace: string): WaypointUse[] {
    const inNs = objects.filter((o) => (o.metadata.namespace ?? namespace) === namespace);
    // Indexes, so a plan of 10,000 services is read once: Services by name, ServiceEntries by host.
    const services = new Map<string, K8sObject>();
    const entries = new Map<string, K8sObject>();
    const byKind = new Map<string, K8sObject[]>();
    for (const o of inNs) {
        const list = byKind.get(o.kind);
        if (list) list.push(o);
        else byKind.set(o.kind, [o]);
        if (o.kind === "Service") services.set(o.metadata.name, o);
        if (o.kind === "ServiceEntry") for (const h of ((o.spec as Spec).hosts ?? []) as string[]) if (!entries.has(h)) entries.set(h, o);
    }
    const of = (kind: string) => byKind.get(kind) ?? [];
    const entryNames = new Set(of("ServiceEntry").map((e) => e.metadata.name));
    const uses = new Map<string, WaypointUse>();
    const need = (kind: WaypointUse["kind"], name: string, reason: string) => {
        const key = `${kind}/${name}`;
        const u = uses.get(key) ?? { kind, name, reasons: [] };
        if (!u.reasons.includes(reason)) u.reasons.push(reason);
        uses.set(key, u);
    };
    /** A host as a VirtualService or DestinationRule writes it: a Service of the namespace, or a ServiceEntry's host. */
    const target = (host: string): { kind: WaypointUse["kind"]; name: string } | undefined => {
        const svc = services.get(shortHost(host));
        if (svc && (!host.includes(".") || host.startsWith(`${svc.metadata.name}.${namespace}.`))) return { kind: "Service", name: svc.metadata.name };
        const se = entries.get(host);
        return se ? { kind: "ServiceEntry", name: se.metadata.name } : undefined;
    };
    const describe = (o: K8sObject, features: string[]) => `${o.kind} ${o.metadata.name}${features.length ? ` (${features.join(", ")})` : ""}`;
    // Backends of the routes run for a Service (per-version Services of a split), by backend: that Service's waypoint applies their DestinationRules.
    const parentsOf = new Map<string, Set<string>>();
    const backendOf = (backend: string, parent: string) => {
        if (backend !== parent) parentsOf.set(backend, (parentsOf.get(backend) ?? new Set()).add(parent));
    };

    for (const vs of of("VirtualService").filter(meshBound)) {
        const features = vsFeatures(vs.spec as Spec);
        for (const h of ((vs.spec as Spec).hosts ?? []) as string[]) {
            const t = target(h);
            if (!t) continue;
            need(t.kind, t.name, describe(vs, features));
            if (t.kind !== "Service") continue;
            for (const r of ((vs.spec as Spec).http ?? []) as Spec[]) for (const d of (r.route ?? []) as Spec[]) if (d.destination?.host) backendOf(shortHost(d.destination.host), t.name);
        }
    }
    for (const route of [...of("HTTPRoute"), ...of("GRPCRoute")]) {
        const features = httpRouteFeatures(route.spec as Spec);
        for (const p of ((route.spec as Spec).parentRefs ?? []) as Spec[]) {
            if (p.kind === "Service" && (p.group ?? "") === "" && services.has(p.name)) {
                need("Service", p.name, describe(route, features));
                for (const r of ((route.spec as Spec).rules ?? []) as Spec[]) for (const b of (r.backendRefs ?? []) as Spec[]) if ((b.kind ?? "Service") === "Service") backendOf(b.name, p.name);
            }
            if (p.kind === "ServiceEntry" && entryNames.has(p.name)) need("ServiceEntry", p.name, describe(route, features));
        }
    }
    // A DestinationRule on a route's backend (a per-version Service of a Gateway API split) is applied by
    // the waypoint of the Service the route is attached to: that Service needs it, not the backend.
    for (const dr of of("DestinationRule")) {
        const features = drFeatures(dr.spec as Spec);
        const t = target((dr.spec as Spec).host ?? "");
        if (!t || features.length === 0) continue;
        const parents = t.kind === "Service" ? [...(parentsOf.get(t.name) ?? [])] : [];
        if (parents.length) for (const p of parents) need("Service", p, `${describe(dr, features)} on its backend ${t.name}`);
        else need(t.kind, t.name, describe(dr, features));
    }
    const allServices = [...services.values()];
    for (const ap of of("AuthorizationPolicy").filter((o) => isL7AuthorizationPolicy(o.spec as Spec))) {
        for (const name of authorizationTargets(ap, allServices)) need("Service", name, describe(ap, ["L7 rules"]));
    }
    const order = (u: WaypointUse) => `${u.kind === "Service" ? 0 : 1}/${u.name}`;
    return [...uses.values()].sort((a, b) => order(a).localeCompare(order(b)));
}

/** The Services an AuthorizationPolicy is about: its `targetRefs`, or those whose selector its `selector` covers. */
export function authorizationTargets(ap: K8sObject, services: K8sObject[]): string[] {
    const spec = ap.spec as Spec;
    const refs = ((spec.targetRefs ?? []) as Spec[]).filter((r) => r.kind === "Service").map((r) => r.name as string);
    if (refs.length) return refs;
    const labels = (spec.selector?.matchLabels ?? {}) as Record<string, string>;
    return services
        .filter((s) => {
            const sel = ((s.spec as Spec).selector ?? {}) as Record<string, string>;
            return Object.keys(sel).length > 0 && Object.entries(sel).every(([k, v]) => labels[k] === v);
        })
        .map((s) => s.metadata.name);
}

/**
 * Envoy's stats of the waypoint the retries check reads (`pilot-agent request GET stats`): by default
 * a proxy keeps no per-cluster counters; `inbound-vip|<port>|http|<host>` is the waypoint's cluster for
 * a service bound to it, `outbound|…` for a route's backend that is not (a per-version Service)
 * (pilot/pkg/networking/core/cluster_waypoint.go, cluster.go, 1.30). The same matcher as fortio's, plus inbound-vip.
 */
const WAYPOINT_PROXY_CONFIG = ["proxyStatsMatcher:", "  inclusionPrefixes:", ...["cluster.inbound-vip", "cluster.outbound", "cluster_manager", "listener_manager", "server", "cluster.xds-grpc"].map((p) => `  - "${p}"`)].join("\n");

/**
 * The waypoint: a Gateway of class istio-waypoint with the one HBONE listener on 15008, for service
 * traffic (istio.io docs/ambient/usage/waypoint). `pulumi.com/waitFor` holds the Services that use it
 * back until istiod has deployed it (condition Programmed): a Service labelled for a waypoint that is
 * not there yet would lose its traffic. Gateway labels and annotations are copied to what istiod
 * deploys (PILOT_ENABLE_GATEWAY_API_COPY_LABELS_ANNOTATIONS), `spec.infrastructure` reaches its pods.
 */
export function waypointGateway(namespace: string, uses: WaypointUse[]): K8sObject {
    return {
        apiVersion: GATEWAY_API,
        kind: "Gateway",
        metadata: {
            name: WAYPOINT_NAME,
            namespace,
            labels: { [WAYPOINT_FOR_LABEL]: "service", ...MANAGED_BY },
            annotations: { "pulumi.com/waitFor": "condition=Programmed", "istio-mesh/serves": uses.map((u) => `${u.kind} ${u.name}`).join(", ") },
        },
        spec: {
            gatewayClassName: WAYPOINT_CLASS,
            listeners: [{ name: "mesh", port: 15008, protocol: "HBONE" }],
            infrastructure: { annotations: { "proxy.istio.io/config": WAYPOINT_PROXY_CONFIG } },
        },
    };
}

/** The label that sends a Service's (or ServiceEntry's) traffic through the waypoint, and the reason as an annotation. */
export function useWaypoint(o: K8sObject, use: WaypointUse): K8sObject {
    return {
        ...o,
        metadata: {
            ...o.metadata,
            labels: { ...(o.metadata.labels ?? {}), [USE_WAYPOINT_LABEL]: WAYPOINT_NAME },
            annotations: { ...(o.metadata.annotations ?? {}), "istio-mesh/waypoint-because": use.reasons.join("; ") },
        },
    };
}
