/**
 * npm run analyze -- <stack> | --file <stack.yaml> [--stack <name>]
 *
 * Validates and analyzes a stack's mesh offline — Istio's CRD schemas, its webhook's rules and
 * cross-resource analyzers (istioctl analyze / Kiali codes and the course's traps) — and prints the
 * findings as a table. Exit 1 on any error (or invalid config), 0 otherwise.
 */
import { checkPlan, hasErrors } from "../analysis";
import { findingsTable } from "../analysis/table";
import { parseConfig } from "../config/parse";
import { ConfigError } from "../config/reader";
import { projectValues, readStackFile } from "../config/stackConfig";
import { buildPlan } from "../mesh/plan";
import { stackFileArgs } from "./stackArgs";

async function main(): Promise<number> {
    const { file, stack } = stackFileArgs(process.argv.slice(2), "usage: npm run analyze -- <stack> | --file <path to a stack yaml> [--stack <name>]");
    const config = parseConfig(projectValues(readStackFile(file).values), stack);
    const findings = await checkPlan(config, buildPlan(config));
    process.stdout.write(findingsTable(findings));
    return hasErrors(findings) ? 1 : 0;
}

main().then(
    (code) => process.exit(code),
    (err: unknown) => {
        process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    },
);
