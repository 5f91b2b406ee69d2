/**
 * npm run pins [<stack>…] [--json] [--list] [--concurrency N] [--timeout S]
 *
 * Is every artifact the stacks pin still there? Builds each stack's inventory (supplychain/inventory.ts)
 * from its validated config and plan, then asks, in parallel with a bound and a deadline per request,
 * each Helm repository, OCI registry and download server (supplychain/check.ts). Prints one row per artifact:
 * found / missing / moved / error(why). Exit 0 all found; 1 something missing or moved; 2 something
 * could not be checked (rate limit, server error, no network) and nothing is known missing.
 */
import { booleanOption, intOption, Parsed } from "../cli/commandLine";
import { UsageError } from "../cli/errors";
import type { Command, Context } from "../cli/run";
import { listStacks, resolveStack } from "../cli/stacks";
import type * as Parse from "../config/parse";
import type * as StackConfig from "../config/stackConfig";
import type * as Plan from "../mesh/plan";
import type * as Preflight from "../preflight/preflight";
import type * as Artifacts from "../supplychain/artifacts";
import type * as Check from "../supplychain/check";
import type { Checked } from "../supplychain/check";
import type * as Http from "../supplychain/http";
import type { Fetch } from "../supplychain/http";
import type * as Inventory from "../supplychain/inventory";
import type { StackInventory, ToolPins } from "../supplychain/inventory";
import type * as Report from "../supplychain/report";
import type * as ToolPinsOf from "../supplychain/toolPins";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const parse = () => require("../config/parse") as typeof Parse;
const stackConfig = () => require("../config/stackConfig") as typeof StackConfig;
const plan = () => require("../mesh/plan") as typeof Plan;
const preflight = () => require("../preflight/preflight") as typeof Preflight;
const artifactsOf = () => require("../supplychain/artifacts") as typeof Artifacts;
const check = () => require("../supplychain/check") as typeof Check;
const http = () => require("../supplychain/http") as typeof Http;
const inventory = () => require("../supplychain/inventory") as typeof Inventory;
const report = () => require("../supplychain/report") as typeof Report;
const toolPins = () => require("../supplychain/toolPins") as typeof ToolPinsOf;

export const pins: Command = {
    spec: {
        name: "pins",
        summary: "Is every artifact the stacks pin still there? Lists each stack's Helm charts, images (the program's and the charts'), k3s/k3d images, the Pulumi CLI and plugins, and asks each repository, registry and download server: found / missing / moved / error.",
        positionals: [{ name: "<stack>", description: "stacks to check (default: every Pulumi.<stack>.yaml here)", optional: true, variadic: true }],
        options: {
            json: { type: "boolean", description: "print the artifacts and their status as JSON" },
            list: { type: "boolean", description: "print the inventory only (what each artifact is for); no network" },
            concurrency: { type: "string", value: "<n>", description: "requests in flight at once, 1 to 64", default: "8" },
            timeout: { type: "string", value: "<seconds>", description: "deadline of each request, 1 to 300", default: "15" },
        },
        notes: [
            "Requests go where ISTIO_MESH_PINS_REGISTRY_OVERRIDE routes their host: <host>=<base URL>, comma-separated (e.g. registry-1.docker.io=https://mirror.example.com); docs/pins.md.",
            "exit codes here: 0 all found; 1 something missing or moved; 2 something could not be checked (rate limit, no network) and nothing is known missing",
        ],
    },
    run: (p, ctx) => pinsCommand(p, ctx),
};

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
    const { projectValues, readStackFile } = stackConfig();
    const flat = readStackFile(file);
    const cfg = parse().parseConfig(projectValues(flat.values), stack, { secretKeys: flat.secretKeys });
    return inventory().stackInventory(cfg, plan().buildPlan(cfg), tools);
}

export async function pinsCommand(p: Parsed, ctx: Context, deps: Partial<PinsDeps> = {}): Promise<number> {
    const spec = pins.spec;
    const { OVERRIDE_ENV, parseRoutes } = http();
    const { Checker, mapBounded, summarize } = check();
    const { checkJson, checkTable, inventoryTable, summaryLine } = report();
    const concurrency = intOption(spec, p, "concurrency", DEFAULT_CONCURRENCY, { min: 1, max: 64 });
    const timeoutMs = intOption(spec, p, "timeout", DEFAULT_TIMEOUT_SECONDS, { min: 1, max: 300 }) * 1000;
    const routes = parseRoutes(ctx.env[OVERRIDE_ENV]);
    if ("problem" in routes) throw new UsageError(routes.problem);

    const stacks = p.positionals.length ? [...new Set(p.positionals)] : listStacks(ctx.projectRoot);
    if (stacks.length === 0) throw new UsageError(`no stacks in ${ctx.projectRoot} (no Pulumi.<stack>.yaml)`);
    const tools = deps.tools ?? toolPins().installedToolPins(ctx.projectRoot, preflight().K3D_SUPPORTED.tested);
    const { artifacts, notes } = inventory().mergeInventories(stacks.map((s) => inventoryOfStack(ctx.projectRoot, s, tools)));

    if (booleanOption(p, "list")) {
        ctx.io.out(booleanOption(p, "json") ? `${JSON.stringify({ artifacts, notes }, null, 2)}\n` : inventoryTable(artifacts, notes));
        return 0;
    }

    const fetch: Fetch = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
    const checker = new Checker({ fetch, routes, timeoutMs });
    const total = artifacts.length;
    ctx.io.err(`pins: checking ${total} artifacts of ${stacks.join(", ")} (${concurrency} at a time, ${timeoutMs / 1000} s per request)…\n`);
    const verdicts = await mapBounded(artifacts, concurrency, (a) => checker.check(a), (a, v, done) => {
        ctx.io.err(`pins: [${String(done).padStart(String(total).length)}/${total}] ${v.status.padEnd(7)} ${a.kind} ${artifactsOf().artifactLabel(a)}\n`);
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
