/**
 * npm run pins [<stack>…] [--json] [--list] [--concurrency N] [--timeout S]
 *
 * Is every artifact the stacks pin still there? Builds each stack's inventory (inventory.ts) from its
 * validated config and plan, then asks, in parallel with a bound and a deadline per request, each
 * Helm repository, OCI registry and download server (check.ts). Prints one row per artifact:
 * found / missing / moved / error(why). Exit 0 all found; 1 something missing or moved; 2 something
 * could not be checked (rate limit, server error, no network) and nothing is known missing.
 */
import { K3D_SUPPORTED } from "../automation/preflight";
import { booleanOption, intOption, Parsed } from "../cli/commandLine";
import { commands } from "../cli/commands";
import { UsageError } from "../cli/errors";
import type { Context } from "../cli/run";
import { listStacks, resolveStack } from "../cli/stacks";
import { parseConfig } from "../config/parse";
import { projectValues, readStackFile } from "../config/stackConfig";
import { buildPlan } from "../mesh/plan";
import { artifactLabel } from "./artifacts";
import { Checked, Checker, mapBounded, summarize } from "./check";
import { Fetch, OVERRIDE_ENV, parseRoutes } from "./http";
import { mergeInventories, StackInventory, stackInventory, ToolPins } from "./inventory";
import { checkJson, checkTable, inventoryTable, summaryLine } from "./report";
import { installedToolPins } from "./toolPins";

export interface PinsDeps {
    /** How requests go out (default: the global fetch at call time). */
    fetch: Fetch;
    /** The tool versions (default: what is installed in the project, k3d as tested). */
    tools: ToolPins;
}

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_TIMEOUT_SECONDS = 15;

/** A stack's inventory from its stack file, as `pulumi up` would plan it (secrets stay placeholders). */
export function inventoryOfStack(projectRoot: string, stack: string, tools: ToolPins): StackInventory {
    const { file } = resolveStack(projectRoot, stack, "stack");
    const flat = readStackFile(file);
    const cfg = parseConfig(projectValues(flat.values), stack, { secretKeys: flat.secretKeys });
    return stackInventory(cfg, buildPlan(cfg), tools);
}

export async function pinsCommand(p: Parsed, ctx: Context, deps: Partial<PinsDeps> = {}): Promise<number> {
    const spec = commands.find((c) => c.spec.name === "pins")!.spec;
    const concurrency = intOption(spec, p, "concurrency", DEFAULT_CONCURRENCY, { min: 1, max: 64 });
    const timeoutMs = intOption(spec, p, "timeout", DEFAULT_TIMEOUT_SECONDS, { min: 1, max: 300 }) * 1000;
    const routes = parseRoutes(ctx.env[OVERRIDE_ENV]);
    if ("problem" in routes) throw new UsageError(routes.problem);

    const stacks = p.positionals.length ? [...new Set(p.positionals)] : listStacks(ctx.projectRoot);
    if (stacks.length === 0) throw new UsageError(`no stacks in ${ctx.projectRoot} (no Pulumi.<stack>.yaml)`);
    const tools = deps.tools ?? installedToolPins(ctx.projectRoot, K3D_SUPPORTED.tested);
    const { artifacts, notes } = mergeInventories(stacks.map((s) => inventoryOfStack(ctx.projectRoot, s, tools)));

    if (booleanOption(p, "list")) {
        ctx.io.out(booleanOption(p, "json") ? `${JSON.stringify({ artifacts, notes }, null, 2)}\n` : inventoryTable(artifacts, notes));
        return 0;
    }

    const fetch: Fetch = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
    const checker = new Checker({ fetch, routes, timeoutMs });
    const total = artifacts.length;
    ctx.io.err(`pins: checking ${total} artifacts of ${stacks.join(", ")} (${concurrency} at a time, ${timeoutMs / 1000} s per request)…\n`);
    const verdicts = await mapBounded(artifacts, concurrency, (a) => checker.check(a), (a, v, done) => {
        ctx.io.err(`pins: [${String(done).padStart(String(total).length)}/${total}] ${v.status.padEnd(7)} ${a.kind} ${artifactLabel(a)}\n`);
    });
    const checked: Checked[] = artifacts.map((artifact, i) => ({ artifact, verdict: verdicts[i] }));
    const summary = summarize(checked);
    ctx.io.out(booleanOption(p, "json") ? checkJson(checked, notes, summary) : checkTable(checked, notes));
    ctx.io.err(`${summaryLine(summary, total, stacks)}\n`);
    // The last line is the verdict (CI puts it in the job summary).
    if (summary.offline) {
        const reason = (checked.find((c) => c.verdict.unreachable && c.verdict.status === "error") ?? checked.find((c) => c.verdict.unreachable))?.verdict.detail ?? "";
        ctx.io.err(`pins: cannot check: no network (no host answered; e.g. ${reason})${summary.counts.moved ? `; the ${summary.counts.moved} at retired locations are known without asking` : ""}\n`);
    } else if (summary.code === 2) {
        const reasons = [...new Set(checked.filter((c) => c.verdict.status === "error").map((c) => c.verdict.detail.replace(/ answering for .*$/, "")))];
        ctx.io.err(`pins: could not check ${summary.counts.error} artifact${summary.counts.error === 1 ? "" : "s"}: ${reasons.slice(0, 3).join("; ")}${reasons.length > 3 ? "; …" : ""}\n`);
    }
    return summary.code;
}
