import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshPlan } from "../mesh/plan";
import { referencedHosts } from "../mesh/plan";
import { applyObject } from "./applyObject";

export interface TrafficPoliciesArgs {
    policies: MeshPlan["trafficPolicies"];
    provider: k8s.Provider;
    /** istiod: its validation webhook rejects (or, before it is ready, skips) Istio resources. */
    dependsOn: pulumi.Resource[];
}

/** DestinationRules, VirtualServices, Gateways, HTTPRoutes, ServiceEntries and the security policies. */
export class TrafficPolicies extends pulumi.ComponentResource {
    constructor(name: string, args: TrafficPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:policies:TrafficPolicies", name, {}, opts);
        const base = { parent: this, provider: args.provider };
        const drByHost = new Map<string, pulumi.Resource>();
        for (const dr of args.policies.destinationRules) {
            drByHost.set((dr.spec as { host: string }).host, applyObject(dr, { ...base, dependsOn: args.dependsOn }));
        }
        const gatewayByName = new Map<string, pulumi.Resource>();
        const gateways = args.policies.gateways.map((g) => {
            const r = applyObject(g, { ...base, dependsOn: args.dependsOn });
            gatewayByName.set(g.metadata.name, r);
            return r;
        });
        const entryByHost = new Map<string, pulumi.Resource>();
        const entryByName = new Map<string, pulumi.Resource>();
        for (const e of args.policies.serviceEntries) {
            const r = applyObject(e, { ...base, dependsOn: args.dependsOn });
            entryByName.set(e.metadata.name, r);
            for (const h of (e.spec as { hosts: string[] }).hosts) entryByHost.set(h, r);
        }
        for (const p of args.policies.security) applyObject(p, { ...base, dependsOn: args.dependsOn });
        for (const vs of args.policies.virtualServices) {
            // A VirtualService naming subsets before their DestinationRule exists sends 503s (no healthy upstream).
            const drs = referencedHosts(vs).flatMap((h) => (drByHost.has(h) ? [drByHost.get(h)!] : []));
            const gws = (vs.spec as { gateways?: string[] }).gateways ? gateways : [];
            // A VirtualService for an external host needs its ServiceEntry to resolve.
            const external = (vs.spec as { hosts: string[] }).hosts.flatMap((h) => (entryByHost.has(h) ? [entryByHost.get(h)!] : []));
            applyObject(vs, { ...base, dependsOn: [...args.dependsOn, ...drs, ...gws, ...external] });
        }
        for (const route of args.policies.httpRoutes ?? []) {
            // An HTTPRoute before its parent exists is not accepted until the parent appears: create the parent first.
            const parents = ((route.spec as { parentRefs?: { kind?: string; name: string }[] }).parentRefs ?? []).flatMap((p) => {
                const r = p.kind === "ServiceEntry" ? entryByName.get(p.name) : p.kind === undefined || p.kind === "Gateway" ? gatewayByName.get(p.name) : undefined;
                return r ? [r] : [];
            });
            applyObject(route, { ...base, dependsOn: [...args.dependsOn, ...parents] });
        }
        this.registerOutputs({});
    }
}
