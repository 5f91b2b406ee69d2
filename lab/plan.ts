/**
 * `npm run lab -- plan`: the course offline. For each lesson, what changes from the lesson before (the
 * first from the stack's own config, as `run` applies them) in the PR diff comment's words, computed
 * on the plan objects of buildPlan (no render under mocks, so the whole course plans in seconds); the
 * analyzer's findings; the checks verify will make; and whether `run` would refuse the lesson because
 * it changes the cluster or the Istio installation. Deterministic: no clock, no environment.
 */
import * as yaml from "js-yaml";
import { checkStack } from "../analysis/gate";
import { flattenStackFile } from "../config/stackConfig";
import type { Finding } from "../analysis/finding";
import { planObjects } from "../analysis";
import type { ResourceChange } from "../review/changes";
import { SECRET } from "../review/objectDiff";
import { compareDocuments, Doc } from "../review/offlineDiff";
import type { MeshConfig, TrafficApi } from "../config/types";
import { buildPlan } from "../mesh/plan";
import { diagramDiff, diagramMarkdown } from "../diagram";
import { ConfigMap } from "./compose";
import type { Lesson } from "./lessons";
import type { Describe } from "./measure";
import { composeLesson, lessonGap } from "./run";
import { dataplaneOf, onDataplane } from "./dataplanes";

export interface LessonPlan {
    lesson: Lesson;
    index: number;
    /** Id of the lesson compared with; undefined: the stack's own config. */
    previous?: string;
    /** Its number, when not the lesson just before (that one did not validate, or has no form in the API). */
    previousIndex?: number;
    changes: ResourceChange[];
    /** Changes to the cluster or the Istio installation: `run` refuses the lesson. */
    platform: ResourceChange[];
    findings: Finding[];
    checks: string[];
    /** Mermaid source of the lesson's traffic, what changed since the lesson before marked (diagram/). */
    diagram?: string;
    /** The lesson's config does not validate (then nothing else is filled in). */
    error?: string;
    /** With `trafficApi: gateway-api`: why the lesson has no Gateway API form (then nothing else is filled in). */
    gap?: string;
    /** Ambient: the lesson has no path on this data plane (then nothing else is filled in); the reason. */
    skipped?: string;
    /** Ambient: parts of the lesson left out (no ambient path), each with its reason. */
    leftOut?: { what: string; reason: string }[];
    /** Ambient: the services that go through a waypoint, and why (`nginx-service: HTTPRoute nginx-vs (weights 90/10)`). */
    waypoints?: string[];
}

export interface CoursePlan {
    stack: string;
    lessons: LessonPlan[];
    /** The routing API the lessons are planned in, when it is the Gateway API. */
    api?: TrafficApi;
    /** Set when the course is planned on the ambient data plane. */
    dataplane?: "ambient";
}

const asDoc = (x: unknown) => x as Doc;

/** `nginx-service: HTTPRoute nginx-vs (weights 90/10)` per Service using the waypoint; with waypoints none, who would. */
function waypointLines(a: NonNullable<ReturnType<typeof buildPlan>["ambient"]>): string[] {
    if (a.uses.length === 0) return ["none: no policy needs L7 (ztunnel carries every call)"];
    return a.uses.map((u) => `${a.deployed ? "" : "(none deployed: waypoints none) "}${u.kind === "Service" ? "" : `${u.kind} `}${u.name}: ${u.reasons.join("; ")}`);
}

/** What a lesson must not change, as documents compareDocuments reads (type + name + inputs). */
function platformDocs(cfg: MeshConfig): Doc[] {
    const p = buildPlan(cfg).istio;
    const charts = [p.base, p.istiod, ...(p.cni ? [p.cni] : []), ...(p.ztunnel ? [p.ztunnel] : []), p.gateway, ...(p.egressGateway ? [p.egressGateway] : [])];
    // The Gateway API CRDs are installed with Istio: switching the traffic API is a platform change.
    const crds = p.gatewayApiCrds ? [{ type: "Gateway API CRDs", name: p.gatewayApiCrds.name, inputs: asDoc(p.gatewayApiCrds) }] : [];
    return [{ type: "cluster", name: cfg.cluster.kind, inputs: asDoc(cfg.cluster) }, asDoc(p.namespace), ...charts.map((c) => ({ type: "Istio chart", name: c.release, inputs: asDoc(c) })), ...crds];
}

/** What a lesson may change: workloads, policies, addons. Addon values holding a secret compare as one secret. */
function meshDocs(cfg: MeshConfig): Doc[] {
    const plan = buildPlan(cfg);
    const charts = plan.addons.charts.map((c) => ({ type: "addon chart", name: c.release, inputs: asDoc({ ...c, values: c.secretValues ? SECRET : c.values, generated: undefined }) }));
    return [...planObjects(plan), ...plan.addons.objects, ...plan.addons.istioResources, ...charts].map(asDoc);
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).trim();

export async function planCourse(
    input: { stack: string; stackConfig: ConfigMap; lessons: readonly Lesson[]; scenarioOf: (l: Lesson) => ConfigMap },
    describe: Describe,
    own: MeshConfig,
): Promise<CoursePlan> {
    let prev = { id: undefined as string | undefined, index: 0, mesh: meshDocs(own), platform: platformDocs(own), objects: planObjects(buildPlan(own)) };
    const lessons: LessonPlan[] = [];
    const mode = dataplaneOf(input.stackConfig);
    for (const [k, lesson] of input.lessons.entries()) {
        const base: LessonPlan = { lesson, index: k + 1, previous: prev.id, ...(prev.id && prev.index !== k ? { previousIndex: prev.index } : {}), changes: [], platform: [], findings: [], checks: [] };
        const on = onDataplane(lesson.id, mode);
        if (!on.run) {
            lessons.push({ ...base, skipped: on.reason });
            continue;
        }
        let cfg: MeshConfig;
        let composed: ConfigMap;
        const gap = lessonGap(input, lesson);
        if (gap) {
            lessons.push({ ...base, gap });
            continue;
        }
        try {
            ({ cfg, config: composed } = composeLesson(input, lesson));
        } catch (e) {
            lessons.push({ ...base, error: message(e) });
            continue;
        }
        const mesh = meshDocs(cfg);
        const platform = platformDocs(cfg);
        const plan = buildPlan(cfg);
        const objects = planObjects(plan);
        // The gate `pulumi up` applies to the lesson's config (every layer and severity), not only the analyzers.
        const { findings } = await checkStack(flattenStackFile(yaml.dump({ config: composed }, { lineWidth: -1, noRefs: true })), input.stack, { throwOnErrors: false });
        lessons.push({
            ...base,
            changes: compareDocuments(prev.mesh, mesh).changes,
            platform: compareDocuments(prev.platform, platform).changes,
            findings,
            checks: describe(cfg),
            diagram: diagramDiff(prev.objects, objects, { findings }),
            ...(on.leftOut.length ? { leftOut: on.leftOut } : {}),
            ...(plan.ambient ? { waypoints: waypointLines(plan.ambient) } : {}),
        });
        prev = { id: lesson.id, index: k + 1, mesh, platform, objects };
    }
    return { stack: input.stack, lessons, ...(own.trafficApi === "gateway-api" ? { api: own.trafficApi } : {}), ...(own.dataplane.mode === "ambient" ? { dataplane: own.dataplane.mode } : {}) };
}

/** Problems `plan` reports with exit 1: a lesson that does not validate, has analyzer errors, or would be refused. */
export function planProblems(p: CoursePlan): string[] {
    return p.lessons.flatMap((l) => [
        ...(l.error ? [`${l.lesson.id}: its config does not validate`] : []),
        ...(l.platform.length ? [`${l.lesson.id}: changes the platform, \`run\` refuses it`] : []),
        ...(l.findings.some((f) => f.severity === "error") ? [`${l.lesson.id}: the analyzer found errors`] : []),
    ]);
}

/**
 * The plan in one line: `19 lessons: 16 change the mesh, 3 change nothing; 2 with findings (1 with errors)`,
 * plus the lessons that do not validate or that `run` would refuse.
 */
export function planSummary(p: CoursePlan): string {
    const n = p.lessons.length;
    const skipped = p.lessons.filter((l) => l.skipped).length;
    const valid = p.lessons.filter((l) => !l.error && !l.gap && !l.skipped);
    const gaps = p.lessons.filter((l) => l.gap).length;
    const count = (f: (l: LessonPlan) => boolean) => valid.filter(f).length;
    const lessons = (k: number) => `${k} lesson${k === 1 ? "" : "s"}`;
    const changing = count((l) => l.changes.length > 0);
    const parts = [`${changing} change${changing === 1 ? "s" : ""} the mesh`, `${valid.length - changing} change${valid.length - changing === 1 ? "s" : ""} nothing`];
    const platform = count((l) => l.platform.length > 0);
    const findings = count((l) => l.findings.length > 0);
    const errors = count((l) => l.findings.some((f) => f.severity === "error"));
    const invalid = n - valid.length - skipped;
    const also = [
        ...(skipped ? [`${skipped} SKIP on this data plane (no ambient path)`] : []),
        ...(gaps ? [`${gaps} ha${gaps === 1 ? "s" : "ve"} no Gateway API form`] : []),
        ...(invalid - gaps ? [`${invalid - gaps} do${invalid - gaps === 1 ? "es" : ""} not validate`] : []),
        ...(platform ? [`${platform} change${platform === 1 ? "s" : ""} the platform (\`run\` refuses ${platform === 1 ? "it" : "them"})`] : []),
        findings ? `${findings} with findings${errors ? ` (${errors} with errors)` : ""}` : "no findings",
    ];
    return `${lessons(n)}: ${parts.join(", ")}; ${also.join("; ")}.`;
}

const changeLines = (c: ResourceChange, indent: string) => [`${indent}${c.op} ${c.title}`, ...c.details.map((d) => `${indent}  ${d}`)];
const findingLine = (f: Finding) => `${f.severity} ${f.code} ${f.resource} ${f.path}: ${f.message} (fix: ${f.fix})`;
const against = (l: LessonPlan) => (l.previous ? `lesson ${l.previousIndex ?? l.index - 1} (${l.previous})` : "the stack's own config");
/** `Pulumi.dev.yaml`, or `Pulumi.dev.yaml with trafficApi: gateway-api` when the plan is in the Gateway API. */
const over = (p: CoursePlan, code: (s: string) => string = (s) => s) =>
    `${code(`Pulumi.${p.stack}.yaml`)}${p.api === "gateway-api" ? ` with ${code("trafficApi: gateway-api")} (HTTPRoute, Gateway, one Service per version)` : ""}${p.dataplane === "ambient" ? ` on the ambient data plane (${code("dataplane: ambient")}: ztunnel, waypoints)` : ""}`;

export function planText(p: CoursePlan): string {
    const n = p.lessons.length;
    const out: string[] = [`The course: ${n} lesson${n === 1 ? "" : "s"}, each composed over ${over(p)} (offline: no cluster, no Pulumi CLI).`];
    for (const l of p.lessons) {
        out.push("", `${l.index} of ${n}  ${l.lesson.id} — ${l.lesson.title}`, `  course section: ${l.lesson.section}`, `  applies: ${l.lesson.scenario}`);
        if (l.skipped) {
            out.push(`  SKIP on this data plane: ${l.skipped}`);
            continue;
        }
        if (l.gap) {
            out.push(`  NO GATEWAY API FORM (not applied by \`run\`; Istio's API has it: \`lab plan --compare-api --only ${l.lesson.id}\`):`, ...l.gap.split("; istio-mesh:").map((g, i) => `    - ${i ? "istio-mesh:" : ""}${g}`));
            continue;
        }
        if (l.error) {
            out.push(`  CONFIG ERROR: ${l.error.replace(/\n/g, "\n    ")}`);
            continue;
        }
        for (const x of l.leftOut ?? []) out.push(`  left out on this data plane: ${x.what}: ${x.reason}`);
        if (l.waypoints) out.push("  waypoint for:", ...l.waypoints.map((w) => `    - ${w}`));
        out.push(`  changes from ${against(l)}:`, ...(l.changes.length ? l.changes.flatMap((c) => changeLines(c, "    ")) : ["    none"]));
        out.push(l.platform.length ? "  platform: CHANGED, `run` refuses this lesson:" : "  platform: cluster and Istio untouched", ...l.platform.flatMap((c) => changeLines(c, "    ")));
        out.push(`  analyzer:${l.findings.length ? "" : " no findings"}`, ...l.findings.map((f) => `    ${findingLine(f)}`));
        out.push(`  verify will check:${l.checks.length ? "" : " nothing (the lesson is SKIP: nothing measurable)"}`, ...l.checks.map((c) => `    - ${c}`));
        out.push(`  observe: ${l.lesson.observe}`, "  try by hand:", ...l.lesson.tryByHand.flatMap((h) => [`    $ ${h.run}`, `      → ${h.expect}`]));
    }
    out.push("", planSummary(p));
    return out.join("\n") + "\n";
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function planMarkdown(p: CoursePlan): string {
    const n = p.lessons.length;
    const out: string[] = [`## The course, planned — stack \`${p.stack}\``, "", `${n} lesson${n === 1 ? "" : "s"}, each composed over ${over(p, code)}; offline (no cluster, no Pulumi CLI).`];
    for (const l of p.lessons) {
        out.push("", `### ${l.index}. ${code(l.lesson.id)} — ${l.lesson.title}`, "", `Course section: *${l.lesson.section}*. Applies ${code(l.lesson.scenario)}.`, "");
        if (l.skipped) {
            out.push(`**⏭️ SKIP on this data plane:** ${l.skipped}`);
            continue;
        }
        if (l.gap) {
            out.push("**No Gateway API form** (not applied by `run`):", "", ...l.gap.split("; istio-mesh:").map((g, i) => `- ${i ? "istio-mesh:" : ""}${g}`));
            continue;
        }
        if (l.error) {
            out.push("**Config error:**", "", "```", l.error, "```");
            continue;
        }
        for (const x of l.leftOut ?? []) out.push(`**Left out on this data plane:** ${x.what} — ${x.reason}`, "");
        if (l.waypoints) out.push("**Waypoint for:**", "", ...l.waypoints.map((w) => `- ${w}`), "");
        out.push(`**Changes from ${against(l)}:**`, "", ...(l.changes.length ? l.changes.flatMap((c) => [`- **${c.op}** ${code(c.title)}`, ...c.details.map((d) => `  - ${code(d)}`)]) : ["None."]));
        if (l.platform.length) out.push("", "**⚠️ Changes the platform — `run` refuses this lesson:**", "", ...l.platform.flatMap((c) => [`- **${c.op}** ${code(c.title)}`, ...c.details.map((d) => `  - ${code(d)}`)]));
        out.push("", "**Analyzer:**", "", ...(l.findings.length ? l.findings.map((f) => `- **${f.severity}** ${code(f.code)} ${code(f.resource)} at ${code(f.path)}: ${f.message} — fix: ${f.fix}`) : ["No findings."]));
        out.push("", "**verify will check:**", "", ...(l.checks.length ? l.checks.map((c) => `- ${c}`) : ["Nothing measurable: the lesson is SKIP."]));
        if (l.diagram) out.push("", diagramMarkdown(l.diagram, { heading: `Traffic (changes since ${against(l)} marked)`, level: 4 }).trimEnd());
        out.push("", `**Observe:** ${l.lesson.observe}`, "", "**Try by hand:**", "", ...l.lesson.tryByHand.map((h) => `- ${code(h.run)} → ${h.expect}`));
    }
    out.push("", `**In all:** ${planSummary(p)}`);
    return out.join("\n") + "\n";
}
