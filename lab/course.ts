/**
 * The lab's `list | plan | run`, given their options (parsed by commands/lab*.ts). Exit codes: 0 success, 1 problems found
 * (a lesson not PASS, a plan with errors or a lesson `run` would refuse), 2 usage error or missing
 * prerequisite (unknown lesson id, no stack file, invalid stack config, no Pulumi stack to run on).
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../config/reader";
import { closest, editDistance } from "../config/suggest";
import { backendUrl, passphraseEnv } from "../engine/settings";
import { pulumiCli, pulumiCliDir } from "../engine/engine";
import { hostLoginEnv, hostLoginFor } from "../engine/dockerHubLogin";
import { PrerequisiteError, UsageError } from "../cli/errors";
import { shownPath } from "../cli/paths";
import type { ClusterKind, TrafficApi } from "../config/types";
import { ConfigMap, meshConfigOf, readScenario, readStackDoc, withTrafficApi } from "./compose";
import { compareCourse, compareMarkdown, compareProblems, compareText } from "./compare";
import type { LabEngine } from "./engine";
import { Lesson, LESSONS } from "./lessons";
import { defaultDescribe, defaultMeasure, Describe, labReachable, Measure } from "./measure";
import type { DataplaneMode, MeshConfig } from "../config/types";
import { dataplaneOf, onDataplaneConfig } from "./dataplanes";
import { compareDataplanes, comparisonMarkdown } from "./compareDataplane";
import { planCourse, planMarkdown, planProblems, planText } from "./plan";
import { openPulumiLabEngine, MissingStackError } from "./pulumiEngine";
import { reportJson, reportMarkdown, courseLine } from "./report";
import { exitCode, runCourse } from "./run";
import { resolveIngressUrl } from "../verify/deployed";

export type LabSubcommand = "list" | "plan" | "run";

export interface LabOptions {
    /** Stack whose own config the lessons are composed over. Default "dev". */
    stack?: string;
    from?: string;
    to?: string;
    only?: string;
    /** plan: write the plan as markdown to this file instead of text on stdout. */
    markdown?: string;
    /** run: also write the markdown report to this file. */
    report?: string;
    /** run: write the results as JSON to this file. */
    json?: string;
    /** run: stop at the first lesson that does not PASS. */
    bail?: boolean;
    /** run: a lesson that is SKIP (nothing it teaches is measurable) does not make the exit code 1. */
    skipOk?: boolean;
    /** run: leave the last lesson applied instead of the stack's own config. */
    keep?: boolean;
    /** run: where the ingress gateway answers, when not the k3d host port (cloud stacks). */
    ingressUrl?: string;
    /** run: kube context for verify, when not k3d-<cluster name>. */
    context?: string;
    /** run: requests per split check (verify's --samples). */
    samples?: number;
    /** plan: the data plane to plan the course on (default: the stack's); run: must be the running lab's. */
    dataplane?: DataplaneMode;
    /** plan: instead of the plan, the page comparing each lesson on sidecar and ambient (Markdown). */
    compareDataplane?: boolean;
    /** plan and run: the routing API the lessons are written in (default: the stack's own `trafficApi`). */
    api?: TrafficApi;
    /** plan: each lesson in both APIs side by side instead. */
    compareApi?: boolean;
}

export interface LabIo {
    out: (text: string) => void;
    err: (text: string) => void;
}

export interface LabDeps {
    /** Project root: Pulumi.<stack>.yaml and examples/scenarios/ are read from here. */
    root: string;
    lessons: readonly Lesson[];
    /** `cfg`: the stack's own config (the registry cache's login, engine/dockerHubLogin.ts). */
    engine: (o: { root: string; stack: string; clusterKind: ClusterKind; cfg: MeshConfig; log: (line: string) => void }) => Promise<LabEngine>;
    measure: (o: LabOptions) => Measure;
    describe: (o: LabOptions) => Describe;
    now: () => number;
    onInterrupt: (handler: () => void) => () => void;
    /** The running lab answers (API server, fortio pod with its sidecar), checked before the engine or a CLI install; a problem, or undefined. */
    reachable?: (cfg: MeshConfig, o: LabOptions) => Promise<string | undefined>;
    /**
     * run: the pinned charts are where their repositories say (preflight's check, as `up` runs it),
     * before the first lesson; throws a PrerequisiteError naming the artifact and the fix.
     */
    pinnedCharts?: (cfg: MeshConfig) => Promise<void>;
    /** The user's environment: npm's INIT_CWD, so the files written are named as the user typed them. */
    env?: Record<string, string | undefined>;
}

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Ctrl-C once: finish the step in flight and restore; twice: quit at once (the stack file is untouched either way). */
function sigint(io: LabIo): (handler: () => void) => () => void {
    return (handler) => {
        let count = 0;
        const on = () => {
            count++;
            if (count === 1) return handler();
            io.err("lab: quitting now. Pulumi.<stack>.yaml was never changed; the cluster may still run a lesson's config: `npm run up` returns to yours.\n");
            process.exit(1);
        };
        process.on("SIGINT", on);
        return () => process.off("SIGINT", on);
    };
}

export function defaultDeps(io: LabIo, env: Record<string, string | undefined> = process.env): LabDeps {
    return {
        root: PROJECT_ROOT,
        lessons: LESSONS,
        engine: async ({ root, stack, clusterKind, cfg, log }) => {
            const backend = backendUrl(env, root);
            // Each lesson is an up: the cache keeps the login up gave it (the user's docker login), else it would be re-created anonymously.
            const login = hostLoginFor(cfg, env, io.err);
            const envVars = { ...hostLoginEnv(login), PULUMI_BACKEND_URL: backend.url, ...passphraseEnv(env, stack, clusterKind) };
            return openPulumiLabEngine({ projectRoot: root, stack, envVars, log, pulumiCommand: await pulumiCli(pulumiCliDir(env, root), log) });
        },
        measure: (o) => defaultMeasure(o),
        reachable: (cfg, o) => labReachable(cfg, o),
        describe: (o) => defaultDescribe(o),
        now: () => Date.now(),
        onInterrupt: sigint(io),
        env,
    };
}

class LabUsage extends Error {}

/** A misspelt prefix (`16-prefx`): the one id whose start is nearest, within closest()'s tolerance. */
function closestByPrefix(word: string, ids: string[]): string | undefined {
    const w = word.toLowerCase();
    const scored = ids.map((id) => ({ id, d: editDistance(w, id.toLowerCase().slice(0, w.length)) })).sort((a, b) => a.d - b.d);
    const best = scored[0];
    const unique = best && (scored.length === 1 || scored[1].d > best.d);
    return unique && best.d <= Math.max(2, Math.floor(w.length / 3)) ? best.id : undefined;
}

/**
 * A lesson as the user names it: its number in `lab list` (1 to 19) or its id, whole or a prefix only
 * it has (`16-prefix`); a near miss gets "did you mean". Throws a usage error naming the flag.
 */
export function lessonIndex(lessons: readonly Lesson[], flag: string, given: string): number {
    const name = given.trim();
    const list = "(npm run lab -- list)";
    if (/^\d+$/.test(name)) {
        const n = Number(name);
        if (n >= 1 && n <= lessons.length) return n - 1;
        throw new LabUsage(`--${flag} ${given}: there is no lesson ${n}; they are numbered 1 to ${lessons.length} ${list}`);
    }
    const ids = lessons.map((l) => l.id.toLowerCase());
    const exact = ids.indexOf(name.toLowerCase());
    if (exact >= 0) return exact;
    const prefixed = ids.flatMap((id, i) => (id.startsWith(name.toLowerCase()) ? [i] : []));
    if (prefixed.length === 1) return prefixed[0];
    if (prefixed.length > 1) throw new LabUsage(`--${flag} ${given}: more than one lesson starts so: ${prefixed.map((i) => lessons[i].id).join(", ")}; give one ${list}`);
    const guess = closest(name, lessons.map((l) => l.id)) ?? closestByPrefix(name, lessons.map((l) => l.id));
    throw new LabUsage(
        `--${flag} ${given}: no such lesson${guess ? ` (did you mean ${guess}?)` : ""}; name one by its number (1 to ${lessons.length}) or its id: ` +
            `${lessons.map((l) => l.id).join(", ")} ${list}`,
    );
}

/** The lessons a run or plan covers: all, --only one, or --from/--to (inclusive); each by number or id. */
export function selectLessons(lessons: readonly Lesson[], o: Pick<LabOptions, "from" | "to" | "only">): Lesson[] {
    const index = (flag: string, id: string) => lessonIndex(lessons, flag, id);
    if (o.only !== undefined) {
        if (o.from !== undefined || o.to !== undefined) throw new LabUsage("--only runs one lesson: use it without --from and --to");
        return [lessons[index("only", o.only)]];
    }
    const from = o.from !== undefined ? index("from", o.from) : 0;
    const to = o.to !== undefined ? index("to", o.to) : lessons.length - 1;
    if (from > to) throw new LabUsage(`--from ${o.from} (lesson ${from + 1}, ${lessons[from].id}) comes after --to ${o.to} (lesson ${to + 1}, ${lessons[to].id}) in the course`);
    return lessons.slice(from, to + 1);
}

function write(io: LabIo, file: string, text: string, env: Record<string, string | undefined> = process.env): void {
    fs.writeFileSync(file, text);
    io.err(`lab: wrote ${shownPath(file, env)}\n`);
}

export function listText(lessons: readonly Lesson[]): string {
    const w = Math.max(...lessons.map((l) => l.id.length));
    return lessons.map((l, i) => `${String(i + 1).padStart(2)}. ${l.id.padEnd(w)}  ${l.title}  [${l.section}]`).join("\n") + "\n";
}

export async function labCommand(sub: LabSubcommand, opts: LabOptions, io: LabIo, deps: LabDeps): Promise<number> {
    try {
        if (sub === "list") {
            io.out(listText(deps.lessons));
            return 0;
        }
        const stack = opts.stack ?? "dev";
        const lessons = selectLessons(deps.lessons, opts);
        const stackFile = path.join(deps.root, `Pulumi.${stack}.yaml`);
        if (!fs.existsSync(stackFile)) throw new LabUsage(`--stack ${stack}: there is no Pulumi.${stack}.yaml in ${deps.root}`);
        const fileConfig: ConfigMap = readStackDoc(stackFile).config;
        const running = dataplaneOf(fileConfig);
        if (sub === "run" && opts.dataplane && opts.dataplane !== running) {
            throw new LabUsage(
                `--dataplane ${opts.dataplane}: the lab of stack ${stack} runs the ${running} data plane (Pulumi.${stack}.yaml), and a lesson must not change the platform. ` +
                    `Switch the stack first (istio-mesh:dataplane: ${opts.dataplane} in Pulumi.${stack}.yaml, then npm run up -- --stack ${stack}; docs/ambient.md), or plan it offline: npm run lab -- plan --dataplane ${opts.dataplane}`,
            );
        }
        if (opts.compareDataplane && sub !== "plan") throw new LabUsage("--compare-dataplane is an option of `lab plan`");
        if (opts.compareDataplane && (opts.dataplane || opts.compareApi)) throw new LabUsage("--compare-dataplane plans both data planes: use it without --dataplane or --compare-api");
        // The stack's own config must be valid before any lesson is composed over it.
        const declared = meshConfigOf(fileConfig, stack);
        // --api: the stack's config, and so every lesson composed over it, in that routing API.
        // plan --dataplane: the course as it would be on that data plane (the stack's own config, switched).
        const planned = sub === "plan" && opts.dataplane ? onDataplaneConfig(fileConfig, opts.dataplane) : fileConfig;
        const stackConfig = opts.api ? withTrafficApi(planned, opts.api) : planned;
        const own = stackConfig !== fileConfig ? meshConfigOf(stackConfig, stack) : declared;
        const scenarioOf = (l: Lesson) => readScenario(deps.root, l.scenario);

        if (sub === "plan" && opts.compareDataplane) {
            const c = await compareDataplanes({ stack, stackConfig, lessons, scenarioOf });
            const md = comparisonMarkdown(c);
            if (opts.markdown) write(io, opts.markdown, md, deps.env);
            else io.out(md);
            return 0;
        }

        if (sub === "plan" && opts.compareApi) {
            if (opts.api) throw new LabUsage("--compare-api plans every lesson in both APIs: use it without --api");
            const c = compareCourse({ stack, stackConfig, lessons, scenarioOf, indexOf: (l) => deps.lessons.indexOf(l) + 1 }, deps.describe(opts));
            if (opts.markdown) write(io, opts.markdown, compareMarkdown(c, deps.lessons.length), deps.env);
            else io.out(compareText(c, deps.lessons.length));
            const problems = compareProblems(c);
            for (const x of problems) io.err(`lab: ${x}\n`);
            return problems.length ? 1 : 0;
        }

        if (sub === "plan") {
            const p = await planCourse({ stack, stackConfig, lessons, scenarioOf }, deps.describe(opts), own);
            if (opts.markdown) write(io, opts.markdown, planMarkdown(p), deps.env);
            else io.out(planText(p));
            const problems = planProblems(p);
            for (const x of problems) io.err(`lab: ${x}\n`);
            return problems.length ? 1 : 0;
        }

        // The Gateway API CRDs come with the stack (the platform), which a lesson never changes.
        // On ambient the CRDs are installed whatever the API (a waypoint is a Gateway): switching it is no platform change.
        if (opts.api && opts.api !== declared.trafficApi && declared.dataplane.mode !== "ambient") {
            throw new LabUsage(
                `--api ${opts.api}: Pulumi.${stack}.yaml has trafficApi ${declared.trafficApi}, and switching the API ${opts.api === "gateway-api" ? "installs" : "removes"} the Gateway API CRDs, which changes the platform a lesson must not touch. ` +
                    `Set istio-mesh:trafficApi: ${opts.api} in Pulumi.${stack}.yaml and run npm run up -- --stack ${stack} first (or plan it offline: npm run lab -- plan --api ${opts.api})`,
            );
        }
        // verify needs to reach the ingress gateway: a cloud stack has no local port to guess.
        try {
            await resolveIngressUrl({ cfg: own, ingressUrl: opts.ingressUrl, stack }, async () => undefined);
        } catch (e) {
            throw new LabUsage(e instanceof Error ? e.message : String(e));
        }
        const log = (line: string) => io.err(`${line}\n`);
        // Nothing to run the course on: say so before the engine (and a Pulumi CLI download) starts.
        const unreachable = deps.reachable ? await deps.reachable(own, opts) : undefined;
        if (unreachable) throw new PrerequisiteError(`lab run needs the running lab (npm run up -- --stack ${stack}): ${unreachable}`);
        // A dead chart breaks every lesson (each is an up that resolves the charts): refuse before the first.
        if (deps.pinnedCharts) await deps.pinnedCharts(own);
        let engine: LabEngine;
        try {
            engine = await deps.engine({ root: deps.root, stack, clusterKind: own.cluster.kind, cfg: own, log });
        } catch (e) {
            if (e instanceof PrerequisiteError || e instanceof UsageError) throw e;
            throw new LabUsage(`lab run needs the Pulumi engine and the running lab: ${e instanceof Error ? e.message : String(e)}`);
        }
        const result = await runCourse(
            { stack, stackConfig, lessons, scenarioOf, bail: opts.bail ?? false, keep: opts.keep ?? false },
            { engine, measure: deps.measure(opts), describe: deps.describe(opts), now: deps.now, log, onInterrupt: deps.onInterrupt },
        );
        const md = reportMarkdown(result);
        io.out(md);
        if (opts.report) write(io, opts.report, md, deps.env);
        if (opts.json) write(io, opts.json, reportJson(result), deps.env);
        io.err(`lab: ${courseLine(result)}; stack config ${result.restore.status}\n`);
        return exitCode(result, { skipOk: opts.skipOk });
    } catch (e) {
        if (e instanceof LabUsage || e instanceof UsageError || e instanceof PrerequisiteError || e instanceof MissingStackError) {
            io.err(`lab: ${e.message}\n`);
            return 2;
        }
        if (e instanceof ConfigError) {
            // Invalid config is exit 1, as in every command (the checks found problems).
            io.err(`lab: the stack's own config is invalid, so no lesson can be composed over it:\n${e.message}\n`);
            return 1;
        }
        throw e;
    }
}
