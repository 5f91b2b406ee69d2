/**
 * npm run analyze -- <stack> | --file <stack.yaml> [--stack <name>] [--json]
 *
 * Validates and analyzes a stack's mesh offline — Istio's CRD schemas, its webhook's rules and
 * cross-resource analyzers (istioctl analyze / Kiali codes and the course's traps) — and prints the
 * findings one per line as istioctl analyze does (or JSON). Exit 1 on any error (or invalid config), 0 otherwise.
 */
import { hasErrors } from "../analysis";
import { checkStackFile } from "../analysis/gate";
import { findingsReport } from "../analysis/table";
import { booleanOption, Parsed, stringOption } from "../cli/commandLine";
import type { Context } from "../cli/run";
import { shownPath } from "../cli/paths";
import { stackOrFile } from "../cli/stacks";

/** What was analysed, as the closing line names it: `stack dev`, or `12-fault-abort.yaml (read as stack dev)`. */
export function analysedName(o: { stack: string; file: string; fromFileOption: boolean }, env: Record<string, string | undefined>): string {
    return o.fromFileOption ? `${shownPath(o.file, env)} (read as stack ${o.stack})` : `stack ${o.stack}`;
}

export async function analyzeCommand(p: Parsed, ctx: Context): Promise<number> {
    const { file, stack } = stackOrFile(ctx.projectRoot, { positional: p.positionals[0], stack: stringOption(p, "stack"), file: stringOption(p, "file") }, ctx.env);
    // The same gate as `pulumi up` and render, reporting every finding instead of stopping at the errors.
    const { findings } = await checkStackFile(file, stack, { throwOnErrors: false });
    const analysed = analysedName({ stack, file, fromFileOption: stringOption(p, "file") !== undefined }, ctx.env);
    ctx.io.out(booleanOption(p, "json") ? `${JSON.stringify(findings, null, 2)}\n` : findingsReport(findings, analysed));
    return hasErrors(findings) ? 1 : 0;
}

if (require.main === module) (require("../cli/main") as typeof import("../cli/main")).main(["analyze", ...process.argv.slice(2)]);
