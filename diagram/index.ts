/**
 * "See the mesh": the traffic a stack declares as a Mermaid flowchart, computed from its Kubernetes
 * and Istio objects — `declaredObjects(buildPlan(cfg))` or the documents of a render — so the same
 * function draws a working tree and a git base ref. Pure, no Pulumi.
 *
 *   trafficDiagram(objects, { findings, maxServices })  → Mermaid source
 *   diagramDiff(beforeObjects, afterObjects)            → Mermaid source, the after state, changes marked
 *   diagramMarkdown(mermaid, { heading })               → a Markdown section with a ```mermaid block
 *   diagramPage(mermaid, { title, about, mermaid })     → a self-contained HTML page that draws it
 */
import { diffGraphs } from "./diff";
import { MeshIndex } from "./meshIndex";
import { toMermaid } from "./mermaid";
import { DiagramFinding, serviceCount, trafficGraph } from "./trafficGraph";

export { MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, WORD_JOINER, escapeLabel } from "./mermaid";
export type { DiagramFinding } from "./trafficGraph";
export { trafficGraph } from "./trafficGraph";
export { diffGraphs } from "./diff";
export { DIAGRAM_KEY, diagramPage } from "./page";
export type { MermaidBundle, PageOptions } from "./page";

/** Beyond this many Services the diagram shows one node per Service, without subsets or Deployments. */
export const DEFAULT_MAX_SERVICES = 25;

export interface DiagramOptions {
    /** Analyzer findings (`checkPlan`, `analyzePlan`): the routes and subsets they name are drawn as not taking effect. */
    findings?: readonly DiagramFinding[];
    /** Services drawn in full detail; more are summarised. Default 25. */
    maxServices?: number;
}

const compactFor = (n: number, o: DiagramOptions) => n > (o.maxServices ?? DEFAULT_MAX_SERVICES);

/** The declared traffic of these objects as a Mermaid flowchart (source text, ending in a newline). */
export function trafficDiagram(objects: readonly unknown[], o: DiagramOptions = {}): string {
    const ix = new MeshIndex(objects);
    const compact = compactFor(serviceCount(ix), o);
    const full = toMermaid(trafficGraph(ix, { findings: o.findings, compact }));
    // A detailed diagram too big for Mermaid is redrawn summarised rather than cut.
    if (full.omitted > 0 && !compact) return toMermaid(trafficGraph(ix, { findings: o.findings, compact: true })).text;
    return full.text;
}

export interface DiagramDiffOptions extends DiagramOptions {
    /** Findings of the after state. */
    findings?: readonly DiagramFinding[];
}

/**
 * The traffic after a change, with the changed edges and nodes marked (`v2 10 % → 25 %`, new, removed).
 * Both sides are drawn at the same level of detail, so their nodes compare one to one.
 */
export function diagramDiff(beforeObjects: readonly unknown[], afterObjects: readonly unknown[], o: DiagramDiffOptions = {}): string {
    return diagramDiffResult(beforeObjects, afterObjects, o).mermaid;
}

export function diagramDiffResult(beforeObjects: readonly unknown[], afterObjects: readonly unknown[], o: DiagramDiffOptions = {}): { mermaid: string; changes: number } {
    const before = new MeshIndex(beforeObjects);
    const after = new MeshIndex(afterObjects);
    const draw = (compact: boolean) => {
        const { graph, changes } = diffGraphs(trafficGraph(before, { compact }), trafficGraph(after, { findings: o.findings, compact }));
        return { result: toMermaid(graph, { comment: `${changes} change${changes === 1 ? "" : "s"} in the declared traffic` }), changes };
    };
    const compact = compactFor(Math.max(serviceCount(before), serviceCount(after)), o);
    let d = draw(compact);
    if (d.result.omitted > 0 && !compact) d = draw(true);
    return { mermaid: d.result.text, changes: d.changes };
}

/** What the marks in a diagram mean, for the line under it. */
export const DIAGRAM_LEGEND = "Dashed: cannot take effect (analyzer finding), denied, 0 % or removed. Red: an analyzer finding (⚠ code) or a denial. Thick: changed or new.";

/** A Markdown section with the diagram in a ```mermaid block (GitHub and GitLab draw it). */
export function diagramMarkdown(mermaid: string, o: { heading?: string; level?: number; note?: string } = {}): string {
    const h = "#".repeat(o.level ?? 3);
    return [`${h} ${o.heading ?? "Traffic"}`, "", "```mermaid", mermaid.trimEnd(), "```", "", o.note ?? DIAGRAM_LEGEND, ""].join("\n");
}
