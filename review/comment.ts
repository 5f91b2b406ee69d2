/**
 * The pull-request comment body for a ChangeSet: a summary line, each resource's change with its
 * property-level details, replacements flagged, the analyzer's findings appended, and the whole kept
 * under GitHub's 65,536-character limit for a comment (with a note saying what was left out). Pure.
 */
import { diagramMarkdown } from "../diagram";
import type { ChangeOp, ChangeSet, ResourceChange } from "./changes";

/** GitHub rejects a comment body longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65536;

/** A finding of the analyzer (`npm run analyze`), as it reports them. */
export interface Finding {
    code: string;
    severity: "error" | "warning" | "info";
    resource: string;
    path: string;
    message: string;
    fix: string;
}

/** The hidden first line of each stack's comment, by which the workflow finds and edits its previous one. */
export const previewMarker = (stack: string) => `<!-- istio-mesh:preview:${stack} -->`;
export const diffMarker = (stack: string) => `<!-- istio-mesh:diff:${stack} -->`;

export interface CommentOptions {
    /** Hidden first line; the workflow finds its previous comment by it and edits that one in place. */
    marker: string;
    heading: string;
    /** One line under the heading: what was compared, how to reproduce. */
    subtitle?: string;
    findings?: Finding[];
    /**
     * Mermaid source of the traffic after the change (diagram/ `diagramDiff`), shown under the
     * resource changes in a ```mermaid block. Left out first when the comment would be too long.
     */
    diagram?: string;
    limit?: number;
}

const OPS: ChangeOp[] = ["create", "update", "replace", "delete"];

export function summaryText(set: ChangeSet): string {
    const n = (op: ChangeOp) => set.changes.filter((c) => c.op === op).length;
    return `**${OPS.map((op) => `${n(op)} to ${op}`).join(", ")}** (${set.unchanged} unchanged)`;
}

/** Inline code that survives any text (backticks inside are replaced). */
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function resourceLines(c: ResourceChange): string[] {
    const flag = c.op === "replace" ? ` ⚠️ replacement${c.replaceBecause?.length ? `, forced by ${c.replaceBecause.map(code).join(", ")}` : ""}` : "";
    return [`- **${c.op}** ${code(c.title)}${flag}`, ...c.details.map((d) => `  - ${code(d)}`)];
}

function findingLines(findings: Finding[]): string[] {
    if (findings.length === 0) return ["", "### Analyzer findings", "", "None."];
    const order = { error: 0, warning: 1, info: 2 } as const;
    return [
        "",
        `### Analyzer findings (${findings.length})`,
        "",
        ...[...findings]
            .sort((a, b) => order[a.severity] - order[b.severity])
            .map((f) => `- **${f.severity}** ${code(f.code)} ${code(f.resource)} at ${code(f.path)}: ${f.message} — fix: ${f.fix}`),
    ];
}

/** Takes lines while they fit in `budget` characters (each counted with its newline). */
function take(lines: string[], budget: number): { kept: string[]; dropped: number } {
    let used = 0;
    const kept: string[] = [];
    for (const l of lines) {
        if (used + l.length + 1 > budget) break;
        kept.push(l);
        used += l.length + 1;
    }
    return { kept, dropped: lines.length - kept.length };
}

const size = (lines: string[]) => lines.reduce((n, l) => n + l.length + 1, 0);

export function commentMarkdown(set: ChangeSet, o: CommentOptions): string {
    const limit = o.limit ?? GITHUB_COMMENT_LIMIT;
    const head = [o.marker, `## ${o.heading}`, ...(o.subtitle ? ["", o.subtitle] : []), "", summaryText(set), ""];
    const body = set.changes.length ? set.changes.flatMap(resourceLines) : ["No resource changes."];
    const tail = o.findings ? findingLines(o.findings) : [];
    const picture = o.diagram ? ["", diagramMarkdown(o.diagram, { heading: "Traffic after this change" }).trimEnd()] : [];
    const full = [...head, ...body, ...picture, ...tail];
    if (size(full) <= limit) return full.join("\n") + "\n";
    // The picture goes first: the resource changes and findings say the same in words.
    if (picture.length) {
        const without = [...head, ...body, "", "_The traffic diagram is left out: the comment would exceed GitHub's limit. `npm run render -- <stack> --graph` prints it._", ...tail];
        if (size(without) <= limit) return without.join("\n") + "\n";
    }

    // Too long: findings are kept (they are short and matter most), details are cut at the end.
    const noteRoom = 300;
    const tailKept = take(tail, Math.max(0, Math.floor((limit - size(head) - noteRoom) / 2)));
    const bodyKept = take(body, limit - size(head) - size(tailKept.kept) - noteRoom);
    const dropped = bodyKept.dropped + tailKept.dropped;
    const note = [
        "",
        `> ✂️ Trimmed: ${dropped} more line${dropped === 1 ? "" : "s"} not shown (GitHub limits a comment to ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")} characters). The workflow log has the full output.`,
    ];
    return [...head, ...bodyKept.kept, ...note, ...tailKept.kept].join("\n") + "\n";
}
