/**
 * The engine a lesson is applied with, behind a small interface (the real one is lab/pulumiEngine.ts,
 * tests give a fake), and the guard every apply goes through: a lesson changes mesh policies and
 * workloads only, so a preview that would touch the cluster or the Istio installation refuses it. Pure.
 */
import type { ResourceChange } from "../review/changes";
import type { ConfigMap } from "./compose";

export interface PlannedStep {
    urn: string;
    /** The engine's step: create, update, replace, delete (`same` and reads are left out). */
    op: string;
}

export interface Preview {
    /** Every resource the update would change. */
    steps: PlannedStep[];
    /** The same changes in the PR comment's words (review/changes.ts). */
    changes: ResourceChange[];
}

export interface LabEngine {
    /** From now on preview and up use this config (a lesson's, composed over the stack's own). */
    setConfig(config: ConfigMap): Promise<void>;
    /** From now on preview and up use the stack's own config again, untouched. */
    restore(): Promise<void>;
    preview(o: { log: (line: string) => void }): Promise<Preview>;
    up(o: { log: (line: string) => void }): Promise<void>;
}

/** Component types whose resources (children included) make up the platform a lesson must not touch. */
export const PLATFORM: { test: (type: string) => boolean; what: string }[] = [
    { test: (t) => t.startsWith("istio-mesh:cluster:"), what: "the cluster" },
    { test: (t) => t === "istio-mesh:istio:Istio", what: "the Istio installation" },
    // A changed Kubernetes provider re-points or replaces everything it manages.
    { test: (t) => t === "pulumi:providers:kubernetes", what: "the cluster's Kubernetes provider" },
];

/**
 * The type chain of a URN, outermost parent first:
 * `urn:pulumi:dev::istio-mesh::istio-mesh:index:Lab$istio-mesh:istio:Istio$kubernetes:helm.sh/v4:Chart::istiod`
 * → [istio-mesh:index:Lab, istio-mesh:istio:Istio, kubernetes:helm.sh/v4:Chart].
 */
export function typeChain(urn: string): string[] {
    const parts = urn.split("::");
    return parts.length >= 4 ? parts[2].split("$") : [];
}

const urnName = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** Why the steps may not run (one line per platform resource touched), or nothing when they may. */
export function platformChanges(steps: PlannedStep[]): string[] {
    const out: string[] = [];
    for (const s of steps) {
        const chain = typeChain(s.urn);
        const hit = PLATFORM.find((p) => chain.some(p.test));
        if (hit) out.push(`${s.op} ${chain[chain.length - 1]} ${urnName(s.urn)} (${hit.what})`);
    }
    return out;
}
