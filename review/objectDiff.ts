/**
 * Structural difference of two plain objects (two renders of one resource, or an engine event's old and
 * new inputs) as leaf changes. Lists of named things (subsets, routes to a subset) are matched by
 * identity rather than position, so adding a route reads as "route v3 added", not as every later
 * route changing; a VirtualService's HTTP routes by their match (what they select), so putting
 * `/b` in front of the default route reads as one route added, and a new order as a reorder. Pure.
 */

export type Segment = string | number;

export interface LeafChange {
    /** Where the change is, with list indices as in `after` (as in `before` for a removal). */
    path: Segment[];
    /** The same place in `before` (indices can differ when list items were matched by identity). */
    beforePath: Segment[];
    /** `undefined` when added. */
    before: unknown;
    /** `undefined` when removed. */
    after: unknown;
    /**
     * The same items in another order, in a list whose order matters (a VirtualService's routes: the
     * first that matches wins); `before` and `after` are then the whole lists.
     */
    reordered?: true;
}

/** The placeholder every secret value is replaced with before anything is compared or printed. */
export const SECRET = "[secret]";

/** How the SDK marks a secret on the wire (rpc.specialSigKey / specialSecretSig). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Replaces secret signature objects with the placeholder, so no secret value survives into a diff. */
export function maskSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(maskSecrets);
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o[SECRET_SIG_KEY] === SECRET_SIG) return SECRET;
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, maskSecrets(v)]));
    }
    return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    if (isObject(a) && isObject(b)) {
        const ka = Object.keys(a);
        return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
    }
    return false;
}

/** Identity of a list item: a route's destination, or a `name`. Undefined → match by position. */
export function itemKey(item: unknown): string | undefined {
    if (!isObject(item)) return undefined;
    const d = item.destination;
    if (isObject(d) && typeof d.host === "string") return `dest:${d.host}|${String(d.subset ?? "")}|${JSON.stringify(d.port ?? "")}`;
    if (typeof item.name === "string") return `name:${item.name}`;
    return undefined;
}

/** JSON with object keys sorted, so two equal matches spell the same. */
function canonical(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
    if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
    return JSON.stringify(v) ?? "null";
}

/** A VirtualService's route lists (`spec.http`, `spec.tls`, `spec.tcp`): first match wins, so order is meaning. */
function isRouteList(path: Segment[]): boolean {
    const n = path.length;
    return n >= 2 && path[n - 2] === "spec" && (path[n - 1] === "http" || path[n - 1] === "tls" || path[n - 1] === "tcp");
}

/** A route of such a list is what it matches (no match: the default route). */
const routeKey = (item: unknown): string | undefined => (isObject(item) ? `match:${canonical(item.match ?? [])}` : undefined);

/**
 * An HTTPRoute's rules (`spec.rules` whose items route: `backendRefs` or `matches`) are also what they
 * match; the Gateway API ranks them by match, so their order is no change of meaning.
 */
const isHttpRouteRules = (path: Segment[], items: unknown[]): boolean =>
    path.length === 2 && path[0] === "spec" && path[1] === "rules" && items.length > 0 && items.every((x) => isObject(x) && ("backendRefs" in x || "matches" in x));
const ruleKey = (item: unknown): string | undefined => (isObject(item) ? `matches:${canonical(item.matches ?? [])}` : undefined);

function diffLists(before: unknown[], after: unknown[], path: Segment[], beforePath: Segment[], out: LeafChange[]): void {
    const ordered = isRouteList(path);
    const key = ordered ? routeKey : isHttpRouteRules(path, [...before, ...after]) ? ruleKey : itemKey;
    const keysB = before.map(key);
    const keysA = after.map(key);
    const keyed = keysB.every((k) => k !== undefined) && keysA.every((k) => k !== undefined) && new Set(keysA).size === keysA.length && new Set(keysB).size === keysB.length;
    if (!keyed) {
        // Lists of plain values (hosts, args) read best whole; lists of objects by position.
        if (![...before, ...after].every(isObject)) {
            if (!deepEqual(before, after)) out.push({ path, beforePath, before, after });
            return;
        }
        const n = Math.max(before.length, after.length);
        for (let i = 0; i < n; i++) {
            if (i >= after.length) out.push({ path: [...beforePath, i], beforePath: [...beforePath, i], before: before[i], after: undefined });
            else if (i >= before.length) out.push({ path: [...path, i], beforePath: [...beforePath, i], before: undefined, after: after[i] });
            else diffInto(before[i], after[i], [...path, i], [...beforePath, i], out);
        }
        return;
    }
    if (ordered) {
        // Same routes, other order: a change of meaning even when no route changed.
        const common = (ks: (string | undefined)[], other: (string | undefined)[]) => ks.filter((k) => other.includes(k));
        const b = common(keysB, keysA);
        const a = common(keysA, keysB);
        if (b.some((k, i) => k !== a[i])) out.push({ path, beforePath, before, after, reordered: true });
    }
    keysA.forEach((k, i) => {
        const j = keysB.indexOf(k);
        if (j < 0) out.push({ path: [...path, i], beforePath: [...beforePath, i], before: undefined, after: after[i] });
        else diffInto(before[j], after[i], [...path, i], [...beforePath, j], out);
    });
    keysB.forEach((k, j) => {
        if (!keysA.includes(k)) out.push({ path: [...beforePath, j], beforePath: [...beforePath, j], before: before[j], after: undefined });
    });
}

function diffInto(before: unknown, after: unknown, path: Segment[], beforePath: Segment[], out: LeafChange[]): void {
    if (deepEqual(before, after)) return;
    if (isObject(before) && isObject(after)) {
        for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
            if (!(k in after)) out.push({ path: [...path, k], beforePath: [...beforePath, k], before: before[k], after: undefined });
            else if (!(k in before)) out.push({ path: [...path, k], beforePath: [...beforePath, k], before: undefined, after: after[k] });
            else diffInto(before[k], after[k], [...path, k], [...beforePath, k], out);
        }
        return;
    }
    if (Array.isArray(before) && Array.isArray(after)) return diffLists(before, after, path, beforePath, out);
    out.push({ path, beforePath, before, after });
}

/** Leaf changes from `before` to `after`, secrets masked first. */
export function diffObjects(before: unknown, after: unknown): LeafChange[] {
    const out: LeafChange[] = [];
    diffInto(maskSecrets(before), maskSecrets(after), [], [], out);
    return out;
}

/** `spec.http[0].route[1].weight` */
export function formatPath(path: Segment[]): string {
    return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

/** Parses the engine's detailedDiff keys (`spec.http[0].route[1].weight`, `metadata["labels"]`) into segments. */
export function parsePath(text: string): Segment[] {
    const out: Segment[] = [];
    const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
    for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(`"${m[3]}"`)));
    return out;
}

export function getAt(root: unknown, path: Segment[]): unknown {
    let v: unknown = root;
    for (const s of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<string | number, unknown>)[s];
    }
    return v;
}
