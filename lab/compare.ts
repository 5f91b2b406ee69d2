/**
 * `npm run lab -- plan --compare-api [--only <lesson>]`: each lesson in both traffic APIs, side by side,
 * so a learner sees the translation: the objects only Istio's API has (VirtualServices, subsets, Istio's
 * Gateway), those only the Gateway API has (HTTPRoutes, its Gateway, one Service per version), those in
 * both that differ (in the PR comment's words), what verify checks in each, and the differing objects
 * in full. A lesson the Gateway API cannot say shows why. Offline and deterministic, as `plan`.
 */
import * as yaml from "js-yaml";
import { planObjects } from "../analysis";
import { compareDocuments, Doc } from "../review/offlineDiff";
import { deepEqual } from "../review/objectDiff";
import { ConfigError } from "../config/reader";
import type { TrafficApi } from "../config/types";
import { buildPlan } from "../mesh/plan";
import type { K8sObject } from "../mesh/objects";
import type { GatewayApiCrdsSpec } from "../mesh/gatewayApi/crds";
import { ConfigMap, composeConfig, meshConfigOf, withTrafficApi } from "./compose";
import type { Lesson } from "./lessons";
import type { Describe } from "./measure";

export interface ApiSide {
    objects: K8sObject[];
    /** verify's checks, in plain words. */
    checks: string[];
    /** The lesson's config does not validate in this API: the config's messages. */
    error?: string;
}

export interface LessonComparison {
    lesson: Lesson;
    index: number;
    istio: ApiSide;
    gatewayApi: ApiSide;
    onlyIstio: K8sObject[];
    onlyGatewayApi: K8sObject[];
    /** Same kind and name in both, different content: what differs, Istio's API → the Gateway API. */
    changed: { istio: K8sObject; gatewayApi: K8sObject; details: string[] }[];
    same: number;
}

export interface CourseComparison {
    stack: string;
    /** What the Gateway API side installs besides (the platform). */
    crds?: GatewayApiCrdsSpec;
    lessons: LessonComparison[];
}

const API_NAME: Record<TrafficApi, string> = { istio: "Istio's API", "gateway-api": "the Gateway API" };

/** An object's identity across APIs: the Gateway API's Gateway is not Istio's, though both are `Gateway`. */
const key = (o: K8sObject) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
export const title = (o: K8sObject): string => `${o.kind === "Gateway" && o.apiVersion.startsWith("gateway.networking.k8s.io/") ? "Gateway.gateway.networking.k8s.io" : o.kind} ${o.metadata.name}`;

function side(config: ConfigMap, stack: string, describe: Describe): ApiSide {
    try {
        const cfg = meshConfigOf(config, stack);
        return { objects: planObjects(buildPlan(cfg)), checks: describe(cfg) };
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        return { objects: [], checks: [], error: e.problems.map((p) => `${p.path}: ${p.message}`).join("\n") };
    }
}

export function compareCourse(input: { stack: string; stackConfig: ConfigMap; lessons: readonly Lesson[]; scenarioOf: (l: Lesson) => ConfigMap; indexOf: (l: Lesson) => number }, describe: Describe): CourseComparison {
    const lessons = input.lessons.map((lesson) => {
        const composed = (api: TrafficApi) => composeConfig(withTrafficApi(input.stackConfig, api), input.scenarioOf(lesson));
        const istio = side(composed("istio"), input.stack, describe);
        const gatewayApi = side(composed("gateway-api"), input.stack, describe);
        const a = new Map(istio.objects.map((o) => [key(o), o]));
        const b = new Map(gatewayApi.objects.map((o) => [key(o), o]));
        const changed: LessonComparison["changed"] = [];
        let same = 0;
        for (const [k, o] of a) {
            const other = b.get(k);
            if (!other) continue;
            if (deepEqual(o, other)) same++;
            else changed.push({ istio: o, gatewayApi: other, details: compareDocuments([o as unknown as Doc], [other as unknown as Doc]).changes.flatMap((c) => c.details) });
        }
        return {
            lesson,
            index: input.indexOf(lesson),
            istio,
            gatewayApi,
            onlyIstio: istio.objects.filter((o) => !b.has(key(o))),
            onlyGatewayApi: gatewayApi.objects.filter((o) => !a.has(key(o))),
            changed,
            same,
        };
    });
    const cfg = (() => {
        try {
            return meshConfigOf(withTrafficApi(input.stackConfig, "gateway-api"), input.stack);
        } catch {
            return undefined;
        }
    })();
    const crds = cfg ? buildPlan(cfg).istio.gatewayApiCrds : undefined;
    return { stack: input.stack, ...(crds ? { crds } : {}), lessons };
}

/** A lesson neither API can apply (its config is invalid in Istio's API too): a problem, exit 1. */
export function compareProblems(c: CourseComparison): string[] {
    return c.lessons.flatMap((l) => (l.istio.error ? [`${l.lesson.id}: its config does not validate`] : []));
}

const dump = (o: K8sObject) => yaml.dump(o, { lineWidth: -1, noRefs: true, sortKeys: false }).trimEnd();

function platformLine(c: CourseComparison): string {
    const crds = c.crds ? `the Gateway API CRDs ${c.crds.version} (${c.crds.channel} channel, ${c.crds.url}), applied after Istio's base chart and before istiod` : "the Gateway API CRDs";
    return `The Gateway API side also installs ${crds}; the cluster, the Istio charts and the ingress gateway's pods are the same in both.`;
}

export function compareText(c: CourseComparison, total: number): string {
    const out: string[] = [`Each lesson in both traffic APIs, composed over Pulumi.${c.stack}.yaml with trafficApi istio and gateway-api (offline: no cluster, no Pulumi CLI).`, platformLine(c)];
    const indent = (text: string, pad: string) => text.split("\n").map((l) => `${pad}${l}`);
    for (const l of c.lessons) {
        out.push("", `${l.index} of ${total}  ${l.lesson.id} — ${l.lesson.title}`, `  applies: ${l.lesson.scenario}`);
        if (l.istio.error) {
            out.push(`  CONFIG ERROR in ${API_NAME.istio}:`, ...indent(l.istio.error, "    "));
            continue;
        }
        if (l.gatewayApi.error) {
            out.push(`  NO GATEWAY API FORM: ${API_NAME.istio} only. Why:`, ...indent(l.gatewayApi.error, "    - "));
            out.push(`  ${API_NAME.istio} declares:`, ...l.istio.objects.filter(isRouting).map((o) => `    ${title(o)}`));
            continue;
        }
        out.push(`  the same in both: ${l.same} object${l.same === 1 ? "" : "s"} (workloads, Services, security policies…)`);
        out.push(`  only in ${API_NAME.istio}:${l.onlyIstio.length ? "" : " nothing"}`, ...l.onlyIstio.map((o) => `    ${title(o)}`));
        out.push(`  only in ${API_NAME["gateway-api"]}:${l.onlyGatewayApi.length ? "" : " nothing"}`, ...l.onlyGatewayApi.map((o) => `    ${title(o)}`));
        if (l.changed.length) out.push("  in both, different:", ...l.changed.flatMap((x) => [`    ${title(x.istio)}`, ...x.details.map((d) => `      ${d}`)]));
        for (const api of ["istio", "gateway-api"] as const) {
            const s = api === "istio" ? l.istio : l.gatewayApi;
            out.push(`  verify will check in ${API_NAME[api]}:${s.checks.length ? "" : " nothing"}`, ...s.checks.map((x) => `    - ${x}`));
        }
        for (const api of ["istio", "gateway-api"] as const) {
            const objs = api === "istio" ? [...l.onlyIstio, ...l.changed.map((x) => x.istio)] : [...l.onlyGatewayApi, ...l.changed.map((x) => x.gatewayApi)];
            if (!objs.length) continue;
            out.push(`  ${API_NAME[api]}, the objects that differ:`, ...objs.flatMap((o) => ["    ---", ...indent(dump(o), "    ")]));
        }
    }
    return out.join("\n") + "\n";
}

export function compareMarkdown(c: CourseComparison, total: number): string {
    const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
    const out: string[] = [`## The course in both traffic APIs — stack ${code(c.stack)}`, "", `Each lesson composed over ${code(`Pulumi.${c.stack}.yaml`)} with ${code("trafficApi: istio")} and ${code("trafficApi: gateway-api")}; offline.`, "", platformLine(c)];
    for (const l of c.lessons) {
        out.push("", `### ${l.index} of ${total}. ${code(l.lesson.id)} — ${l.lesson.title}`, "");
        if (l.istio.error) {
            out.push(`**Config error in ${API_NAME.istio}:**`, "", "```", l.istio.error, "```");
            continue;
        }
        if (l.gatewayApi.error) {
            out.push(`**No Gateway API form** — ${API_NAME.istio} only:`, "", ...l.gatewayApi.error.split("\n").map((e) => `- ${e}`));
            continue;
        }
        out.push(`The same in both: ${l.same} objects.`, "", "| only in Istio's API | only in the Gateway API |", "| --- | --- |");
        const n = Math.max(l.onlyIstio.length, l.onlyGatewayApi.length);
        for (let i = 0; i < n; i++) out.push(`| ${l.onlyIstio[i] ? code(title(l.onlyIstio[i])) : ""} | ${l.onlyGatewayApi[i] ? code(title(l.onlyGatewayApi[i])) : ""} |`);
        if (l.changed.length) out.push("", "**In both, different:**", "", ...l.changed.flatMap((x) => [`- ${code(title(x.istio))}`, ...x.details.map((d) => `  - ${code(d)}`)]));
        for (const api of ["istio", "gateway-api"] as const) {
            const s = api === "istio" ? l.istio : l.gatewayApi;
            out.push("", `**verify will check in ${API_NAME[api]}:**`, "", ...(s.checks.length ? s.checks.map((x) => `- ${x}`) : ["Nothing."]));
        }
        for (const api of ["istio", "gateway-api"] as const) {
            const objs = api === "istio" ? [...l.onlyIstio, ...l.changed.map((x) => x.istio)] : [...l.onlyGatewayApi, ...l.changed.map((x) => x.gatewayApi)];
            if (objs.length) out.push("", `<details><summary>${API_NAME[api]}: the objects that differ</summary>`, "", "```yaml", objs.map(dump).join("\n---\n"), "```", "", "</details>");
        }
    }
    return out.join("\n") + "\n";
}

/** The routing objects of a plan, what a lesson without a Gateway API form keeps in Istio's API. */
const isRouting = (o: K8sObject) => ["VirtualService", "DestinationRule", "Gateway", "ServiceEntry"].includes(o.kind);
