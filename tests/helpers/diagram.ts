import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parseConfig } from "../../config/parse";
import { mergeEntries } from "../../config/merge";
import { flattenStackFile, projectValues } from "../../config/stackConfig";
import type { MeshConfig } from "../../config/types";
import type { K8sObject } from "../../mesh/objects";
import { buildPlan } from "../../mesh/plan";
import { declaredObjects } from "../../verify/verify";
import type { ParsedFlowchart } from "./mermaid";

export const ROOT = path.resolve(__dirname, "..", "..");
export const SCENARIOS = path.join(ROOT, "examples", "scenarios");

const stackValues = (file: string) => projectValues(flattenStackFile(fs.readFileSync(file, "utf8"), path.basename(file)).values) as Record<string, unknown>;

/** A scenario laid over Pulumi.dev.yaml, as if its keys were pasted into it: entry by entry, field by field. */
export function scenarioConfig(file: string): MeshConfig {
    const dev = stackValues(path.join(ROOT, "Pulumi.dev.yaml"));
    const scenario = stackValues(path.join(SCENARIOS, file));
    const merged: Record<string, unknown> = { ...dev };
    for (const [k, v] of Object.entries(scenario)) merged[k] = mergeEntries((dev[k] ?? {}) as Record<string, unknown>, v);
    return parseConfig(merged, "dev");
}

export const devConfig = (): MeshConfig => parseConfig(stackValues(path.join(ROOT, "Pulumi.dev.yaml")), "dev");

/** The plan's Kubernetes objects, as `render --graph` and `lab plan` pass them. */
export const objectsOf = (cfg: MeshConfig): K8sObject[] => declaredObjects(buildPlan(cfg) as unknown as { workloads: unknown[]; trafficPolicies: Record<string, unknown> });

/** Reading a parsed flowchart by label text, so tests do not depend on generated ids. */
export class Flow {
    constructor(readonly p: ParsedFlowchart) {}

    /** The one node whose first label line is `first` or starts with `first ` (and whose label contains every `also`). */
    node(first: string, ...also: string[]): { id: string; text: string } {
        const hits = this.p.vertices.filter((v) => {
            const l = v.text.split("<br>")[0];
            return (l === first || l.startsWith(`${first} `)) && also.every((a) => v.text.includes(a));
        });
        expect(hits, `one node ${JSON.stringify(first)} with ${JSON.stringify(also)}; nodes: ${this.p.vertices.map((v) => JSON.stringify(v.text)).join(" | ")}`).to.have.length(1);
        return hits[0];
    }

    edge(from: { id: string }, to: { id: string }): { text: string } {
        const e = this.p.edges.find((x) => x.start === from.id && x.end === to.id);
        expect(e, `an edge ${from.id} → ${to.id}; edges: ${this.p.edges.map((x) => `${x.start}→${x.end} ${JSON.stringify(x.text)}`).join(" | ")}`).to.not.equal(undefined);
        return e!;
    }

    into(to: { id: string }): { start: string; text: string }[] {
        return this.p.edges.filter((x) => x.end === to.id);
    }

    outOf(from: { id: string }): { end: string; text: string }[] {
        return this.p.edges.filter((x) => x.start === from.id);
    }

    text(id: string): string {
        return this.p.vertices.find((v) => v.id === id)?.text ?? this.p.subgraphs.find((s) => s.id === id)?.title ?? "";
    }
}
