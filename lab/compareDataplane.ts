/**
 * `npm run lab -- plan --compare-dataplane`: the page a learner asks for — every lesson on the sidecar
 * and the ambient data plane side by side: the objects each needs (from the plans the program would
 * deploy, the lesson's own marked), who enforces it (sidecar, ztunnel, waypoint, ingress gateway),
 * whether ambient supports it, and the source of each claim; on ambient, the services that get a
 * waypoint and why, and the traffic diagram with ztunnel and the waypoint on the path. Offline and
 * deterministic: no clock, no environment. Pure but for what the lab reads (the scenario files).
 */
import { planObjects } from "../analysis";
import type { DataplaneMode } from "../config/types";
import { diagramMarkdown, trafficDiagram } from "../diagram";
import { AmbientSupport, EnforcementPoint, Feature, feature, FEATURES } from "../mesh/ambient/features";
import { buildPlan, MeshPlan } from "../mesh/plan";
import type { K8sObject } from "../mesh/objects";
import type { ConfigMap } from "./compose";
import { meshConfigOf } from "./compose";
import { AmbientNeed, lessonDataplane, LessonDataplane, onDataplane, onDataplaneConfig } from "./dataplanes";
import type { Lesson } from "./lessons";
import { composeLesson } from "./run";

export interface Side {
    /** The lesson is not applied on this data plane; why. */
    skipped?: string;
    /** The traffic and security objects of the lesson's plan, `Kind name`, the lesson's own changes marked. */
    objects: { title: string; lessons: boolean }[];
    /** Per feature the lesson teaches: who enforces it here. */
    enforcedBy: { feature: Feature; by: EnforcementPoint }[];
    leftOut: { what: string; reason: string }[];
    /** Ambient: the services that go through the waypoint, and why. */
    waypoints: string[];
    /** Mermaid source of the lesson's traffic on this data plane. */
    diagram?: string;
    error?: string;
}

export interface LessonComparison {
    lesson: Lesson;
    index: number;
    row?: LessonDataplane;
    sidecar: Side;
    ambient: Side;
}

export interface DataplaneComparison {
    stack: string;
    lessons: LessonComparison[];
}

const POLICY_KINDS = new Set(["VirtualService", "DestinationRule", "Gateway", "HTTPRoute", "ServiceEntry", "PeerAuthentication", "AuthorizationPolicy", "EnvoyFilter"]);

const titleOf = (o: K8sObject) => `${o.kind === "Gateway" && o.apiVersion.startsWith("gateway.networking.k8s.io/") ? "Gateway (Gateway API)" : o.kind} ${o.metadata.name}`;

/** The objects that carry traffic and security policy: routes, rules, gateways, policies, the waypoint, a route's per-version Services. */
function policyObjects(plan: MeshPlan): K8sObject[] {
    const objects = planObjects(plan);
    const backends = new Set(
        objects.filter((o) => o.kind === "HTTPRoute").flatMap((r) => ((r.spec as { rules?: { backendRefs?: { name: string }[] }[] }).rules ?? []).flatMap((x) => (x.backendRefs ?? []).map((b) => b.name))),
    );
    return objects.filter((o) => POLICY_KINDS.has(o.kind) || (o.kind === "Service" && (o.metadata.labels?.["istio.io/use-waypoint"] !== undefined || backends.has(o.metadata.name))));
}

const identity = (o: K8sObject) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Who enforces a feature on ambient in this plan: the table's answer, made precise where the plan decides it. */
function ambientEnforcement(f: Feature, plan: MeshPlan): EnforcementPoint {
    if (f.key === "l4Authorization") {
        const aps = plan.trafficPolicies.security.filter((o) => o.kind === "AuthorizationPolicy");
        return aps.some((a) => (a.spec as { targetRefs?: unknown[] }).targetRefs) ? "waypoint" : "ztunnel";
    }
    return f.enforcedBy.ambient;
}

function side(mode: DataplaneMode, input: { stack: string; stackConfig: ConfigMap; scenarioOf: (l: Lesson) => ConfigMap }, lesson: Lesson, ownObjects: K8sObject[]): Side {
    const row = lessonDataplane(lesson.id);
    const features = (row?.features ?? []).map(feature);
    const on = onDataplane(lesson.id, mode);
    if (!on.run) return { skipped: on.reason, objects: [], enforcedBy: features.map((f) => ({ feature: f, by: mode === "sidecar" ? f.enforcedBy.sidecar : f.enforcedBy.ambient })), leftOut: [], waypoints: [] };
    let plan: MeshPlan;
    try {
        plan = buildPlan(composeLesson({ stack: input.stack, stackConfig: input.stackConfig, scenarioOf: input.scenarioOf }, lesson).cfg);
    } catch (e) {
        return { objects: [], enforcedBy: [], leftOut: [], waypoints: [], error: (e instanceof Error ? e.message : String(e)).trim() };
    }
    // The lesson's own: objects the stack's own config does not declare exactly so (new, or changed by the lesson).
    const before = new Map(ownObjects.map((o) => [identity(o), JSON.stringify(o)]));
    const objects = policyObjects(plan).map((o) => ({ title: titleOf(o), lessons: before.get(identity(o)) !== JSON.stringify(o) }));
    const a = plan.ambient;
    const waypoints = a ? (a.uses.length ? a.uses.map((u) => `${u.kind === "Service" ? "" : `${u.kind} `}${u.name}: ${u.reasons.join("; ")}`) : ["none: no policy needs L7"]) : [];
    return {
        objects,
        enforcedBy: features.map((f) => ({ feature: f, by: mode === "sidecar" ? f.enforcedBy.sidecar : ambientEnforcement(f, plan) })),
        leftOut: on.leftOut,
        waypoints,
        diagram: trafficDiagram(planObjects(plan)),
    };
}

export async function compareDataplanes(input: { stack: string; stackConfig: ConfigMap; lessons: readonly Lesson[]; scenarioOf: (l: Lesson) => ConfigMap }): Promise<DataplaneComparison> {
    const configs = { sidecar: onDataplaneConfig(input.stackConfig, "sidecar"), ambient: onDataplaneConfig(input.stackConfig, "ambient") };
    // Each data plane's own config, as the lessons are composed over it: what the lesson changes is marked.
    const own = { sidecar: policyObjects(buildPlan(meshConfigOf(configs.sidecar, input.stack))), ambient: policyObjects(buildPlan(meshConfigOf(configs.ambient, input.stack))) };
    const lessons = input.lessons.map((lesson, k) => ({
        lesson,
        index: k + 1,
        row: lessonDataplane(lesson.id),
        sidecar: side("sidecar", { ...input, stackConfig: configs.sidecar }, lesson, own.sidecar),
        ambient: side("ambient", { ...input, stackConfig: configs.ambient }, lesson, own.ambient),
    }));
    return { stack: input.stack, lessons };
}

const SUPPORT: Record<AmbientSupport, string> = { supported: "✅ supported", alpha: "⚠️ Alpha only", none: "⛔ no supported path" };
const NEED: Record<AmbientNeed, string> = { ztunnel: "ztunnel alone", "ingress gateway": "the ingress gateway", waypoint: "a waypoint", none: "— (no ambient path)" };
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string) => s.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");

function objectList(s: Side): string {
    if (s.skipped) return "not applied";
    if (s.error) return "config error";
    return s.objects.map((o) => (o.lessons ? `**${code(o.title)}**` : code(o.title))).join(", ") || "none";
}

export function comparisonMarkdown(c: DataplaneComparison): string {
    const out: string[] = [
        `## The course on two data planes — stack \`${c.stack}\``,
        "",
        "Each lesson as the program would deploy it with sidecars (`istio-mesh:dataplane: sidecar`, the course's) and without",
        "(`ambient`: ztunnel on every node for mTLS and L4 policy, a waypoint for the services whose policies need L7). Planned",
        "offline from the same stack file; nothing here was measured (run `npm run lab -- run` on a stack of each kind for that).",
        "The lesson's own objects are in **bold**. Sources are Istio 1.30's docs and code, read in 2026-12.",
        "",
        "| # | lesson | teaches | sidecar: enforced by | ambient: enforced by | ambient needs | ambient support |",
        "|---|---|---|---|---|---|---|",
    ];
    for (const l of c.lessons) {
        const feats = l.row?.features.map(feature) ?? [];
        const by = (s: Side) => [...new Set(s.enforcedBy.map((e) => e.by))].join(", ") || "—";
        const support = feats.length ? [...new Set(feats.map((f) => SUPPORT[f.ambient]))].join(" · ") : "✅ nothing L7";
        out.push(`| ${l.index} | ${code(l.lesson.id)} | ${cell(feats.map((f) => f.title).join("; ") || "(no policy of its own)")} | ${by(l.sidecar)} | ${by(l.ambient)} | ${l.row ? NEED[l.row.ambient] : "—"} | ${support} |`);
    }
    for (const l of c.lessons) {
        out.push("", `### ${l.index}. ${code(l.lesson.id)} — ${l.lesson.title}`, "");
        if (l.row) out.push(`**On ambient:** needs ${NEED[l.row.ambient]}: ${l.row.why}. Source: ${l.row.source.ref}.`, "");
        out.push("| | sidecar | ambient |", "|---|---|---|");
        out.push(`| objects | ${cell(objectList(l.sidecar))} | ${cell(objectList(l.ambient))} |`);
        for (const f of l.row?.features.map(feature) ?? []) {
            const s = l.sidecar.enforcedBy.find((e) => e.feature.key === f.key)?.by ?? f.enforcedBy.sidecar;
            const a = l.ambient.enforcedBy.find((e) => e.feature.key === f.key)?.by ?? f.enforcedBy.ambient;
            out.push(`| ${cell(f.title)} | ${cell(`${s}: ${f.objects.sidecar}`)} | ${cell(`${a}: ${f.objects.ambient} — ${SUPPORT[f.ambient]}`)} |`);
        }
        if (l.ambient.waypoints.length) out.push(`| waypoint for | — | ${cell(l.ambient.waypoints.join("; "))} |`);
        if (l.ambient.skipped) out.push(`| lab on ambient | — | ⏭️ SKIP: ${cell(l.ambient.skipped)} |`);
        for (const x of l.ambient.leftOut) out.push(`| left out on ambient | — | ⏭️ ${cell(`${x.what}: ${x.reason}`)} |`);
        if (l.sidecar.error || l.ambient.error) out.push(`| config error | ${cell(l.sidecar.error ?? "")} | ${cell(l.ambient.error ?? "")} |`);
        const feats = l.row?.features.map(feature) ?? [];
        for (const f of feats) {
            out.push("", `**${f.title}:** ${f.note}${f.alternative ? ` Instead: ${f.alternative}.` : ""}`, "", ...f.sources.map((s) => `- ${s.ref} — ${s.says}`));
        }
        if (l.ambient.diagram) out.push("", diagramMarkdown(l.ambient.diagram, { heading: "Traffic on ambient (ztunnel and waypoint on the path)", level: 4 }).trimEnd());
    }
    out.push("", "### Every feature", "", "| feature | sidecar | ambient | support | lessons |", "|---|---|---|---|---|");
    for (const f of FEATURES) out.push(`| ${cell(f.title)} | ${f.enforcedBy.sidecar} | ${f.enforcedBy.ambient} | ${SUPPORT[f.ambient]} | ${f.lessons.map(code).join(", ") || "—"} |`);
    return out.join("\n") + "\n";
}
