/**
 * Two traffic graphs of one stack (before and after a change) as one: the graph after the change,
 * with what changed marked. A changed edge reads `v2 10 % → 25 %`; a new node or edge says so; a
 * removed edge between nodes that remain is drawn dashed as `removed`; removed nodes are listed in
 * one note. Pure.
 */
import { edgeKey, GEdge, GGroup, GNode, Graph, Mark } from "./model";

const MAX_WAS = 3;
const MAX_REMOVED = 8;

function mark(x: { marks: Mark[] }, m: Mark): void {
    if (!x.marks.includes(m)) x.marks.push(m);
}

/** A rule's number is its position, not its content: `· rule 2` becoming `· rule 3` is no change. */
const norm = (l: string) => l.replace(/ · rule \d+$/, "");
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => norm(x) === norm(b[i]));

/** Lines that changed, as `was …` lines under the new label. */
function wasLines(before: string[], after: string[]): string[] {
    const now = new Set(after.map(norm));
    const gone = before.filter((l) => !now.has(norm(l)));
    const shown = gone.slice(0, MAX_WAS).map((l) => `was: ${l}`);
    return gone.length > MAX_WAS ? [...shown, `… and ${gone.length - MAX_WAS} more`] : shown;
}

function markNode<T extends GNode | GGroup>(after: T, before: T | undefined): T {
    const out = { ...after, lines: [...after.lines], marks: [...after.marks] };
    if (!before) {
        out.lines.push("(new)");
        mark(out, "added");
    } else if (!same(before.lines, after.lines)) {
        const was = wasLines(before.lines, after.lines);
        out.lines.push(...(was.length ? was : ["(changed)"]));
        mark(out, "changed");
    }
    return out;
}

/**
 * A split compared subject by subject: `v2 10 % → 25 %`, unchanged destinations as they were, `new: v3 5 %`,
 * `removed: v3 5 %`. Any other label: `old → new`.
 */
function changedLabel(before: GEdge, after: GEdge): string[] {
    if (before.subjects && after.subjects) {
        const rest = (line: string, subject: string) => (line.startsWith(`${subject} `) ? line.slice(subject.length + 1) : line);
        const was = new Map(before.lines.map((l, i) => [before.subjects![i], l]));
        const out = after.lines.map((l, i) => {
            const subject = after.subjects![i];
            const b = was.get(subject);
            was.delete(subject);
            if (b === undefined) return `new: ${l}`;
            return b === l ? l : `${subject} ${rest(b, subject)} → ${rest(l, subject)}`;
        });
        return [...out, ...[...was.values()].map((l) => `removed: ${l}`)];
    }
    const b = before.lines.join(" · ") || "(no label)";
    const a = after.lines.join(" · ") || "(no label)";
    return [`${b} → ${a}`];
}

export interface GraphDiff {
    graph: Graph;
    /** Nodes, groups and edges added, changed or removed. */
    changes: number;
}

export function diffGraphs(before: Graph, after: Graph): GraphDiff {
    let changes = 0;
    const bNodes = new Map(before.nodes.map((n) => [n.key, n]));
    const bGroups = new Map(before.groups.map((n) => [n.key, n]));
    const bEdges = new Map(before.edges.map((e) => [edgeKey(e), e]));
    const count = <T extends { marks: Mark[] }>(x: T): T => {
        if (x.marks.some((m) => m === "added" || m === "changed" || m === "removed")) changes++;
        return x;
    };
    const nodes = after.nodes.map((n) => count(markNode(n, bNodes.get(n.key))));
    const groups = after.groups.map((g) => count(markNode(g, bGroups.get(g.key))));
    const edges: GEdge[] = after.edges.map((e) => {
        const old = bEdges.get(edgeKey(e));
        const out: GEdge = { ...e, lines: [...e.lines], marks: [...e.marks] };
        if (!old) {
            out.lines = [`new${e.lines.length ? `: ${e.lines.join(" · ")}` : ""}`];
            out.style = "thick";
            mark(out, "added");
        } else if (!same(old.lines, e.lines)) {
            out.lines = changedLabel(old, e);
            out.style = "thick";
            mark(out, "changed");
        }
        return count(out);
    });
    const present = new Set([...nodes.map((n) => n.key), ...groups.map((g) => g.key)]);
    const afterEdges = new Set(after.edges.map(edgeKey));
    for (const e of before.edges) {
        if (afterEdges.has(edgeKey(e)) || !present.has(e.from) || !present.has(e.to)) continue;
        edges.push(count({ ...e, lines: [`removed${e.lines.length ? `: ${e.lines.join(" · ")}` : ""}`], style: "dashed", marks: ["removed"] }));
    }
    const gone = [...before.nodes.filter((n) => !present.has(n.key)), ...before.groups.filter((g) => !present.has(g.key))];
    if (gone.length) {
        changes += gone.length;
        const names = gone.slice(0, MAX_REMOVED).map((n) => n.lines[0]);
        nodes.push({ key: "removed", shape: "note", lines: ["removed:", ...names, ...(gone.length > MAX_REMOVED ? [`… and ${gone.length - MAX_REMOVED} more`] : [])], marks: ["removed"] });
    }
    const units = [...after.units, ...before.units.filter((u) => !after.units.includes(u))];
    return { graph: { nodes, edges, groups, units, total: Math.max(after.total, units.length), compact: after.compact }, changes };
}
