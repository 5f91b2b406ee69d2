/** Findings as a plain-text table (analyze) — code, severity, resource, path, message, fix. */
import type { Finding } from "./finding";

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function sortFindings(fs: Finding[]): Finding[] {
    return [...fs].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.code.localeCompare(b.code) || a.resource.localeCompare(b.resource) || a.path.localeCompare(b.path));
}

export function findingsTable(fs: Finding[]): string {
    if (fs.length === 0) return "No findings: the mesh config passes schema, webhook and analyzer checks.\n";
    const head = ["CODE", "SEVERITY", "RESOURCE", "PATH", "MESSAGE / FIX"];
    // The config path first: it is what the user edits. A downgradable error says how to accept it.
    const rows = sortFindings(fs).map((f) => [f.code, f.severity, f.resource, f.path, `${f.configPath ? `${f.configPath}: ` : ""}${f.message}`, `${f.fix}${f.downgrade ? `; to accept it: ${f.downgrade}` : ""}`]);
    const width = [0, 1, 2, 3].map((i) => Math.max(head[i].length, ...rows.map((r) => r[i].length)));
    const cells = (r: string[]) => r.slice(0, 4).map((c, i) => c.padEnd(width[i])).join("  ");
    const indent = " ".repeat(width.reduce((a, b) => a + b + 2, 0));
    // Message and fix are prose: the fix goes on its own line under the message, so both stay readable.
    const lines = [`${cells(head)}  ${head[4]}`, ...rows.flatMap((r) => [`${cells(r)}  ${r[4]}`, `${indent}fix: ${r[5]}`])];
    const errors = fs.filter((f) => f.severity === "error").length;
    const warnings = fs.filter((f) => f.severity === "warning").length;
    return [...lines, "", `${errors} error(s), ${warnings} warning(s)`, ""].join("\n");
}
