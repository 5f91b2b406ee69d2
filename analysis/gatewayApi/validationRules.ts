/**
 * A CRD's CEL validation rules (`x-kubernetes-validations`), evaluated as the API server does:
 * each rule at the schema node that carries it, with `self` bound to the value there; a rule on an
 * absent optional field is not evaluated; a transition rule (one that reads `oldSelf`) only runs on
 * update, so a create-time check skips it; `messageExpression`, `reason` and `fieldPath` shape the
 * error when present. Each rule is compiled once per process and cached by its text.
 */
import { isCelError, parse, plan } from "@bufbuild/cel";
import { CelConverter, CelInputValue } from "./celValues";
import { validationRuleEnv } from "./celLibrary";
import { childPath, isPlainObject, JSONSchemaProps, propertySchema, ValidationRule } from "./jsonSchema";

type Program = (ctx: { self: CelInputValue }) => unknown;

export interface RuleViolation {
    path: string;
    message: string;
    rule: string;
    /** failed: false (the API server refuses); error: a runtime error (refused too); unevaluable: a function this evaluator lacks. */
    kind: "failed" | "error" | "unevaluable";
}

const programs = new Map<string, Program | Error>();

/** The planned program of a rule, or why it does not compile here. */
export function compileRule(rule: string): Program | Error {
    let p = programs.get(rule);
    if (!p) {
        try {
            p = plan(validationRuleEnv(), parse(rule)) as Program;
        } catch (e) {
            p = e instanceof Error ? e : new Error(String(e));
        }
        programs.set(rule, p);
    }
    return p;
}

export const isTransitionRule = (r: ValidationRule): boolean => /\boldSelf\b/.test(r.rule);

/** A runtime error the API server would also raise, or this evaluator missing a Kubernetes function? */
const MISSING_FUNCTION = /unbound function|no matching overload|unknown function|undeclared reference/i;

const REASONS: Record<string, string> = { FieldValueForbidden: "Forbidden", FieldValueRequired: "Required value", FieldValueDuplicate: "Duplicate value", FieldValueInvalid: "Invalid value" };

/** `fieldPath` is relative to the rule's node: `.foo.bar`, `.map['key']`. */
const joinFieldPath = (path: string, fieldPath: string | undefined): string => (!fieldPath ? path : fieldPath.startsWith(".") || fieldPath.startsWith("[") ? `${path}${fieldPath}` : `${path}.${fieldPath}`);

function evaluate(r: ValidationRule, self: CelInputValue, path: string, out: RuleViolation[]): void {
    if (isTransitionRule(r)) return;
    const at = joinFieldPath(path, r.fieldPath);
    const program = compileRule(r.rule);
    if (program instanceof Error) {
        out.push({ path: at, rule: r.rule, kind: "unevaluable", message: `the rule does not compile here (${program.message.split("\n")[0]})` });
        return;
    }
    const result = program({ self });
    if (result === true) return;
    if (result === false) {
        out.push({ path: at, rule: r.rule, kind: "failed", message: `${REASONS[r.reason ?? "FieldValueInvalid"] ?? "Invalid value"}: ${failureMessage(r, self)}` });
        return;
    }
    const detail = isCelError(result) ? result.message : `the rule returned ${String(result)}, not a bool`;
    out.push(MISSING_FUNCTION.test(detail) ? { path: at, rule: r.rule, kind: "unevaluable", message: `not checked here: ${detail}` } : { path: at, rule: r.rule, kind: "error", message: `${detail} evaluating rule: ${r.rule}` });
}

/** messageExpression when it yields a usable one-line string, else message, else the rule (as the API server). */
function failureMessage(r: ValidationRule, self: CelInputValue): string {
    if (r.messageExpression) {
        const p = compileRule(r.messageExpression);
        const m = p instanceof Error ? undefined : p({ self });
        if (typeof m === "string" && m.trim() !== "" && !/[\r\n]/.test(m)) return m;
    }
    return r.message ?? `failed rule: ${r.rule}`;
}

const hasRulesMemo = new WeakMap<JSONSchemaProps, boolean>();
/** Whether any node under `s` carries a rule: subtrees without rules are not walked. */
function hasRules(s: JSONSchemaProps): boolean {
    let h = hasRulesMemo.get(s);
    if (h === undefined) {
        hasRulesMemo.set(s, false); // a recursive schema cannot loop here
        h =
            (s["x-kubernetes-validations"]?.length ?? 0) > 0 ||
            Object.values(s.properties ?? {}).some(hasRules) ||
            (s.items !== undefined && hasRules(s.items)) ||
            (typeof s.additionalProperties === "object" && hasRules(s.additionalProperties));
        hasRulesMemo.set(s, h);
    }
    return h;
}

function walk(v: unknown, s: JSONSchemaProps | undefined, path: string, conv: CelConverter, out: RuleViolation[]): void {
    if (v === undefined || v === null || !s || !hasRules(s)) return;
    const rules = s["x-kubernetes-validations"];
    if (rules) {
        const self = conv.toCel(v, s);
        for (const r of rules) evaluate(r, self, path, out);
    }
    if (Array.isArray(v)) {
        if (s.items) for (let i = 0; i < v.length; i++) walk(v[i], s.items, childPath(path, i), conv, out);
    } else if (isPlainObject(v)) {
        for (const k of Object.keys(v)) walk(v[k], propertySchema(s, k), childPath(path, k), conv, out);
    }
}

/** Every rule in force on `v` (pruned and defaulted, schema-valid) failing or erroring, with its field path. */
export function ruleViolations(v: unknown, schema: JSONSchemaProps, path: string): RuleViolation[] {
    const out: RuleViolation[] = [];
    walk(v, schema, path, new CelConverter(), out);
    return out;
}
