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
    /** `namespace/key=value` → pods with that label: selector matching without scanning every pod. */
    private readonly podsByLabel = new Map<string, Pod[]>();
    readonly kinds = new Map<string, K8sObject[]>();

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
                    this.gateways.set(`${ns}/${o.metadata.name}`, o);
                    break;
                case "Deployment": {
                    const podSpec = spec.template?.spec;
                    const env = Object.fromEntries((podSpec?.containers ?? []).flatMap((c: Spec) => (c.env ?? []).map((e: Spec) => [e.name, String(e.value)])));
                    const pod = { namespace: ns, labels: (spec.template?.metadata?.labels ?? {}) as Record<string, string>, env };
                    this.pods.push(pod);
                    for (const [k, v] of Object.entries(pod.labels)) push(this.podsByLabel, `${ns}/${k}=${v}`, pod);
                    break;
                }
            }
        }
    }

    of(kind: string): K8sObject[] {
        return this.kinds.get(kind) ?? [];
    }

    /** A destination host the mesh can route to: a Service, a gateway's Service, or a ServiceEntry host. */
    knownHost(host: string, namespace: string): boolean {
        const f = fqdn(host, namespace);
        return this.services.has(f) || this.gatewayHosts.has(f) || this.externalHosts.has(host);
    }

    subsetsOf(host: string, namespace: string): Set<string> {
        const names = new Set<string>();
        for (const dr of this.destinationRules.get(fqdn(host, namespace)) ?? []) for (const s of ((dr.spec as Spec).subsets ?? []) as Spec[]) names.add(s.name);
        return names;
    }

    gatewayFor(ref: string, vsNamespace: string): K8sObject | undefined {
        return this.gateways.get(ref.includes("/") ? ref : `${vsNamespace}/${ref}`);
    }

    /** Pods behind a Service host (by its selector), if it is one of ours. */
    podsOf(host: string, namespace: string): Pod[] | undefined {
        const svc = this.services.get(fqdn(host, namespace));
        if (!svc) return undefined;
        return this.podsMatching(((svc.spec as Spec).selector ?? {}) as Record<string, string>, svc.metadata.namespace ?? "default");
    }

    podsMatching(selector: Record<string, string>, namespace: string): Pod[] {
        const entries = Object.entries(selector);
        if (entries.length === 0) return this.pods.filter((p) => p.namespace === namespace);
        // Start from the smallest candidate list, then check the whole selector.
        const lists = entries.map(([k, v]) => this.podsByLabel.get(`${namespace}/${k}=${v}`) ?? []);
        const smallest = lists.reduce((a, b) => (b.length < a.length ? b : a));
        return smallest.filter((p) => matchesLabels(selector, p.labels));
    }
}

/** Every http route of a VirtualService with its path. */
export function httpRoutes(vs: K8sObject): { route: Route; path: string }[] {
    return (((vs.spec as Spec).http ?? []) as Route[]).map((route, i) => ({ route, path: `spec.http[${i}]` }));
}
