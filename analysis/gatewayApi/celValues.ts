/**
 * A custom resource's JSON as the API server's CEL sees it, typed by the schema node it sits at:
 * `integer` is CEL int (a bigint here, so `self.port == 80` and `size() < 253` compare ints), `number`
 * is double, objects with `properties` are objects whose field names are escaped as Kubernetes does
 * (a property called `namespace`, a CEL keyword, is `self.__namespace__`; `a.b-c` is `a__dot__b__dash__c`),
 * maps (`additionalProperties`) keep their keys, arrays are lists. Each JSON object is converted once
 * (memoised), so rules at nested nodes do not convert the same subtree again, and built as Buf's
 * own CelMap/CelList, which it reads several times faster than plain Maps and arrays it must wrap.
 */
import { celList, celMap } from "@bufbuild/cel";
import type { CelInput } from "@bufbuild/cel";
import { JSONSchemaProps, propertySchema } from "./jsonSchema";

/** CEL's reserved words that Kubernetes escapes as `__word__` (apiserver/pkg/cel/escaping.go). */
const RESERVED = new Set(["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"]);

const escapes = new Map<string, string | undefined>();

/** The CEL name of object property `name`, or undefined when Kubernetes makes it unreachable from CEL. */
export function escapePropertyName(name: string): string | undefined {
    if (escapes.has(name)) return escapes.get(name);
    let out: string | undefined;
    if (RESERVED.has(name)) out = `__${name}__`;
    else if (/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) out = name.replace(/__/g, "__underscores__").replace(/\./g, "__dot__").replace(/-/g, "__dash__").replace(/\//g, "__slash__");
    escapes.set(name, out);
    return out;
}

export type CelInputValue = CelInput;

export class CelConverter {
    private readonly memo = new WeakMap<object, CelInputValue>();

    /** `v` at schema node `s` → the value bound to `self` there. */
    toCel(v: unknown, s: JSONSchemaProps | undefined): CelInputValue {
        if (v === null || v === undefined) return null;
        if (typeof v === "number") return Number.isInteger(v) && (s?.type === "integer" || s?.["x-kubernetes-int-or-string"]) ? BigInt(v) : v;
        if (typeof v !== "object") return v as string | boolean;
        const hit = this.memo.get(v);
        if (hit !== undefined) return hit;
        let out: CelInputValue;
        if (Array.isArray(v)) out = celList(v.map((x) => this.toCel(x, s?.items)));
        else {
            const m = new Map<string, CelInputValue>();
            const isMap = s !== undefined && !s.properties && typeof s.additionalProperties === "object";
            for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
                const name = isMap ? k : escapePropertyName(k);
                if (name !== undefined) m.set(name, this.toCel(x, propertySchema(s, k)));
            }
            out = celMap(m);
        }
        this.memo.set(v, out);
        return out;
    }
}
