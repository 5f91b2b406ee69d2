/**
 * Findings as `istioctl analyze` prints them, one line each —
 * `Error [IST0101] (VirtualService default/reviews istio-mesh:services.reviews) Referenced host not found: "x"` —
 * with where to look in the parentheses (the stack config path, which is what the user edits, where
 * istioctl puts the file and line), and this project's fix on an indented line under it.
 */
import type { Finding, Severity } from "./finding";

const ORDER = { error: 0, warning: 1, info: 2 } as const;

const WORD: Record<Severity, string> = { error: "Error", warning: "Warning", info: "Info" };

export function sortFindings(fs: Finding[]): Finding[] {
    return [...fs].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.code.localeCompare(b.code) || a.resource.localeCompare(b.resource) || a.path.localeCompare(b.path));
}

/** `Error [IST0173] (DestinationRule default/nginx-dr istio-mesh:services.nginx-service.subsets.v2) subset "v2" selects …` */
export function findingLine(f: Finding): string {
    const where = f.configPath ?? f.path;
    return `${WORD[f.severity]} [${f.code}] (${f.resource}${where && where !== f.resource ? ` ${where}` : ""}) ${f.message}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 || word === "info" ? "" : "s"}`;

/**
 * Every finding in istioctl's shape, most severe first, each with its fix, and a closing line naming
 * what was analysed (`stack dev`, or a file and the stack it was read as).
 */
export function findingsReport(fs: Finding[], analysed: string): string {
    if (fs.length === 0) return `✔ No validation issues found when analyzing ${analysed}.\n`;
    const lines = sortFindings(fs).flatMap((f) => [findingLine(f), `    fix: ${f.fix}`, ...(f.downgrade ? [`    to accept it: ${f.downgrade}`] : [])]);
    const count = (s: Severity) => fs.filter((f) => f.severity === s).length;
    const tally = [plural(count("error"), "error"), plural(count("warning"), "warning"), plural(count("info"), "info")].join(", ");
    const close = count("error") ? `Error: Analyzers found issues when analyzing ${analysed}: ${tally}.` : `Analyzers found issues when analyzing ${analysed}: ${tally} (no errors: nothing stops a deploy).`;
    return [...lines, close, ""].join("\n");
}
