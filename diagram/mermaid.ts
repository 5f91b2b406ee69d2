/**
 * A traffic graph written as a Mermaid flowchart. Every label is quoted and escaped with Mermaid's
 * entity codes, so no name, host, header or regex can end a label or start a statement. Node ids are
 * generated (`n0`, `g0`), never taken from names (`end`, `graph` or `click` would be keywords).
 * The output stays within what Mermaid renders with its default config — the one GitHub uses —
 * 50,000 characters and 500 edges: past that, whole hosts are left out and counted in a note. Pure.
 */
import type { GEdge, GNode, Graph, Mark, Shape } from "./model";

/** Mermaid's `maxTextSize` default: a longer diagram is replaced by an error message. */
export const MERMAID_MAX_TEXT = 50000;
/** Mermaid's `maxEdges` default for flowcharts: a diagram with more does not render. */
export const MERMAID_MAX_EDGES = 500;
/** Room kept for the note on what was left out, styles and a diff's ghost edges. */
const TEXT_BUDGET = MERMAID_MAX_TEXT - 4000;
const EDGE_BUDGET = MERMAID_MAX_EDGES - 20;

/** Invisible, and no line break: splits what Mermaid would otherwise read as math or an icon. */
export const WORD_JOINER = "\u2060";

/**
 * One label line as Mermaid text inside `"…"`. `#` starts an entity code (`#quot;`), so it is escaped
 * first; `<`, `>` and `&` would be read as HTML; a backtick first would turn the label into Markdown.
 * When the browser draws it, `$$…$$` would become KaTeX math and `fa:fa-…` a Font Awesome icon (seen
 * with Mermaid 11.17 in Chromium, 2026-12), entity codes or not: an invisible WORD JOINER (U+2060)
 * between `$$` and after `fa:` keeps them text.
 */
export function escapeLabel(s: string): string {
    return s
        .replace(/[\r\n\t]+/g, " ")
        .replace(/#/g, "#35;")
        .replace(/"/g, "#quot;")
        .replace(/&/g, "#amp;")
        .replace(/</g, "#lt;")
        .replace(/>/g, "#gt;")
        .replace(/`/g, "#96;")
        .replace(/\$(?=\$)/g, `$${WORD_JOINER}`)
        .replace(/(fa[bklrs]?):(?=fa-)/g, `$1:${WORD_JOINER}`);
}

const label = (lines: string[]) => `"${lines.map(escapeLabel).join("<br>")}"`;

const SHAPES: Record<Shape, [string, string]> = {
    gateway: ["{{", "}}"],
    client: ["([", "])"],
    route: [">", "]"],
    group: ["[", "]"],
    subset: ["(", ")"],
    workload: ["[[", "]]"],
    service: ["[", "]"],
    external: ["[/", "/]"],
    note: ["[", "]"],
};

const ARROWS: Record<GEdge["style"], string> = { solid: "-->", dashed: "-.->", thick: "==>" };

const CLASSES: Record<Mark, string> = {
    finding: "fill:#ffe3e3,stroke:#c92a2a,color:#000",
    denied: "fill:#ffe3e3,stroke:#c92a2a,color:#000",
    changed: "fill:#fff3bf,stroke:#e67700,stroke-width:3px,color:#000",
    added: "fill:#d3f9d8,stroke:#2b8a3e,stroke-width:3px,color:#000",
    removed: "fill:#f1f3f5,stroke:#868e96,stroke-dasharray:4 3,color:#495057",
};
const LINK_STYLES: Record<Mark, string> = {
    finding: "stroke:#c92a2a,stroke-width:2px",
    denied: "stroke:#c92a2a,stroke-width:2px",
    changed: "stroke:#e67700,stroke-width:3px",
    added: "stroke:#2b8a3e,stroke-width:3px",
    removed: "stroke:#868e96,stroke-dasharray:4 3",
};
/** When two marks meet, the one a reader must see first. */
const PRIORITY: Mark[] = ["changed", "added", "removed", "finding", "denied"];
const topMark = (marks: Mark[]) => PRIORITY.find((m) => marks.includes(m));

export interface MermaidOptions {
    /** A line under the diagram's first node list, as a Mermaid comment (`%%`). */
    comment?: string;
    /** Overrides the size limits (tests). */
    budget?: { text: number; edges: number };
}

export interface MermaidResult {
    text: string;
    /** Hosts left out to stay within Mermaid's limits. */
    omitted: number;
    edges: number;
}

export function toMermaid(g: Graph, o: MermaidOptions = {}): MermaidResult {
    const budget = o.budget ?? { text: TEXT_BUDGET, edges: EDGE_BUDGET };
    const ids = new Map<string, string>();
    const out: string[] = ["flowchart LR"];
    if (o.comment) out.push(`    %% ${o.comment.replace(/[\r\n]+/g, " ")}`);
    let size = out.reduce((n, l) => n + l.length + 1, 0);
    const edgeLines: string[] = [];
    const linkMarks: { index: number; mark: Mark }[] = [];
    const nodeMarks = new Map<Mark, string[]>();

    const id = (key: string, prefix: string) => {
        let v = ids.get(key);
        if (!v) ids.set(key, (v = `${prefix}${ids.size}`));
        return v;
    };
    const nodeLine = (n: GNode, indent: string) => {
        const [open, close] = SHAPES[n.shape];
        return `${indent}${id(n.key, "n")}${open}${label(n.lines)}${close}`;
    };
    const edgeLine = (e: GEdge) => `    ${ids.get(e.from)} ${ARROWS[e.style]}${e.lines.length ? `|${label(e.lines)}|` : ""} ${ids.get(e.to)}`;

    const byUnit = new Map<string | undefined, { nodes: GNode[]; groups: Graph["groups"] }>();
    const slot = (u: string | undefined) => {
        let s = byUnit.get(u);
        if (!s) byUnit.set(u, (s = { nodes: [], groups: [] }));
        return s;
    };
    for (const n of g.nodes) slot(n.unit).nodes.push(n);
    for (const gr of g.groups) slot(gr.unit).groups.push(gr);
    // Edges by endpoint: a unit's lines take the edges it completes, found without scanning them all.
    const byEnd = new Map<string, GEdge[]>();
    for (const e of g.edges) {
        for (const k of e.from === e.to ? [e.from] : [e.from, e.to]) {
            const l = byEnd.get(k);
            if (l) l.push(e);
            else byEnd.set(k, [e]);
        }
    }
    const emitted = new Set<string>();
    const done = new Set<GEdge>();

    /** The lines of one unit (its groups with their members, its loose nodes) and the edges it completes. */
    const unitLines = (u: string | undefined) => {
        const s = byUnit.get(u);
        const lines: string[] = [];
        const keys: string[] = [];
        if (s) {
            for (const gr of s.groups) {
                keys.push(gr.key);
                lines.push(`    subgraph ${id(gr.key, "g")}[${label(gr.lines)}]`);
                for (const n of s.nodes.filter((x) => x.group === gr.key)) {
                    keys.push(n.key);
                    lines.push(nodeLine(n, "        "));
                }
                lines.push("    end");
            }
            const inGroups = new Set(s.groups.map((x) => x.key));
            for (const n of s.nodes) {
                if (n.group && inGroups.has(n.group)) continue;
                keys.push(n.key);
                lines.push(nodeLine(n, "    "));
            }
        }
        const mine = new Set(keys);
        const has = (k: string) => mine.has(k) || emitted.has(k);
        const edges = new Set<GEdge>();
        for (const k of keys) for (const e of byEnd.get(k) ?? []) if (!done.has(e) && has(e.from) && has(e.to)) edges.add(e);
        // Keep the graph's edge order, so the output does not depend on how units were cut.
        return { lines, keys, edges: [...edges].sort((a, b) => order.get(a)! - order.get(b)!) };
    };
    const order = new Map(g.edges.map((e, i) => [e, i]));

    const known = new Set(g.units);
    const units: (string | undefined)[] = [undefined, ...g.units, ...[...byUnit.keys()].filter((u) => u !== undefined && !known.has(u))];
    let drawnUnits = 0;
    for (let i = 0; i < units.length; i++) {
        const u = units[i];
        const before = new Map(ids);
        const { lines, keys, edges } = unitLines(u);
        const add = lines.reduce((n, l) => n + l.length + 1, 0) + edges.reduce((n, e) => n + edgeLine(e).length + 1, 0);
        if (u !== undefined && (size + add > budget.text || edgeLines.length + edges.length > budget.edges)) {
            // Left out: this host and every later one, so what is drawn does not depend on which fit.
            ids.clear();
            for (const [k, v] of before) ids.set(k, v);
            break;
        }
        out.push(...lines);
        if (u !== undefined && known.has(u)) drawnUnits++;
        size += add;
        for (const k of keys) emitted.add(k);
        for (const e of edges) {
            const m = topMark(e.marks);
            if (m) linkMarks.push({ index: edgeLines.length, mark: m });
            edgeLines.push(edgeLine(e));
            done.add(e);
        }
    }
    const omitted = Math.max(g.total, g.units.length) - drawnUnits;
    if (omitted > 0) out.push(`    ${id("omitted", "n")}["${escapeLabel(`… ${omitted.toLocaleString("en-US")} more ${g.compact ? "services" : "hosts"} not drawn (Mermaid renders at most ${MERMAID_MAX_TEXT.toLocaleString("en-US")} characters and ${MERMAID_MAX_EDGES} edges)`)}"]`);
    out.push(...edgeLines);

    for (const n of [...g.nodes, ...g.groups]) {
        const m = topMark(n.marks);
        if (m && emitted.has(n.key)) nodeMarks.set(m, [...(nodeMarks.get(m) ?? []), ids.get(n.key)!]);
    }
    for (const [m, list] of nodeMarks) out.push(`    classDef ${m} ${CLASSES[m]}`, `    class ${list.join(",")} ${m}`);
    for (const m of PRIORITY) {
        const idx = linkMarks.filter((x) => x.mark === m).map((x) => x.index);
        if (idx.length) out.push(`    linkStyle ${idx.join(",")} ${LINK_STYLES[m]}`);
    }
    return { text: out.join("\n") + "\n", omitted, edges: edgeLines.length };
}
