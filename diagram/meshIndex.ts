/**
 * The Kubernetes and Istio objects of a stack, indexed for drawing: Services by FQDN with the
 * Deployments they select, DestinationRules and VirtualServices by host, Gateways by name, the
 * security objects. Accepts any documents (a render's YAML also holds Helm charts and commands:
 * whatever is not a Kubernetes object is skipped). Pure; linear in the number of objects.
 */
import type { Spec } from "./policyText";
import { httpRouteAsRoutes, isGatewayApi, routeParentsAndBackends } from "./gatewayApi";

export interface Obj {
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: Spec;
    [k: string]: unknown;
}

export interface Workload {
    key: string;
    name: string;
    namespace: string;
    labels: Record<string, string>;
    replicas: number;
    serviceAccount: string;
    /** A load generator (fortio): drawn as the client inside the mesh, not as a destination. */
    client: boolean;
}

export interface Svc {
    host: string;
    name: string;
    namespace: string;
    ports: string[];
    selector: Record<string, string>;
    workloads: Workload[];
    /** Ambient: the waypoint (`namespace/name`) its traffic goes through, when it names one that is declared. */
    waypoint?: string;
}

export const isObject = (x: unknown): x is Obj =>
    !!x && typeof x === "object" && typeof (x as Obj).kind === "string" && !!(x as Obj).metadata && typeof (x as Obj).metadata.name === "string";

/** Istio expands only names without dots (namespace-relative); anything else is taken as written. */
export const fqdn = (host: string, namespace: string): string => (host.includes(".") || host.includes("*") ? host : `${host}.${namespace}.svc.cluster.local`);

export const nsOf = (o: Obj): string => o.metadata.namespace ?? "default";

/** verify's own measuring clients (mesh/kubernetes/verifyClients.ts) are not the lab's traffic: not drawn. */
export const isVerifyClient = (o: Obj): boolean => (o.metadata as { labels?: Record<string, string> }).labels?.["istio-mesh/role"] === "verify-client";

/** `Kind namespace/name`, as analyzer findings name their resource (the Gateway API's Gateway with its group). */
export const resourceOf = (o: Obj): string => `${o.kind === "Gateway" && isGatewayApi(o) ? "Gateway.gateway.networking.k8s.io" : o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;

/** Istio's ambient labels and the waypoints' GatewayClass (istio.io docs/ambient/usage). */
const DATAPLANE_MODE = "istio.io/dataplane-mode";
const USE_WAYPOINT = "istio.io/use-waypoint";
const WAYPOINT_CLASS = "istio-waypoint";

/** Istio's root namespace: a policy there without a selector applies to the whole mesh. */
export const ROOT_NAMESPACE = "istio-system";

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
}

/** Shell-style `*` at either end, as Istio matches principals. */
export function globMatch(pattern: string, value: string): boolean {
    if (pattern === "*") return true;
    if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
    if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
    return pattern === value;
}

export class MeshIndex {
    readonly services = new Map<string, Svc>();
    /** ServiceEntry host → ServiceEntry. */
    readonly externals = new Map<string, Obj>();
    readonly workloads: Workload[] = [];
    readonly destinationRules = new Map<string, Obj[]>();
    /** VirtualServices, and HTTPRoutes in their shape (diagram/gatewayApi.ts). */
    readonly virtualServices: Obj[] = [];
    /** Services HTTPRoutes are attached to, and those they route to (one Service per version). */
    readonly routeParents = new Set<string>();
    readonly routeBackends = new Set<string>();
    /** `namespace/name` → Gateway. */
    readonly gateways = new Map<string, Obj>();
    /** Ambient: the namespaces enrolled (istio.io/dataplane-mode=ambient) and the waypoints (`ns/name`). */
    readonly ambientNamespaces = new Set<string>();
    readonly waypoints = new Map<string, Obj>();
    readonly peerAuthentications: Obj[] = [];
    readonly authorizationPolicies: Obj[] = [];
    readonly envoyFilters: Obj[] = [];
    /** namespace → label key → label value → workloads: selectors match without scanning every pod. */
    private readonly byLabel = new Map<string, Map<string, Map<string, Workload[]>>>();
    private readonly byNamespace = new Map<string, Workload[]>();

    constructor(docs: readonly unknown[]) {
        const services: Obj[] = [];
        const httpRoutes: Obj[] = [];
        for (const o of docs) {
            if (!isObject(o) || isVerifyClient(o)) continue;
            const ns = nsOf(o);
            const spec = (o.spec ?? {}) as Spec;
            switch (o.kind) {
                case "Deployment":
                case "StatefulSet": {
                    const tpl = (spec.template ?? {}) as Spec;
                    const labels = (tpl.metadata?.labels ?? {}) as Record<string, string>;
                    const inject = labels["sidecar.istio.io/inject"] ?? (tpl.metadata?.annotations ?? {})["sidecar.istio.io/inject"];
                    // Pods without a sidecar are outside the mesh (the tracing backend): no mesh traffic to draw.
                    if (String(inject) === "false" || labels[DATAPLANE_MODE] === "none") break;
                    const images = ((tpl.spec?.containers ?? []) as Spec[]).map((c) => String(c.image ?? ""));
                    const w: Workload = {
                        key: `wl:${ns}/${o.metadata.name}`,
                        name: o.metadata.name,
                        namespace: ns,
                        labels,
                        replicas: typeof spec.replicas === "number" ? spec.replicas : 1,
                        serviceAccount: String(tpl.spec?.serviceAccountName ?? "default"),
                        client: images.some((i) => /(^|\/)fortio(:|@|$)/.test(i)),
                    };
                    this.workloads.push(w);
                    push(this.byNamespace, ns, w);
                    let keys = this.byLabel.get(ns);
                    if (!keys) this.byLabel.set(ns, (keys = new Map()));
                    for (const k in labels) {
                        let values = keys.get(k);
                        if (!values) keys.set(k, (values = new Map()));
                        push(values, String(labels[k]), w);
                    }
                    break;
                }
                case "Service":
                    services.push(o);
                    break;
                case "ServiceEntry":
                    for (const h of (spec.hosts ?? []) as string[]) this.externals.set(h, o);
                    break;
                case "DestinationRule":
                    if (typeof spec.host === "string") push(this.destinationRules, fqdn(spec.host, ns), o);
                    break;
                case "VirtualService":
                    this.virtualServices.push(o);
                    break;
                case "HTTPRoute":
                    httpRoutes.push(o);
                    break;
                case "Gateway":
                    // A waypoint is a Gateway API Gateway of class istio-waypoint: drawn on the path, not as an entry.
                    if (spec.gatewayClassName === WAYPOINT_CLASS) this.waypoints.set(`${ns}/${o.metadata.name}`, o);
                    else this.gateways.set(`${ns}/${o.metadata.name}`, o);
                    break;
                case "Namespace":
                    if (o.metadata.labels?.[DATAPLANE_MODE] === "ambient") this.ambientNamespaces.add(o.metadata.name);
                    break;
                case "PeerAuthentication":
                    this.peerAuthentications.push(o);
                    break;
                case "AuthorizationPolicy":
                    this.authorizationPolicies.push(o);
                    break;
                case "EnvoyFilter":
                    this.envoyFilters.push(o);
                    break;
            }
        }
        if (httpRoutes.length) {
            const entryHosts = (ns: string, name: string) => [...this.externals.values()].filter((se) => nsOf(se) === ns && se.metadata.name === name).flatMap((se) => (se.spec?.hosts ?? []) as string[]);
            for (const hr of httpRoutes) this.virtualServices.push(...httpRouteAsRoutes(hr, entryHosts));
            const { parents, backends } = routeParentsAndBackends(httpRoutes);
            for (const p of parents) this.routeParents.add(p);
            for (const b of backends) this.routeBackends.add(b);
        }
        for (const o of services) {
            const ns = nsOf(o);
            const spec = (o.spec ?? {}) as Spec;
            const selector = (spec.selector ?? {}) as Record<string, string>;
            const ports = ((spec.ports ?? []) as Spec[]).map((p) => `:${p.port}`);
            const host = fqdn(o.metadata.name, ns);
            const wp = o.metadata.labels?.[USE_WAYPOINT];
            const waypoint = wp && this.waypoints.has(`${ns}/${wp}`) ? `${ns}/${wp}` : undefined;
            this.services.set(host, { host, name: o.metadata.name, namespace: ns, ports, selector, workloads: Object.keys(selector).length ? this.select(ns, selector) : [], ...(waypoint ? { waypoint } : {}) });
        }
    }

    /** Workloads in `namespace` whose pod labels include all of `labels` (all of them when empty). */
    select(namespace: string, labels: Record<string, string>): Workload[] {
        const pairs = Object.entries(labels);
        if (pairs.length === 0) return this.byNamespace.get(namespace) ?? [];
        // Start from the rarest label, so selecting among 10,000 Deployments stays cheap.
        let best: Workload[] | undefined;
        const keys = this.byLabel.get(namespace);
        for (const [k, v] of pairs) {
            const l = keys?.get(k)?.get(String(v)) ?? [];
            if (!best || l.length < best.length) best = l;
        }
        return (best ?? []).filter((w) => pairs.every(([k, v]) => w.labels[k] === v));
    }

    /** Workloads a policy with this `selector.matchLabels` (or none) in `namespace` applies to. */
    policyTargets(namespace: string, matchLabels: Record<string, string> | undefined): Workload[] {
        if (!matchLabels && namespace === ROOT_NAMESPACE) return this.workloads;
        return this.select(namespace, matchLabels ?? {});
    }

    /** Workloads that run as `principal` (`cluster.local/ns/<ns>/sa/<name>`, `*` allowed at either end). */
    byPrincipal(principal: string): Workload[] {
        return this.workloads.filter((w) => globMatch(principal, `cluster.local/ns/${w.namespace}/sa/${w.serviceAccount}`));
    }
}
