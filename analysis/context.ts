/**
 * An index over the plan's objects for the cross-resource analyzers: hosts resolved to FQDNs,
 * DestinationRules and VirtualServices by host, Gateways by name, the pods the program deploys.
 * Built once, so each analyzer is linear in the number of objects.
 */
import { matchesLabels } from "../config/selectors";
import type { K8sObject } from "../mesh/objects";

export interface GatewayWorkload {
    namespace: string;
    /** Labels of the gateway pods (what a Gateway's selector matches). */
    labels: Record<string, string>;
    /** Ports of the gateway's Service: a Gateway server port must be one of them. */
    servicePorts: { port: number; targetPort: number }[];
    /** Service FQDN of the gateway (a known destination host). */
    host: string;
}

export interface Pod {
    namespace: string;
    labels: Record<string, string>;
    env: Record<string, string>;
}

export type Spec = Record<string, any>;
export type Route = { match?: Spec[]; route?: Spec[]; fault?: Spec; retries?: Spec; timeout?: string; [k: string]: unknown };

/** Istio expands only names without dots (namespace-relative); anything else is taken as written. */
export const fqdn = (host: string, namespace: string): string => (host.includes(".") || host === "*" ? host : `${host}.${namespace}.svc.cluster.local`);

export { matchesLabels };

export const isMeshBound = (vs: K8sObject): boolean => {
    const gws = (vs.spec as Spec).gateways as string[] | undefined;
    return !gws || gws.length === 0 || gws.includes("mesh");
};

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
}

export class AnalysisContext {
    readonly services = new Map<string, K8sObject>(); // FQDN → Service
    readonly externalHosts = new Set<string>(); // ServiceEntry hosts
    readonly gatewayHosts = new Set<string>(); // Services of the charts' gateways
    readonly destinationRules = new Map<string, K8sObject[]>(); // FQDN → DRs
    readonly virtualServices: K8sObject[] = [];
    /** VirtualServices that apply to sidecars (no gateways, or `mesh` among them). */
    readonly meshVirtualServices: K8sObject[] = [];
    readonly gateways = new Map<string, K8sObject>(); // ns/name → Gateway
    readonly pods: Pod[] = [];
    /**
     * namespace → key → value → pods with that label: selector matching without scanning every pod.
     * Nested maps rather than one `ns/key=value` string key: a lookup then hashes strings the objects
     * already hold, not a new string per query.
     */
    private readonly podsByLabel = new Map<string, Map<string, Map<string, Pod[]>>>();
    /** namespace → host → FQDN: one string per host, hashed once, for the many lookups by host. */
    private readonly fqdns = new Map<string, Map<string, string>>();
    readonly kinds = new Map<string, K8sObject[]>();
    private readonly podsOfService = new Map<K8sObject, Pod[]>();
    private readonly subsetsByHost = new Map<string, Set<string>>();

    constructor(
        readonly objects: K8sObject[],
        readonly gatewayWorkloads: GatewayWorkload[],
    ) {
        for (const g of gatewayWorkloads) this.gatewayHosts.add(g.host);
        for (const o of objects) {
            const ns = o.metadata.namespace ?? "default";
            const spec = (o.spec ?? {}) as Spec;
            push(this.kinds, o.kind, o);
            switch (o.kind) {
                case "Service":
                    this.services.set(fqdn(o.metadata.name, ns), o);
                    break;
                case "ServiceEntry":
                    for (const h of spec.hosts ?? []) this.externalHosts.add(h);
                    break;
                case "DestinationRule": {
                    push(this.destinationRules, fqdn(spec.host, ns), o);
                    break;
                }
                case "VirtualService":
                    this.virtualServices.push(o);
                    if (isMeshBound(o)) this.meshVirtualServices.push(o);
                    break;
                case "Gateway":
                    // Istio's Gateways only: a Gateway API Gateway (a waypoint, say) is another kind under the same name.
                    if (o.apiVersion.startsWith("networking.istio.io/")) this.gateways.set(`${ns}/${o.metadata.name}`, o);
                    break;
                case "Deployment": {
                    const podSpec = spec.template?.spec;
                    const env = Object.fromEntries((podSpec?.containers ?? []).flatMap((c: Spec) => (c.env ?? []).map((e: Spec) => [e.name, String(e.value)])));
                    const pod = { namespace: ns, labels: (spec.template?.metadata?.labels ?? {}) as Record<string, string>, env };
                    this.pods.push(pod);
                    let byKey = this.podsByLabel.get(ns);
                    if (!byKey) this.podsByLabel.set(ns, (byKey = new Map()));
                    for (const k of Object.keys(pod.labels)) {
                        let byValue = byKey.get(k);
                        if (!byValue) byKey.set(k, (byValue = new Map()));
                        push(byValue, String(pod.labels[k]), pod);
                    }
                    break;
                }
            }
        }
    }

    of(kind: string): K8sObject[] {
        return this.kinds.get(kind) ?? [];
    }

    /** fqdn(host, namespace), the same string object for every query of one host. */
    fqdn(host: string, namespace: string): string {
        let byHost = this.fqdns.get(namespace);
        if (!byHost) this.fqdns.set(namespace, (byHost = new Map()));
        let f = byHost.get(host);
        if (f === undefined) byHost.set(host, (f = fqdn(host, namespace)));
        return f;
    }

    /** A destination host the mesh can route to: a Service, a gateway's Service, or a ServiceEntry host. */
    knownHost(host: string, namespace: string): boolean {
        const f = this.fqdn(host, namespace);
        return this.services.has(f) || this.gatewayHosts.has(f) || this.externalHosts.has(host);
    }

    /** Subset names the DestinationRules of a host declare; built once per host (every route asks). */
    subsetsOf(host: string, namespace: string): ReadonlySet<string> {
        const f = this.fqdn(host, namespace);
        let names = this.subsetsByHost.get(f);
        if (!names) {
            names = new Set<string>();
            for (const dr of this.destinationRules.get(f) ?? []) for (const s of ((dr.spec as Spec).subsets ?? []) as Spec[]) names.add(s.name);
            this.subsetsByHost.set(f, names);
        }
        return names;
    }

    gatewayFor(ref: string, vsNamespace: string): K8sObject | undefined {
        return this.gateways.get(ref.includes("/") ? ref : `${vsNamespace}/${ref}`);
    }

    /**
     * Pods behind a Service host (by its selector), if it is one of ours. Several analyzers ask for
     * the same host (every DestinationRule's), so each Service's pods are matched once; callers only read the list.
     */
    podsOf(host: string, namespace: string): readonly Pod[] | undefined {
        const svc = this.services.get(this.fqdn(host, namespace));
        if (!svc) return undefined;
        return this.podsSelectedBy(svc);
    }

    /** The pods a Service's selector matches in its namespace (all of them for an empty selector). */
    podsSelectedBy(svc: K8sObject): readonly Pod[] {
        let pods = this.podsOfService.get(svc);
        if (!pods) {
            pods = this.podsMatching(((svc.spec as Spec).selector ?? {}) as Record<string, string>, svc.metadata.namespace ?? "default");
            this.podsOfService.set(svc, pods);
        }
        return pods;
    }

    podsMatching(selector: Record<string, string>, namespace: string): Pod[] {
        const entries = Object.entries(selector);
        if (entries.length === 0) return this.pods.filter((p) => p.namespace === namespace);
        // Start from the smallest candidate list, then check the whole selector.
        const byKey = this.podsByLabel.get(namespace);
        const lists = entries.map(([k, v]) => byKey?.get(k)?.get(String(v)) ?? []);
        const smallest = lists.reduce((a, b) => (b.length < a.length ? b : a));
        return smallest.filter((p) => matchesLabels(selector, p.labels));
    }
}

/** Every http route of a VirtualService with its path. */
export function httpRoutes(vs: K8sObject): { route: Route; path: string }[] {
    return (((vs.spec as Spec).http ?? []) as Route[]).map((route, i) => ({ route, path: `spec.http[${i}]` }));
}
