/**
 * OpenAPI validation of a custom resource against its CRD's structural schema, as the API server
 * does it after pruning and defaulting: types, required, enums, patterns (Go's RE2, unanchored, so
 * re2js and never RegExp), lengths and bounds, item and property counts, the value-validation
 * combinators (oneOf/anyOf/allOf/not), string formats, and `x-kubernetes-list-type` set/map
 * uniqueness. Each violation carries the API server's error type: some of them block the CEL rules.
 */
import { isIP } from "net";
import { RE2JS } from "re2js";
import { childPath, isPlainObject, JSONSchemaProps, propertySchema } from "./jsonSchema";

/** field.ErrorType of k8s.io/apimachinery, for the ones a structural schema produces. */
export type SchemaErrorType = "Required" | "NotSupported" | "TooLong" | "TooMany" | "TypeInvalid" | "Invalid" | "Duplicate";

export interface SchemaViolation {
    path: string;
    type: SchemaErrorType;
    message: string;
}

/**
 * The errors after which the API server does not run the CEL rules at all ("some validation rules
 * were not checked because the object was invalid"): apiextensions-apiserver's hasBlockingErr.
 */
export const BLOCKING: ReadonlySet<SchemaErrorType> = new Set(["NotSupported", "Required", "TooLong", "TooMany", "TypeInvalid"]);

const patterns = new Map<string, RE2JS | Error>();
function pattern(p: string): RE2JS | Error {
    let r = patterns.get(p);
    if (!r) {
        try {
            r = RE2JS.compile(p);
        } catch (e) {
            r = e instanceof Error ? e : new Error(String(e));
        }
        patterns.set(p, r);
    }
    return r;
}

const show = (v: unknown): string => {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

const jsonType = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);

function typeMatches(v: unknown, s: JSONSchemaProps): boolean {
    if (s["x-kubernetes-int-or-string"]) return typeof v === "string" || Number.isInteger(v);
    switch (s.type) {
        case undefined:
            return true;
        case "object":
            return isPlainObject(v);
        case "array":
            return Array.isArray(v);
        case "string":
            return typeof v === "string";
        case "integer":
            return Number.isInteger(v);
        case "number":
            return typeof v === "number" && Number.isFinite(v);
        case "boolean":
            return typeof v === "boolean";
    }
}

/** JSON equality, for enums and set/map-list uniqueness (key order of objects does not matter). */
function same(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
    if (isPlainObject(a) && isPlainObject(b)) {
        const ka = Object.keys(a);
        return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
    }
    return false;
}

/** The string formats kube-openapi checks that the Gateway API CRDs use; other formats are not checked. */
const FORMATS: Record<string, (s: string) => boolean> = {
    ipv4: (s) => isIP(s) === 4,
    ipv6: (s) => isIP(s) === 6,
    "date-time": (s) => /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
};

function validate(v: unknown, s: JSONSchemaProps, path: string, out: SchemaViolation[]): void {
    if (v === undefined) return;
    if (v === null) {
        // Pruning drops nulls of non-nullable fields, so a null here is one the schema allows.
        if (!s.nullable) out.push({ path, type: "TypeInvalid", message: `must be of type ${s.type ?? "value"}, not null` });
        return;
    }
    if (!typeMatches(v, s)) {
        out.push({ path, type: "TypeInvalid", message: `must be of type ${s["x-kubernetes-int-or-string"] ? "integer or string" : s.type} (got ${jsonType(v)} ${show(v)})` });
        return;
    }
    if (s.enum && !s.enum.some((e) => same(e, v))) out.push({ path, type: "NotSupported", message: `Unsupported value ${show(v)}: supported values: ${s.enum.map(show).join(", ")}` });

    if (typeof v === "string") {
        const length = [...v].length; // code points, as Go's utf8.RuneCountInString
        if (s.maxLength !== undefined && length > s.maxLength) out.push({ path, type: "TooLong", message: `Too long: may not be longer than ${s.maxLength} characters (got ${length})` });
        if (s.minLength !== undefined && length < s.minLength) out.push({ path, type: "Invalid", message: `Invalid value ${show(v)}: should be at least ${s.minLength} characters long` });
        if (s.pattern !== undefined) {
            const re = pattern(s.pattern);
            if (!(re instanceof Error) && !re.test(v)) out.push({ path, type: "Invalid", message: `Invalid value ${show(v)}: should match '${s.pattern}'` });
        }
        if (s.format && FORMATS[s.format] && !FORMATS[s.format](v)) out.push({ path, type: "Invalid", message: `Invalid value ${show(v)}: must be a valid ${s.format}` });
    }
    if (typeof v === "number") {
        if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) out.push({ path, type: "Invalid", message: `Invalid value ${v}: should be less than ${s.exclusiveMaximum ? "" : "or equal to "}${s.maximum}` });
        if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) out.push({ path, type: "Invalid", message: `Invalid value ${v}: should be greater than ${s.exclusiveMinimum ? "" : "or equal to "}${s.minimum}` });
    }
    if (Array.isArray(v)) {
        if (s.maxItems !== undefined && v.length > s.maxItems) out.push({ path, type: "TooMany", message: `Too many: ${v.length}: must have at most ${s.maxItems} items` });
        if (s.minItems !== undefined && v.length < s.minItems) out.push({ path, type: "Invalid", message: `should have at least ${s.minItems} item${s.minItems === 1 ? "" : "s"}` });
        listUniqueness(v, s, path, out);
        if (s.items) v.forEach((x, i) => validate(x, s.items!, childPath(path, i), out));
    }
    if (isPlainObject(v)) {
        for (const k of s.required ?? []) if (v[k] === undefined) out.push({ path: childPath(path, k), type: "Required", message: "Required value" });
        const n = Object.keys(v).length;
        if (s.maxProperties !== undefined && n > s.maxProperties) out.push({ path, type: "TooMany", message: `Too many: ${n}: must have at most ${s.maxProperties} properties` });
        if (s.minProperties !== undefined && n < s.minProperties) out.push({ path, type: "Invalid", message: `should have at least ${s.minProperties} properties` });
        for (const [k, x] of Object.entries(v)) {
            const sub = propertySchema(s, k);
            if (sub) validate(x, sub, childPath(path, k), out);
        }
    }
    combinators(v, s, path, out);
}

/** `x-kubernetes-list-type: set` items, and `map` items by their keys, are unique. */
function listUniqueness(v: unknown[], s: JSONSchemaProps, path: string, out: SchemaViolation[]): void {
    const kind = s["x-kubernetes-list-type"];
    if (kind !== "set" && kind !== "map") return;
    const keys = s["x-kubernetes-list-map-keys"] ?? [];
    const seen = new Map<string, number>();
    v.forEach((item, i) => {
        const key = kind === "set" ? JSON.stringify(item) : isPlainObject(item) ? JSON.stringify(keys.map((k) => item[k] ?? null)) : undefined;
        if (key === undefined) return;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, i);
        else {
            const shown = kind === "set" ? show(item) : `{${keys.map((k) => `${JSON.stringify(k)}:${show((item as Record<string, unknown>)[k])}`).join(",")}}`;
            out.push({ path: childPath(path, i), type: "Duplicate", message: `Duplicate value: ${shown} (the same ${kind === "set" ? "item" : keys.join("/")} as [${first}])` });
        }
    });
}

function combinators(v: unknown, s: JSONSchemaProps, path: string, out: SchemaViolation[]): void {
    const passes = (sub: JSONSchemaProps) => {
        const tmp: SchemaViolation[] = [];
        validate(v, sub, path, tmp);
        return tmp.length === 0;
    };
    for (const sub of s.allOf ?? []) validate(v, sub, path, out);
    if (s.anyOf && !s.anyOf.some(passes)) out.push({ path, type: "Invalid", message: `Invalid value ${show(v)}: must validate at least one schema (anyOf)${anyOfHint(s.anyOf)}` });
    if (s.oneOf) {
        const n = s.oneOf.filter(passes).length;
        if (n !== 1) out.push({ path, type: "Invalid", message: `Invalid value: must validate one and only one schema (oneOf); it validates ${n}${oneOfHint(v, s.oneOf)}` });
    }
    if (s.not && passes(s.not)) out.push({ path, type: "Invalid", message: `Invalid value ${show(v)}: must not validate the schema (not)` });
}

const anyOfHint = (subs: JSONSchemaProps[]): string => {
    const formats = subs.map((x) => x.format).filter(Boolean);
    return formats.length === subs.length ? ` (one of the formats: ${formats.join(", ")})` : "";
};

/** The oneOf alternatives' failures, when only one alternative is close (the Gateway address's IPAddress case). */
function oneOfHint(v: unknown, subs: JSONSchemaProps[]): string {
    const failures = subs.map((sub) => {
        const tmp: SchemaViolation[] = [];
        validate(v, sub, "", tmp);
        return tmp;
    });
    const near = failures.filter((f) => f.length > 0 && f.every((x) => x.path !== ".type" && x.path !== "type"));
    return near.length === 1 ? `: ${near[0].map((x) => `${x.path ? `${x.path.replace(/^\./, "")}: ` : ""}${x.message}`).join("; ")}` : "";
}

/** Every OpenAPI violation of `v` (already pruned and defaulted) against `schema`, with field paths under `path`. */
export function schemaViolations(v: unknown, schema: JSONSchemaProps, path: string): SchemaViolation[] {
    const out: SchemaViolation[] = [];
    validate(v, schema, path, out);
    return out;
}
