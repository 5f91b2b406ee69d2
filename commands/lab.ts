/**
 * npm run lab -- list | plan | run: the course, lesson by lesson (lab/). This module is the bare `lab`
 * (which subcommand?) and the options the three subcommands share; each subcommand is its own module
 * (labList.ts, labPlan.ts, labRun.ts).
 */
import { booleanOption, CommandSpec, intOption, Parsed, stringOption, usageError } from "../cli/commandLine";
import { UsageError } from "../cli/errors";
import type { Command, Context } from "../cli/run";
import { closest } from "../config/suggest";
import type * as Course from "../lab/course";
import type { LabOptions, LabSubcommand } from "../lab/course";
import { type MeshConfig, TRAFFIC_APIS, TrafficApi } from "../config/types";
import type * as Preflight from "../preflight/preflight";

const SUBCOMMANDS: LabSubcommand[] = ["list", "plan", "run"];

export const lab: Command = {
    spec: {
        name: "lab",
        summary: "The whole course, lesson by lesson: `lab list` (the lessons), `lab plan` (offline: what each lesson changes, its findings and checks), `lab run` (applied to the running lab and measured).",
        positionals: [{ name: "<list|plan|run>", description: "the subcommand (npm run lab -- <subcommand> --help for its options)", optional: true }],
        options: {},
    },
    run: (p, ctx) => labWithoutSubcommand(p, ctx),
};

/** `npm run lab` alone, or with a misspelt subcommand. */
export async function labWithoutSubcommand(p: Parsed, _ctx: Context): Promise<number> {
    const given = p.positionals[0];
    const guess = given ? closest(given, SUBCOMMANDS) : undefined;
    throw new UsageError(
        `${given ? `npm run lab: unknown subcommand ${JSON.stringify(given)}${guess ? ` (did you mean ${guess}?)` : ""}` : "npm run lab: which subcommand?"}\n` +
            `usage: npm run lab -- list | plan [options] | run [options]   (npm run lab -- <subcommand> --help)`,
    );
}

/** A subcommand's parsed options → the lab's options (`spec` names the subcommand in usage errors). */
export function labOptions(spec: CommandSpec, p: Parsed): LabOptions {
    const o: LabOptions = {};
    const str = (name: string, key: keyof LabOptions) => {
        const v = stringOption(p, name);
        if (v !== undefined) (o as Record<string, unknown>)[key] = v;
    };
    str("stack", "stack");
    str("from", "from");
    str("to", "to");
    str("only", "only");
    str("markdown", "markdown");
    str("report", "report");
    str("json", "json");
    str("ingress-url", "ingressUrl");
    str("context", "context");
    if (booleanOption(p, "bail")) o.bail = true;
    if (booleanOption(p, "keep")) o.keep = true;
    if (booleanOption(p, "skip-ok")) o.skipOk = true;
    const api = stringOption(p, "api");
    if (api !== undefined) {
        if (!(TRAFFIC_APIS as readonly string[]).includes(api)) throw usageError(spec, `--api ${api}: expected one of ${TRAFFIC_APIS.join(", ")}`);
        o.api = api as TrafficApi;
    }
    if (booleanOption(p, "compare-api")) o.compareApi = true;
    if (o.compareApi && o.api) throw usageError(spec, "--compare-api plans every lesson in both APIs: use it without --api");
    if (booleanOption(p, "compare-dataplane")) o.compareDataplane = true;
    const dataplane = stringOption(p, "dataplane");
    if (dataplane !== undefined) {
        if (dataplane !== "sidecar" && dataplane !== "ambient") throw usageError(spec, `--dataplane ${dataplane}: expected sidecar or ambient`);
        o.dataplane = dataplane;
    }
    if (stringOption(p, "samples") !== undefined) o.samples = intOption(spec, p, "samples", 200, { min: 20, max: 10000 });
    if (o.only !== undefined && (o.from !== undefined || o.to !== undefined)) throw usageError(spec, "--only runs one lesson: use it without --from and --to");
    return o;
}

/** Runs one subcommand through the lab (loaded only now, never for --help). */
export function runLab(sub: LabSubcommand, spec: CommandSpec, p: Parsed, ctx: Context): Promise<number> {
    const course = require("../lab/course") as typeof Course;
    return course.labCommand(sub, labOptions(spec, p), ctx.io, labDeps(ctx));
}

/** The lab's real dependencies, with `lab run`'s chart check: preflight's, as up runs it (the lab itself may not import preflight/). */
export function labDeps(ctx: Pick<Context, "io" | "env" | "projectRoot">): Course.LabDeps {
    const course = require("../lab/course") as typeof Course;
    const pinnedCharts = (cfg: MeshConfig) => {
        const pre = require("../preflight/preflight") as typeof Preflight;
        return pre.pinnedChartsPreflight(cfg, pre.realSystem(ctx.env, (l) => ctx.io.err(`${l}\n`)));
    };
    return { ...course.defaultDeps(ctx.io, ctx.env), pinnedCharts, root: ctx.projectRoot };
}
