/**
 * What the API server does to a custom resource between decoding and validation, in its order:
 * pruning (fields the schema does not declare are dropped, and so are nulls in non-nullable fields)
 * then defaulting (a missing property with a schema `default` gets it, at every depth, the inserted
 * default included). Validation and the CEL rules then see this object, not the one written, so a
 * rule on `spec.rules[0].matches[0].path` runs even when the user wrote no match at all.
 * One walk, on a copy: the plan's objects are never changed.
 */
import { childPath, isPlainObject, JSONSchemaProps, propertySchema } from "./jsonSchema";

/** A field the API server would drop: it is not in the schema (what the user meant never arrives). */
export interface PrunedField {
    path: string;
    /** The names the schema declares at that level, for "did you mean". */
    known: string[];
}

const copy = (v: unknown): unknown => (v === undefined ? undefined : structuredClone(v));

function walk(v: unknown, s: JSONSchemaProps | undefined, path: string, pruned: PrunedField[]): unknown {
    if (!s || (s["x-kubernetes-preserve-unknown-fields"] && !s.properties && !s.items && !s.additionalProperties)) return v;
    if (Array.isArray(v)) return s.items ? v.map((x, i) => walk(x, s.items, childPath(path, i), pruned)) : v;
    if (!isPlainObject(v)) return v;
    const out: Record<string, unknown> = {};
    const declared = s.properties ?? {};
    for (const [k, x] of Object.entries(v)) {
        const sub = propertySchema(s, k);
        if (!sub) {
            // Undeclared: the API server prunes it, unless the node keeps unknown fields.
            if (s["x-kubernetes-preserve-unknown-fields"]) out[k] = x;
            else pruned.push({ path: childPath(path, k), known: Object.keys(declared) });
            continue;
        }
        if (x === null && !sub.nullable) continue; // pruned before defaulting, then defaulted like a missing field
        out[k] = walk(x, sub, childPath(path, k), pruned);
    }
    for (const [k, sub] of Object.entries(declared)) {
        if (out[k] === undefined && sub.default !== undefined) out[k] = walk(copy(sub.default), sub, childPath(path, k), pruned);
    }
    return out;
}

/** The object as the API server would validate and store it, and what pruning dropped. */
export function pruneAndDefault<T>(value: T, schema: JSONSchemaProps, path: string): { value: T; pruned: PrunedField[] } {
    const pruned: PrunedField[] = [];
    return { value: walk(value, schema, path, pruned) as T, pruned };
}
