/**
 * An index over the plan's objects for the cross-resource analyzers: hosts resolved to FQDNs,
 * DestinationRules and VirtualServices by host, Gateways by name, the pods the program deploys.
 * Built once, so each analyzer is linear in the number of objects.
 */
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

export const matchesLabels = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
    Object.entries(selector).every(([k, v]) => labels[k] === v);

export const isMeshBound = (vs: K8sObject): boolean => {
    const gws = (vs.spec as Spec).gateways as string[] | undefined;
    return !gws || gws.length === 0 || gws.includes("mesh");
};

export class AnalysisContext {
    readonly services = new Map<string, K8sObject>(); // FQDN → Service
    readonly externalHosts = new Set<string>(); // ServiceEntry hosts
    readonly gatewayHosts = new Set<string>(); // Services of the charts' gateways
    readonly destinationRules = new Map<string, K8sObject[]>(); // FQDN → DRs
    readonly virtualServices: K8sObject[] = [];
    readonly gateways = new Map<string, K8sObject>(); // ns/name → Gateway
    readonly pods: Pod[] = [];
    readonly kinds = new Map<string, K8sObject[]>();

    constructor(
        readonly objects: K8sObject[],
        readonly gatewayWorkloads: GatewayWorkload[],
    ) {
        for (const g of gatewayWorkloads) this.gatewayHosts.add(g.host);
        for (const o of objects) {
            const ns = o.metadata.namespace ?? "default";
            const spec = (o.spec ?? {}) as Spec;
            this.kinds.set(o.kind, [...(this.kinds.get(o.kind) ?? []), o]);
            switch (o.kind) {
                case "Service":
                    this.services.set(fqdn(o.metadata.name, ns), o);
                    break;
                case "ServiceEntry":
                    for (const h of spec.hosts ?? []) this.externalHosts.add(h);
                    break;
                case "DestinationRule": {
                    const h = fqdn(spec.host, ns);
                    this.destinationRules.set(h, [...(this.destinationRules.get(h) ?? []), o]);
                    break;
                }
                case "VirtualService":
                    this.virtualServices.push(o);
                    break;
                case "Gateway":
                    this.gateways.set(`${ns}/${o.metadata.name}`, o);
                    break;
                case "Deployment": {
                    const pod = spec.template?.spec;
                    const env = Object.fromEntries((pod?.containers ?? []).flatMap((c: Spec) => (c.env ?? []).map((e: Spec) => [e.name, String(e.value)])));
                    this.pods.push({ namespace: ns, labels: spec.template?.metadata?.labels ?? {}, env });
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
        const selector = ((svc.spec as Spec).selector ?? {}) as Record<string, string>;
        return this.pods.filter((p) => p.namespace === (svc.metadata.namespace ?? "default") && matchesLabels(selector, p.labels));
    }
}

/** Every http route of a VirtualService with its path. */
export function httpRoutes(vs: K8sObject): { route: Route; path: string }[] {
    return (((vs.spec as Spec).http ?? []) as Route[]).map((route, i) => ({ route, path: `spec.http[${i}]` }));
}
