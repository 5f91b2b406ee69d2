/**
 * npm run analyze -- <stack> | --file <stack.yaml> [--stack <name>] [--json]
 *
 * Validates and analyzes a stack's mesh offline — Istio's CRD schemas, its webhook's rules and
 * cross-resource analyzers (istioctl analyze / Kiali codes and the course's traps) — and prints the
 * findings one per line as istioctl analyze does (or JSON). Exit 1 on any error (or invalid config), 0 otherwise.
 */
import { booleanOption, Parsed, stringOption } from "../cli/commandLine";
import { shownPath } from "../cli/paths";
import type { Command, Context } from "../cli/run";
import { stackOrFile } from "../cli/stacks";
import type * as Analysis from "../analysis";
import type * as Gate from "../analysis/gate";
import type * as Table from "../analysis/table";
import { stackFileOptions, stackPositional } from "./options";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const analysis = () => require("../analysis") as typeof Analysis;
const gate = () => require("../analysis/gate") as typeof Gate;
const table = () => require("../analysis/table") as typeof Table;

export const analyze: Command = {
    spec: {
        name: "analyze",
        summary: "Checks a stack offline, as the program does before registering anything: config, Istio's CRD schemas, its webhook's rules, cross-resource analyzers. Prints the findings.",
        positionals: stackPositional,
        options: { ...stackFileOptions, json: { type: "boolean", description: "print the findings as JSON (what preview/diff --findings read)" } },
    },
    run: (p, ctx) => analyzeCommand(p, ctx),
};

/** What was analysed, as the closing line names it: `stack dev`, or `12-fault-abort.yaml (read as stack dev)`. */
export function analysedName(o: { stack: string; file: string; fromFileOption: boolean }, env: Record<string, string | undefined>): string {
    return o.fromFileOption ? `${shownPath(o.file, env)} (read as stack ${o.stack})` : `stack ${o.stack}`;
}

export async function analyzeCommand(p: Parsed, ctx: Context): Promise<number> {
    const { file, stack } = stackOrFile(ctx.projectRoot, { positional: p.positionals[0], stack: stringOption(p, "stack"), file: stringOption(p, "file") }, ctx.env);
    // The same gate as `pulumi up` and render, reporting every finding instead of stopping at the errors.
    const { findings } = await gate().checkStackFile(file, stack, { throwOnErrors: false });
    const analysed = analysedName({ stack, file, fromFileOption: stringOption(p, "file") !== undefined }, ctx.env);
    ctx.io.out(booleanOption(p, "json") ? `${JSON.stringify(findings, null, 2)}\n` : table().findingsReport(findings, analysed));
    return analysis().hasErrors(findings) ? 1 : 0;
}
