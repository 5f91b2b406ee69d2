/**
 * Leaf changes of a resource in plain words. Mesh policies read the way the course talks about them
 * (`nginx-vs: route v2 weight 10 → 20`, `circuit-breaker-servicex: consecutiveGatewayErrors 5 → 10`);
 * every other field as `path: old → new`. Values that are secrets never appear. Pure.
 */
import { formatPath, getAt, LeafChange, SECRET, Segment } from "./objectDiff";

const MAX_VALUE = 80;

/** A value on one line: strings bare, objects as short `key value` lists, long ones cut. */
export function showValue(v: unknown): string {
    if (v === SECRET) return SECRET;
    const route = v as { destination?: { host?: string; subset?: string }; weight?: number } | undefined;
    if (route && typeof route === "object" && route.destination && typeof route.destination === "object") {
        return `to ${route.destination.subset ?? route.destination.host}${route.weight !== undefined ? `, weight ${route.weight}` : ""}`;
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

/** `http /b` or `http canary` for one of several HTTP routes; nothing for the usual single route. */
function httpLabel(doc: Doc, i: number): string {
    const http = getAt(doc, ["spec", "http"]);
    const h = getAt(doc, ["spec", "http", i]) as Record<string, unknown> | undefined;
    if (!Array.isArray(http) || !h) return `http[${i}]`;
    if (typeof h.name === "string") return `http ${h.name}`;
    const m = Array.isArray(h.match) ? (h.match[0] as Record<string, any> | undefined) : undefined;
    const uri = m?.uri as Record<string, string> | undefined;
    if (uri) return `http ${Object.entries(uri).map(([k, v]) => `${k} ${v}`).join(" ")}`;
    if (http.length === 1 && !m) return "";
    return `http[${i}]`;
}

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
function virtualServiceLabel(before: Doc, after: Doc, c: LeafChange): { label: string; rest: Segment[] } | undefined {
    const p = c.path;
    if (p[0] !== "spec" || p[1] !== "http" || typeof p[2] !== "number") return undefined;
    const doc = c.after === undefined && c.path === c.beforePath ? before : after;
    const docPath = doc === before ? c.beforePath : p;
    const parts = [httpLabel(doc, docPath[2] as number)];
    let rest = p.slice(3);
    if (rest[0] === "route" && typeof rest[1] === "number") {
        parts.push(routeLabel(doc, docPath.slice(0, 5)));
        rest = rest.slice(2);
    }
    return { label: parts.filter(Boolean).join(" "), rest };
}

/** Label and remaining path in a DestinationRule: outlierDetection fields read bare, as the course names them. */
function destinationRuleLabel(before: Doc, after: Doc, c: LeafChange): { label: string; rest: Segment[] } | undefined {
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

const POLICY_KINDS: Record<string, typeof virtualServiceLabel> = { VirtualService: virtualServiceLabel, DestinationRule: destinationRuleLabel };

/**
 * One line per change, prefixed with the resource name.
 * @param kind the Kubernetes kind when the resource is a manifest (policy wording applies), else undefined
 */
export function describeChange(name: string, kind: string | undefined, before: Doc, after: Doc, c: LeafChange): string {
    const secret = containsSecret(c.before) || containsSecret(c.after);
    const labelled = kind && POLICY_KINDS[kind] ? POLICY_KINDS[kind](before, after, c) : undefined;
    const subject = labelled ? [labelled.label, words(labelled.rest)].filter(Boolean).join(" ") : formatPath(c.path);
    if (secret) return `${name}: ${subject} changed (${SECRET})`;
    const sep = labelled ? " " : ": ";
    if (c.before === undefined) return `${name}: ${subject} added${c.after !== undefined && typeof c.after !== "object" ? ` (${showValue(c.after)})` : c.after ? `: ${showValue(c.after)}` : ""}`;
    if (c.after === undefined) return `${name}: ${subject} removed (was ${showValue(c.before)})`;
    return `${name}: ${subject}${sep}${showValue(c.before)} → ${showValue(c.after)}`;
}
