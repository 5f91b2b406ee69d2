/**
 * `npm run lab -- run`: the course against the running lab. For each lesson: compose its config over
 * the stack's own, preview, refuse it if the preview touches the cluster or Istio, up, then verify
 * (which waits for the config to reach the proxies and measures). A lesson that does not pass moves on
 * unless --bail; Ctrl-C lets the step in flight finish and starts no other. Whatever happened, the
 * stack's own config is applied again at the end unless --keep. Everything outside (engine, verify,
 * clock, signals) is injected.
 */
import type { ResourceChange } from "../review/changes";
import type { MeshConfig } from "../config/types";
import { ConfigError } from "../config/reader";
import { ConfigMap, composeConfig, meshConfigOf, TRAFFIC_API_KEY, withTrafficApi } from "./compose";
import { LabEngine, platformChanges } from "./engine";
import type { Lesson } from "./lessons";
import type { Convergence, Describe, Measure, Row, VerifyResult } from "./measure";
import { dataplaneOf, onDataplane, withoutLeftOut } from "./dataplanes";

export type LessonVerdict = "PASS" | "FAIL" | "ERROR" | "SKIP" | "REFUSED" | "NOT RUN";

export interface Durations {
    /** Preview and up, seconds. */
    apply?: number;
    /** Until the config reached the proxies, as verify judged it. */
    convergence?: number;
    measurement?: number;
}

export interface LessonResult {
    lesson: Lesson;
    /** 1-based position in the run. */
    index: number;
    verdict: LessonVerdict;
    reason?: string;
    /** What verify checks for this lesson's config, in plain words. */
    declared: string[];
    /** What the preview said the apply changes. */
    changes: ResourceChange[];
    rows: Row[];
    convergence?: Convergence;
    seconds: Durations;
}

export type RestoreStatus = "restored" | "kept" | "refused" | "failed";

export interface CourseResult {
    stack: string;
    lessons: LessonResult[];
    seconds: number;
    interrupted: boolean;
    restore: { status: RestoreStatus; detail: string; seconds?: number };
}

export interface RunDeps {
    engine: LabEngine;
    measure: Measure;
    describe: Describe;
    /** Milliseconds; a fake clock in tests. */
    now: () => number;
    log: (line: string) => void;
    /** Calls the handler on Ctrl-C (SIGINT); returns the unsubscribe. */
    onInterrupt: (handler: () => void) => () => void;
}

export interface RunInput {
    stack: string;
    stackConfig: ConfigMap;
    lessons: readonly Lesson[];
    scenarioOf: (lesson: Lesson) => ConfigMap;
    bail: boolean;
    keep: boolean;
}

/** "41 s", "9 min 40 s", "1 h 2 min". */
export function formatSeconds(s: number): string {
    const t = Math.round(s);
    if (t < 60) return `${t} s`;
    if (t < 3600) return `${Math.floor(t / 60)} min ${t % 60} s`;
    return `${Math.floor(t / 3600)} h ${Math.floor((t % 3600) / 60)} min`;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).trim();
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, "; ");

/**
 * A lesson's verdict from verify's rows: PASS only when a check of what the lesson teaches
 * (`lesson.measures`) was measured as declared and nothing failed. A FAIL or ERROR on any row fails the
 * lesson (the lab is broken), but rows of other policies cannot make it PASS.
 */
export function lessonVerdict(r: VerifyResult, lesson: Pick<Lesson, "measures" | "unmeasured">): { verdict: LessonVerdict; reason?: string } {
    if (r.convergence && !r.convergence.converged) return { verdict: "ERROR", reason: `the config did not reach the proxies within ${formatSeconds(r.convergence.seconds)} (${r.convergence.how})` };
    const by = (v: string, rows = r.rows) => rows.filter((x) => x.verdict === v);
    const name = (rows: Row[]) => rows.map((x) => `${x.policy} ${x.check}`).join(", ");
    if (by("ERROR").length) return { verdict: "ERROR", reason: `could not measure: ${name(by("ERROR"))}` };
    if (by("FAIL").length) return { verdict: "FAIL", reason: `not as declared: ${name(by("FAIL"))}` };
    if (!r.ok) return { verdict: "FAIL", reason: "verify reported the lesson not ok" };
    if (lesson.measures.length === 0) return { verdict: "SKIP", reason: `nothing this lesson teaches is measurable: ${lesson.unmeasured ?? "no check measures it"}` };
    const own = r.rows.filter((x) => x.kind !== undefined && (lesson.measures as string[]).includes(x.kind));
    if (own.length === 0) return { verdict: "SKIP", reason: `nothing measurable: verify derives no ${lesson.measures.join("/")} check from this lesson's policies` };
    if (by("PASS", own).length === 0) return { verdict: "SKIP", reason: `nothing measured: ${own.map((x) => `${x.policy} ${x.check} (${x.reason ?? x.observed})`).join(", ")}` };
    return { verdict: "PASS" };
}

/**
 * A lesson's config over the stack's own; on the ambient data plane without the parts of the lesson that
 * have no ambient path (lab/dataplanes.ts: lesson 18's local rate limit), which are reported instead.
 */
export function composeLesson(input: Pick<RunInput, "stack" | "stackConfig" | "scenarioOf">, lesson: Lesson): { config: ConfigMap; cfg: MeshConfig } {
    const composed = composeConfig(input.stackConfig, input.scenarioOf(lesson));
    const config = withoutLeftOut(lesson.id, dataplaneOf(composed), composed);
    return { config, cfg: meshConfigOf(config, input.stack) };
}

/**
 * Why a lesson has no form in the Gateway API, or undefined: its config, valid in Istio's API, is refused
 * with `trafficApi: gateway-api` (fault injection, a retry condition with no code form…). Such a lesson
 * is not a broken lesson but one the other API cannot say; the reasons are the config's own messages.
 */
export function lessonGap(input: Pick<RunInput, "stack" | "stackConfig" | "scenarioOf">, lesson: Lesson): string | undefined {
    const config = composeConfig(input.stackConfig, input.scenarioOf(lesson));
    // Ambient routes with the Gateway API unless the stack says otherwise (config/parse.ts).
    const api = config[TRAFFIC_API_KEY] ?? (dataplaneOf(config) === "ambient" ? "gateway-api" : "istio");
    if (api !== "gateway-api") return undefined;
    try {
        meshConfigOf(config, input.stack);
        return undefined;
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        try {
            meshConfigOf(withTrafficApi(config, "istio"), input.stack);
        } catch {
            return undefined; // invalid in both APIs: a broken lesson, not a gap
        }
        return e.problems.map((p) => `${p.path}: ${p.message}`).join("; ");
    }
}

class Interrupted extends Error {}

export async function runCourse(input: RunInput, deps: RunDeps): Promise<CourseResult> {
    const t0 = deps.now();
    const since = (t: number) => (deps.now() - t) / 1000;
    const n = input.lessons.length;
    let interrupted = false;
    let current = "";
    const unsubscribe = deps.onInterrupt(() => {
        if (interrupted) return;
        interrupted = true;
        const then = input.keep ? "no other lesson starts (--keep: the last one applied stays)" : "applying the stack's own config again";
        deps.log(`lab: interrupted: ${current ? `finishing ${current}, then ` : ""}${then}. Ctrl-C again quits at once.`);
    });
    const progress = (i: number, lesson: Lesson, stage: string) => {
        current = `lesson ${i} (${stage})`;
        deps.log(`lab: lesson ${i} of ${n} ${lesson.id}: ${stage}, ${formatSeconds(since(t0))} elapsed`);
    };
    const stopIfInterrupted = () => {
        if (interrupted) throw new Interrupted();
    };

    const results: LessonResult[] = [];
    let stopped: string | undefined;
    let restore: CourseResult["restore"];
    try {
        for (let k = 0; k < n; k++) {
            const lesson = input.lessons[k];
            const i = k + 1;
            const r: LessonResult = { lesson, index: i, verdict: "NOT RUN", declared: [], changes: [], rows: [], seconds: {} };
            results.push(r);
            if (interrupted || stopped) {
                r.reason = interrupted ? "interrupted (Ctrl-C)" : stopped;
                continue;
            }
            // A lesson with no path on this data plane is not applied: SKIP with its reason, never PASS.
            const on = onDataplane(lesson.id, dataplaneOf(input.stackConfig));
            if (!on.run) {
                r.verdict = "SKIP";
                r.reason = on.reason;
                deps.log(`lab: lesson ${i} of ${n} ${lesson.id}: SKIP (${on.reason}), ${formatSeconds(since(t0))} elapsed`);
                continue;
            }
            try {
                progress(i, lesson, "config");
                const gap = lessonGap(input, lesson);
                if (gap) {
                    r.verdict = "SKIP";
                    r.reason = `not applied: the lesson has no Gateway API form (${gap})`;
                    deps.log(`lab: lesson ${i} of ${n} ${lesson.id}: SKIP (no Gateway API form), ${formatSeconds(since(t0))} elapsed`);
                    continue;
                }
                const { config, cfg } = composeLesson(input, lesson);
                r.declared = deps.describe(cfg);

                const tApply = deps.now();
                progress(i, lesson, "preview");
                await deps.engine.setConfig(config);
                const preview = await deps.engine.preview({ log: deps.log });
                r.changes = preview.changes;
                const platform = platformChanges(preview.steps);
                if (platform.length) {
                    r.seconds.apply = since(tApply);
                    r.verdict = "REFUSED";
                    r.reason = `its preview would change the platform, which a lesson must not touch: ${platform.join("; ")}`;
                } else {
                    stopIfInterrupted();
                    if (preview.steps.length) {
                        progress(i, lesson, `up (${preview.steps.length} change${preview.steps.length === 1 ? "" : "s"})`);
                        await deps.engine.up({ log: deps.log });
                    }
                    r.seconds.apply = since(tApply);
                    stopIfInterrupted();

                    progress(i, lesson, "convergence and measurement (verify)");
                    const tMeasure = deps.now();
                    const m = await deps.measure(cfg, { log: deps.log });
                    const wall = since(tMeasure);
                    // The parts left out on this data plane are rows of their own: SKIP with the reason.
                    r.rows = [...m.rows, ...on.leftOut.map((x) => ({ policy: lesson.id, check: x.what, expected: "-", observed: "left out", verdict: "SKIP" as const, reason: x.reason, kind: "leftOut" }))];
                    r.convergence = m.convergence;
                    r.seconds.convergence = m.convergence?.seconds;
                    r.seconds.measurement = m.measureSeconds ?? Math.max(0, wall - (m.convergence?.seconds ?? 0));
                    Object.assign(r, lessonVerdict(m, lesson));
                    if (on.leftOut.length) r.reason = [r.reason, `left out on ambient (no ambient path): ${on.leftOut.map((x) => x.what).join(", ")}`].filter(Boolean).join("; ");
                }
            } catch (e) {
                if (e instanceof Interrupted) {
                    r.reason = "interrupted (Ctrl-C) before it was measured";
                    continue;
                }
                r.verdict = "ERROR";
                r.reason = oneLine(message(e));
            }
            deps.log(`lab: lesson ${i} of ${n} ${lesson.id}: ${r.verdict}${r.reason ? ` (${r.reason})` : ""}, ${formatSeconds(since(t0))} elapsed`);
            if (input.bail && r.verdict !== "PASS") stopped = `not run: --bail after lesson ${i} (${lesson.id}) ${r.verdict}`;
        }
    } finally {
        // The restore runs even if something above threw unexpectedly; the results so far are kept.
        restore = await restoreOwnConfig(input, deps, since, () => (current = "the restore"));
        unsubscribe();
    }
    return { stack: input.stack, lessons: results, seconds: since(t0), interrupted, restore };
}

async function restoreOwnConfig(input: RunInput, deps: RunDeps, since: (t: number) => number, mark: () => void): Promise<CourseResult["restore"]> {
    if (input.keep) return { status: "kept", detail: `--keep: the last lesson applied stays in place; Pulumi.${input.stack}.yaml was never changed, so \`npm run up -- --stack ${input.stack}\` returns to it` };
    const t = deps.now();
    mark();
    deps.log(`lab: restore: applying the stack's own config (Pulumi.${input.stack}.yaml) again`);
    try {
        await deps.engine.restore();
        const preview = await deps.engine.preview({ log: deps.log });
        const platform = platformChanges(preview.steps);
        if (platform.length) return { status: "refused", detail: `not applied: going back would change the platform (${platform.join("; ")}); run \`npm run preview -- --stack ${input.stack}\` and decide`, seconds: since(t) };
        if (preview.steps.length) await deps.engine.up({ log: deps.log });
        return { status: "restored", detail: `the stack's own config is applied again (${preview.steps.length} change${preview.steps.length === 1 ? "" : "s"})`, seconds: since(t) };
    } catch (e) {
        return { status: "failed", detail: `applying the stack's own config again failed: ${oneLine(message(e))}; run \`npm run up -- --stack ${input.stack}\``, seconds: since(t) };
    }
}

/** Exit code of a run: 0 only when every lesson passed and the stack's own config is back (or kept). */
/** 0 only when every lesson PASSed (with `skipOk`, a SKIP lesson, which measured nothing, does not count against it). */
export function exitCode(r: CourseResult, o: { skipOk?: boolean } = {}): number {
    const allPass = r.lessons.length > 0 && r.lessons.some((l) => l.verdict === "PASS") && r.lessons.every((l) => l.verdict === "PASS" || (o.skipOk === true && l.verdict === "SKIP"));
    return allPass && !r.interrupted && (r.restore.status === "restored" || r.restore.status === "kept") ? 0 : 1;
}
