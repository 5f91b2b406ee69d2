/** The pins table (text) and its JSON form. Pure. */
import { Artifact, artifactLabel, InventoryNote } from "./artifacts";
import type { Checked, CheckSummary } from "./check";

function table(header: string[], rows: string[][]): string[] {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
    return [line(header), ...rows.map(line)];
}

const stacksOf = (a: Artifact) => a.stacks.join(",");

/** Where the artifact comes from, short: a chart's repository, an image's registry and who pulls it, a download's URL. */
function where(a: Artifact): string {
    if (a.kind === "image" && a.image) return `${a.image.registry} (${a.image.puller === "host" ? "this machine's Docker" : "the nodes"})`;
    return a.location;
}

/** Status table: one row per artifact; under every row that is not found, what happened and why the lab needs it. */
export function checkTable(checked: Checked[], notes: InventoryNote[]): string {
    const lines: string[] = [];
    const rows = checked.map((c) => [c.verdict.status, c.artifact.kind, artifactLabel(c.artifact), where(c.artifact), stacksOf(c.artifact)]);
    const body = table(["STATUS", "KIND", "ARTIFACT", "WHERE", "STACKS"], rows);
    lines.push(body[0]);
    checked.forEach((c, i) => {
        lines.push(body[i + 1]);
        if (c.verdict.status !== "found") {
            lines.push(`    ${c.verdict.detail}`);
            lines.push(`    needed for: ${c.artifact.why}${c.artifact.approximate ? ` (listed ${c.artifact.approximate})` : ""}`);
        }
    });
    return [...lines, ...notesText(notes)].join("\n") + "\n";
}

/** The inventory alone (`--list`): what each artifact is for. */
export function inventoryTable(artifacts: Artifact[], notes: InventoryNote[]): string {
    const rows = artifacts.map((a) => [a.kind, artifactLabel(a), where(a), stacksOf(a), `${a.why}${a.approximate ? ` (listed ${a.approximate})` : ""}`]);
    return [...table(["KIND", "ARTIFACT", "WHERE", "STACKS", "WHY"], rows), ...notesText(notes)].join("\n") + "\n";
}

function notesText(notes: InventoryNote[]): string[] {
    if (notes.length === 0) return [];
    return ["", "not fully known:", ...notes.map((n) => `  ${n.stack}: ${n.text}`)];
}

export function checkJson(checked: Checked[], notes: InventoryNote[], summary: CheckSummary): string {
    return (
        JSON.stringify(
            {
                summary: { exitCode: summary.code, offline: summary.offline, ...summary.counts },
                artifacts: checked.map((c) => ({ ...c.artifact, status: c.verdict.status, detail: c.verdict.detail, ...(c.verdict.now ? { now: c.verdict.now } : {}) })),
                notes,
            },
            null,
            2,
        ) + "\n"
    );
}

export function summaryLine(summary: CheckSummary, total: number, stacks: string[]): string {
    const c = summary.counts;
    return `pins: ${total} artifacts of stack${stacks.length === 1 ? "" : "s"} ${stacks.join(", ")}: ${c.found} found, ${c.missing} missing, ${c.moved} moved, ${c.error} could not be checked`;
}
