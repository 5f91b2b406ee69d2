/** The analyzer's findings for a comment, from a file (`--findings <file.json>`) instead of running the analyzer. */
import * as fs from "fs";
import { UsageError } from "../cli/errors";
import { shownPath } from "../cli/paths";
import type { Finding } from "./comment";

/** Findings of the analyzer, from `--findings <file.json>` (a JSON list as `npm run analyze` reports them). */
export function readFindings(file: string, env: Record<string, string | undefined> = process.env): Finding[] {
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`--findings ${shownPath(file, env)}: ${e instanceof Error ? e.message : String(e)}; expected a JSON list of {code, severity, resource, path, message, fix}`);
    }
    const list = Array.isArray(doc) ? doc : (doc as { findings?: unknown })?.findings;
    const ok = (f: any) => f && ["code", "resource", "path", "message", "fix"].every((k) => typeof f[k] === "string") && ["error", "warning", "info"].includes(f.severity);
    if (!Array.isArray(list) || !list.every(ok)) throw new UsageError(`--findings ${shownPath(file, env)}: expected a JSON list of {code, severity: error|warning|info, resource, path, message, fix}`);
    return list as Finding[];
}
