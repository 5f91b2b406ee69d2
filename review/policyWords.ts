/**
 * Leaf changes of a resource in plain words. Mesh policies read the way the course talks about them
 * (`nginx-vs: route v2 weight 10 → 20`, `circuit-breaker-servicex: consecutiveGatewayErrors 5 → 10`);
 * every other field as `path: old → new`. Values that are secrets never appear. Pure.
 */
import { codeRanges } from "../config/gatewayApi";
import { formatPath, getAt, LeafChange, SECRET, Segment } from "./objectDiff";

const MAX_VALUE = 80;

type Destination = { destination?: { host?: string; subset?: string }; weight?: number };

const isDestination = (v: unknown): v is Destination => !!v && typeof v === "object" && !!(v as Destination).destination && typeof (v as Destination).destination === "object";

/** `to v1, weight 90` */
const destinationWords = (d: Destination) => `to ${d.destination!.subset ?? d.destination!.host}${d.weight !== undefined ? `, weight ${d.weight}` : ""}`;

/** A whole HTTP route: where it sends (`to v1, weight 90; to v2, weight 10`) and what else it does (`with fault`). */
function httpRouteWords(h: Record<string, unknown>): string {
    const to = Array.isArray(h.route) ? h.route.filter(isDestination).map(destinationWords).join("; ") : "";
    const also = Object.keys(h).filter((k) => k !== "route" && k !== "match" && k !== "name");
    return [to || "no destination", also.length ? `with ${also.join(", ")}` : ""].filter(Boolean).join(", ");
}

const isHttpRoute = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v) && Array.isArray((v as { route?: unknown }).route);

type BackendRef = { name: string; port?: number; weight?: number; kind?: string };
const isBackendRef = (v: unknown): v is BackendRef => !!v && typeof v === "object" && !Array.isArray(v) && typeof (v as BackendRef).name === "string" && typeof (v as BackendRef).port === "number";

/** An HTTPRoute backend as a VirtualService destination reads: `to nginx-service-v1, weight 90`. */
const backendWords = (b: BackendRef) => `to ${b.name}${b.weight !== undefined ? `, weight ${b.weight}` : ""}`;

/** A whole HTTPRoute rule: where it sends and what else it does (`with timeouts, retry`). */
function ruleWords(r: Record<string, unknown>): string {
    const to = Array.isArray(r.backendRefs) ? r.backendRefs.filter(isBackendRef).map(backendWords).join("; ") : "";
    const also = Object.keys(r).filter((k) => k !== "backendRefs" && k !== "matches" && k !== "name");
    return [to || "no backend", also.length ? `with ${also.join(", ")}` : ""].filter(Boolean).join(", ");
}

const isRule = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v) && Array.isArray((v as { backendRefs?: unknown }).backendRefs);

/** Header modifiers of a backend: `ResponseHeaderModifier add set-cookie`. */
const isFilterList = (v: unknown): v is { type: string }[] => Array.isArray(v) && v.length > 0 && v.every((f) => !!f && typeof f === "object" && typeof (f as { type?: unknown }).type === "string");
function filterWords(fs: { type: string; [k: string]: unknown }[]): string {
    return fs
        .map((f) => {
            const body = Object.entries(f).find(([k]) => k !== "type")?.[1] as Record<string, { name: string }[]> | undefined;
            const ops = body && typeof body === "object" ? Object.entries(body).map(([op, hs]) => `${op} ${(Array.isArray(hs) ? hs : []).map((h) => h.name).join(", ")}`) : [];
            return [f.type, ...ops].join(" ");
        })
        .join("; ");
}

/** A value on one line: strings bare, objects as short `key value` lists, long ones cut. */
export function showValue(v: unknown): string {
    if (v === SECRET) return SECRET;
    if (isDestination(v)) return destinationWords(v);
    if (isHttpRoute(v) || isRule(v) || isBackendRef(v) || isFilterList(v)) {
        const s = isHttpRoute(v) ? httpRouteWords(v) : isRule(v) ? ruleWords(v) : isBackendRef(v) ? backendWords(v) : filterWords(v as { type: string }[]);
        return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
    }
    if (typeof v === "string") return v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE - 1)}…` : v;
    if (v && typeof v === "object" && !Array.isArray(v)) {
        const s = Object.entries(v as Record<string, unknown>)
            .map(([k, x]) => `${k} ${x && typeof x === "object" ? JSON.stringify(x) : String(x)}`)
            .join(", ");
        return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
    }
    const s = JSON.stringify(v) ?? String(v);
    return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE - 1)}…` : s;
}

function containsSecret(v: unknown): boolean {
    if (v === SECRET) return true;
    if (Array.isArray(v)) return v.some(containsSecret);
    if (v && typeof v === "object") return Object.values(v).some(containsSecret);
    return false;
}

type Doc = Record<string, unknown> | undefined;

/** `prefix /b`, `header cookie regex ^…$`, `authority exact a.fullcycle`: one match condition in words. */
function conditionWords(key: string, v: unknown): string {
    const how = (x: unknown) =>
        x && typeof x === "object" && !Array.isArray(x) ? Object.entries(x as Record<string, unknown>).map(([k, y]) => `${k} ${typeof y === "string" ? y : JSON.stringify(y)}`).join(" ") : JSON.stringify(x);
    if (key === "uri") return how(v);
    if ((key === "headers" || key === "queryParams" || key === "withoutHeaders") && v && typeof v === "object") {
        const what = key === "headers" ? "header" : key === "withoutHeaders" ? "without header" : "query";
        return Object.entries(v as Record<string, unknown>).map(([name, m]) => `${what} ${name} ${how(m)}`).join(" and ");
    }
    return `${key} ${how(v)}`;
}

/** What an HTTP route selects, in words; its name when it has one. Several match entries read as "or". */
function matchWords(h: Record<string, unknown>): string {
    if (typeof h.name === "string") return h.name;
    const match = Array.isArray(h.match) ? (h.match as Record<string, unknown>[]) : [];
    if (!match.length) return "default";
    return match.map((m) => Object.entries(m ?? {}).filter(([k]) => k !== "name").map(([k, v]) => conditionWords(k, v)).join(" and ") || "any").join(" or ");
}

/**
 * `http prefix /b`, `http header cookie regex …`, `http default` (the route without a match) when the
 * VirtualService has (or had) several HTTP routes; nothing for a change inside the usual single route.
 * A route added or removed whole is always named.
 */
function httpLabel(doc: Doc, i: number, whole: boolean, several: boolean): string {
    const h = getAt(doc, ["spec", "http", i]) as Record<string, unknown> | undefined;
    if (!h || typeof h !== "object") return `http[${i}]`;
    if (!several && !h.match && typeof h.name !== "string" && !whole) return "";
    return `http ${matchWords(h)}`;
}

const httpCount = (doc: Doc) => {
    const http = getAt(doc, ["spec", "http"]);
    return Array.isArray(http) ? http.length : 0;
};

type Label = { label: string; rest: Segment[]; destination?: boolean; /** How this field's values read, when not as showValue has them. */ show?: (v: unknown) => string };

function routeLabel(doc: Doc, path: Segment[]): string {
    const d = getAt(doc, [...path, "destination"]) as { host?: string; subset?: string } | undefined;
    return `route ${d?.subset ?? d?.host ?? `[${String(path[path.length - 1])}]`}`;
}

/** Field names as words: `fault.delay.percentage.value` → `fault delay percentage`. */
function words(rest: Segment[]): string {
    const r = rest[rest.length - 1] === "value" && rest[rest.length - 2] === "percentage" ? rest.slice(0, -1) : rest;
    return r.map((s) => (typeof s === "number" ? `[${s}]` : s)).join(" ");
}

/** Label and remaining field path of a change in a VirtualService, or undefined to use the generic wording. */
function virtualServiceLabel(before: Doc, after: Doc, c: LeafChange): Label | undefined {
    const p = c.path;
    if (p[0] !== "spec" || p[1] !== "http") return undefined;
    if (c.reordered && p.length === 2) return { label: "http routes reordered", rest: [] };
    if (typeof p[2] !== "number") return undefined;
    // A removal is named from the document it was in, at its place there (the new one no longer has it).
    const removed = c.after === undefined;
    const doc = removed ? before : after;
    const docPath = removed ? c.beforePath : p;
    const parts = [httpLabel(doc, docPath[2] as number, p.length === 3, httpCount(before) > 1 || httpCount(after) > 1)];
    let rest = p.slice(3);
    if (rest[0] === "route" && typeof rest[1] === "number") {
        parts.push(routeLabel(doc, docPath.slice(0, 5)));
        rest = rest.slice(2);
        return { label: parts.filter(Boolean).join(" "), rest, destination: rest.length === 0 };
    }
    return { label: parts.filter(Boolean).join(" "), rest };
}

/** Label and remaining path in a DestinationRule: outlierDetection fields read bare, as the course names them. */
function destinationRuleLabel(before: Doc, after: Doc, c: LeafChange): Label | undefined {
    const p = c.path;
    if (p[0] !== "spec") return undefined;
    const parts: string[] = [];
    let rest = p.slice(1);
    if (rest[0] === "subsets" && typeof rest[1] === "number") {
        const doc = c.after === undefined ? before : after;
        const name = getAt(doc, c.after === undefined ? c.beforePath.slice(0, 3) : p.slice(0, 3)) as { name?: string } | undefined;
        parts.push(`subset ${name?.name ?? rest[1]}`);
        rest = rest.slice(2);
    }
    if (rest[0] === "trafficPolicy") rest = rest.slice(1);
    if (rest[0] === "outlierDetection" && rest.length > 1) rest = rest.slice(1);
    else if (rest[0] === "loadBalancer" && rest[1] === "simple") rest = ["loadBalancer"];
    else if (rest[0] === "loadBalancer" && rest[1] === "consistentHash" && rest.length > 2) rest = rest.slice(1);
    else if (parts.length === 0 && rest.length === 0) return undefined;
    return { label: parts.join(" "), rest };
}

/** `path PathPrefix /b and header Cookie RegularExpression ^…$`: an HTTPRoute rule's first match in words; `default` for none. */
function ruleMatchWords(rule: Record<string, unknown>): string {
    const matches = Array.isArray(rule.matches) ? (rule.matches as Record<string, unknown>[]) : [];
    if (!matches.length) return "default";
    return matches
        .map((m) => {
            const path = m.path as { type?: string; value?: string } | undefined;
            const headers = (Array.isArray(m.headers) ? m.headers : []) as { type?: string; name?: string; value?: string }[];
            return [...(path ? [`path ${path.type ?? "PathPrefix"} ${path.value ?? "/"}`] : []), ...headers.map((h) => `header ${h.name} ${h.type ?? "Exact"} ${h.value}`)].join(" and ") || "any";
        })
        .join(" or ");
}

const ruleCount = (doc: Doc) => {
    const rules = getAt(doc, ["spec", "rules"]);
    return Array.isArray(rules) ? rules.length : 0;
};

/** Status codes as ranges (`500–599`), so a retry's hundred codes read in a few words. */
const codesWords = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === "number") ? `[${codeRanges(v as number[])}]` : showValue(v));

/**
 * Label and remaining path in an HTTPRoute: `backend nginx-service-v2 weight 10 → 25`, `timeouts request
 * 10s → 5s`, `retry codes [500–599] → [502–504]`; a rule is named by its match when there are several.
 */
function httpRouteLabel(before: Doc, after: Doc, c: LeafChange): Label | undefined {
    const p = c.path;
    if (p[0] !== "spec" || p[1] !== "rules" || typeof p[2] !== "number") return undefined;
    const removed = c.after === undefined;
    const doc = removed ? before : after;
    const docPath = removed ? c.beforePath : p;
    const rule = getAt(doc, docPath.slice(0, 3)) as Record<string, unknown> | undefined;
    const named = p.length === 3 || ruleCount(before) > 1 || ruleCount(after) > 1;
    const parts = [named && rule && typeof rule === "object" ? `rule ${ruleMatchWords(rule)}` : ""];
    let rest = p.slice(3);
    if (rest[0] === "backendRefs" && typeof rest[1] === "number") {
        const b = getAt(doc, docPath.slice(0, 5)) as { name?: string } | undefined;
        parts.push(`backend ${b?.name ?? `[${rest[1]}]`}`);
        rest = rest.slice(2);
        return { label: parts.filter(Boolean).join(" "), rest, destination: rest.length === 0 };
    }
    return { label: parts.filter(Boolean).join(" "), rest, ...(rest[0] === "retry" && rest[1] === "codes" ? { show: codesWords } : {}) };
}

const POLICY_KINDS: Record<string, typeof virtualServiceLabel> = { VirtualService: virtualServiceLabel, DestinationRule: destinationRuleLabel, HTTPRoute: httpRouteLabel };

/**
 * One line per change, prefixed with the resource name.
 * @param kind the Kubernetes kind when the resource is a manifest (policy wording applies), else undefined
 */
export function describeChange(name: string, kind: string | undefined, before: Doc, after: Doc, c: LeafChange): string {
    const secret = containsSecret(c.before) || containsSecret(c.after);
    const labelled = kind && POLICY_KINDS[kind] ? POLICY_KINDS[kind](before, after, c) : undefined;
    if (c.reordered) {
        // First match wins: the new order is the change, whatever the routes say.
        const order = (list: unknown) => (Array.isArray(list) ? list.map((h) => (h && typeof h === "object" ? matchWords(h as Record<string, unknown>) : "?")).join(", ") : "?");
        return `${name}: ${labelled?.label ?? `${formatPath(c.path)} reordered`}: ${order(c.before)} → ${order(c.after)} (the first that matches wins)`;
    }
    const subject = labelled ? [labelled.label, words(labelled.rest)].filter(Boolean).join(" ") : formatPath(c.path);
    if (secret) return `${name}: ${subject} changed (${SECRET})`;
    const sep = labelled ? " " : ": ";
    // `route v2 added (weight 10)`, `route v1 removed (was weight 90)`: the label already says where to.
    if (labelled?.destination && (c.before === undefined || c.after === undefined)) {
        // A VirtualService destination or an HTTPRoute backendRef: both carry `weight`.
        const d = (c.after ?? c.before) as { weight?: unknown };
        const weight = d && typeof d === "object" && typeof d.weight === "number" ? `weight ${d.weight}` : "";
        if (c.before === undefined) return `${name}: ${subject} added${weight ? ` (${weight})` : ""}`;
        return `${name}: ${subject} removed${weight ? ` (was ${weight})` : ""}`;
    }
    const show = labelled?.show ?? showValue;
    if (c.before === undefined) return `${name}: ${subject} added${c.after !== undefined && typeof c.after !== "object" ? ` (${show(c.after)})` : c.after ? `: ${show(c.after)}` : ""}`;
    if (c.after === undefined) return `${name}: ${subject} removed (was ${show(c.before)})`;
    return `${name}: ${subject}${sep}${show(c.before)} → ${show(c.after)}`;
}
