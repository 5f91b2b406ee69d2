/**
 * npm run analyze -- <stack> | --file <stack.yaml> [--stack <name>] [--json]
 *
 * Validates and analyzes a stack's mesh offline — Istio's CRD schemas, its webhook's rules and
 * cross-resource analyzers (istioctl analyze / Kiali codes and the course's traps) — and prints the
 * findings as a table (or JSON). Exit 1 on any error (or invalid config), 0 otherwise.
 */
import { hasErrors } from "../analysis";
import { checkStackFile } from "../analysis/gate";
import { findingsTable } from "../analysis/table";
import { booleanOption, Parsed, stringOption } from "../cli/commandLine";
import type { Context } from "../cli/run";
import { stackOrFile } from "../cli/stacks";

export async function analyzeCommand(p: Parsed, ctx: Context): Promise<number> {
    const { file, stack } = stackOrFile(ctx.projectRoot, { positional: p.positionals[0], stack: stringOption(p, "stack"), file: stringOption(p, "file") });
    // The same gate as `pulumi up` and render, reporting every finding instead of stopping at the errors.
    const { findings } = await checkStackFile(file, stack, { throwOnErrors: false });
    ctx.io.out(booleanOption(p, "json") ? `${JSON.stringify(findings, null, 2)}\n` : findingsTable(findings));
    return hasErrors(findings) ? 1 : 0;
}

if (require.main === module) (require("../cli/main") as typeof import("../cli/main")).main(["analyze", ...process.argv.slice(2)]);
