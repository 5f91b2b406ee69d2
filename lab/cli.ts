/** `npm run lab -- list|plan|run` on the project's one command line (cli/commands.ts). */
import { intOption, Parsed, stringOption, booleanOption, usageError } from "../cli/commandLine";
import { commands } from "../cli/commands";
import type { Context } from "../cli/run";
import { closest } from "../config/suggest";
import { UsageError } from "../cli/errors";
import { defaultDeps, LabOptions, labCommand, LabSubcommand } from "./command";
import { TRAFFIC_APIS, TrafficApi } from "../config/types";

const SUBCOMMANDS: LabSubcommand[] = ["list", "plan", "run"];

/** `npm run lab` alone, or with a misspelt subcommand. */
export async function labWithoutSubcommand(p: Parsed, _ctx: Context): Promise<number> {
    const given = p.positionals[0];
    const guess = given ? closest(given, SUBCOMMANDS) : undefined;
    throw new UsageError(
        `${given ? `npm run lab: unknown subcommand ${JSON.stringify(given)}${guess ? ` (did you mean ${guess}?)` : ""}` : "npm run lab: which subcommand?"}\n` +
            `usage: npm run lab -- list | plan [options] | run [options]   (npm run lab -- <subcommand> --help)`,
    );
}

export function labOptions(sub: LabSubcommand, p: Parsed): LabOptions {
    const spec = commands.find((c) => c.spec.name === `lab ${sub}`)!.spec;
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

export function labCli(sub: LabSubcommand, p: Parsed, ctx: Context): Promise<number> {
    return labCommand(sub, labOptions(sub, p), ctx.io, { ...defaultDeps(ctx.io, ctx.env), root: ctx.projectRoot });
}
