/**
 * What the API server or the Pulumi engine refuses across objects, which no single object shows:
 * two objects with one name (the engine fails on a duplicate URN, which mocks do not see; the API
 * server would let the second overwrite the first) and two Services on one nodePort.
 */
import type { K8sObject } from "../../mesh/objects";
import { Finding, resourceName } from "../finding";
import type { Spec } from "./rule";

export const DUPLICATE_CODE = "K8S010";
export const NODE_PORT_CODE = "K8S011";

/** A Service port opened on every node, by the program's Services or a chart's (the ingress gateway). */
export interface NodePortUse {
    nodePort: number;
    /** `Service default/nginx-service`, or the chart's Service. */
    resource: string;
    path: string;
}

/**
 * @param groups objects registered under one component each: a kind and name twice in a group is one URN twice.
 */
export function duplicateFindings(groups: K8sObject[][]): Finding[] {
    const out: Finding[] = [];
    // Keyed by nested maps of the objects' own strings (kind, apiVersion, namespace, name) rather than a
    // joined string per object: at 70,000 objects building and hashing those keys was the cost of this check.
    const inCluster: Nested = new Map();
    for (const group of groups) {
        const inGroup: Nested = new Map();
        for (const o of group) {
            const name = o.metadata.name;
            const ns = o.metadata.namespace ?? "";
            const byName = level(level(inGroup, o.kind), o.apiVersion) as Map<string, K8sObject>;
            const inClusterByName = level(level(level(inCluster, o.kind), o.apiVersion), ns) as Map<string, K8sObject>;
            const first = byName.get(name) ?? inClusterByName.get(name);
            if (first) {
                out.push({
                    code: DUPLICATE_CODE,
                    severity: "error",
                    resource: resourceName(o),
                    path: "metadata.name",
                    message: `${o.kind} ${JSON.stringify(o.metadata.name)} is declared twice${resourceName(first) !== resourceName(o) ? ` (also as ${resourceName(first)})` : ""}; Pulumi refuses two resources with one name, and in the cluster one would overwrite the other`,
                    fix: `give each its own name`,
                });
                continue;
            }
            byName.set(name, o);
            inClusterByName.set(name, o);
        }
    }
    return out;
}

type Nested = Map<string, unknown>;

/** The map under `key`, created on first use. */
function level(m: Nested, key: string): Nested {
    let next = m.get(key) as Nested | undefined;
    if (!next) m.set(key, (next = new Map()));
    return next;
}

/** Service nodePorts of the plan's objects. */
export function nodePortUses(objects: K8sObject[]): NodePortUse[] {
    const out: NodePortUse[] = [];
    for (const o of objects) {
        if (o.kind !== "Service") continue;
        const ports = ((o.spec as Spec)?.ports ?? []) as Spec[];
        for (let i = 0; i < ports.length; i++) if (typeof ports[i].nodePort === "number") out.push({ nodePort: ports[i].nodePort, resource: resourceName(o), path: `spec.ports[${i}].nodePort` });
    }
    return out;
}

export function nodePortFindings(uses: NodePortUse[]): Finding[] {
    const out: Finding[] = [];
    const first = new Map<number, NodePortUse>();
    for (const u of uses) {
        const f = first.get(u.nodePort);
        if (!f) {
            first.set(u.nodePort, u);
            continue;
        }
        out.push({
            code: NODE_PORT_CODE,
            severity: "error",
            resource: u.resource,
            path: u.path,
            message: `the Kubernetes API server would reject this: nodePort ${u.nodePort} is already allocated to ${f.resource} (${f.path}); a node port opens on every node, once`,
            fix: `choose another nodePort (30000–32767), or leave it out to get a free one`,
        });
    }
    return out;
}
