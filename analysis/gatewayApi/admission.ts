/**
 * One Gateway API object through what the API server does on create, in its order: find the served
 * version's schema; prune and default; OpenAPI validation; then, unless a blocking error stopped it
 * there, the CEL rules. Returns the findings and the object as it would be stored (defaults applied),
 * which is what the cross-object analyzers read.
 */
import type { K8sObject } from "../../mesh/objects";
import { Finding, resourceName } from "../finding";
import { pruneAndDefault, PrunedField } from "./defaulting";
import type { JSONSchemaProps } from "./jsonSchema";
import type { GatewayApiCrds } from "./manifest";
import { groupOf } from "./objects";
import { BLOCKING, schemaViolations, SchemaErrorType } from "./structuralSchema";
import { ruleViolations } from "./validationRules";

/** Not a kind or version the pinned CRDs serve, or the CRDs are not available. */
export const UNSERVED_CODE = "GWAPI000";
/** The CRD's OpenAPI schema refuses it (or prunes a field of it). */
export const SCHEMA_CODE = "GWAPI001";
/** A CEL validation rule of the CRD fails or errors: the API server refuses it. */
export const RULE_CODE = "GWAPI002";
/** A CEL rule this evaluator cannot run (a Kubernetes function it lacks): not checked, never passed. */
export const UNCHECKED_CODE = "GWAPI003";

const SCHEMA_FIXES: Record<SchemaErrorType, string> = {
    Required: "set the field: the CRD requires it",
    NotSupported: "use one of the supported values (they are case-sensitive)",
    TooLong: "shorten the value to the CRD's maximum length",
    TooMany: "keep within the CRD's maximum: split the items over more objects (an HTTPRoute holds at most 16 rules, a Gateway 64 listeners)",
    TypeInvalid: "give the field the type the CRD declares (in YAML, quote a string that looks like a number)",
    Invalid: "give the field a value the CRD's schema accepts",
    Duplicate: "give each item its own key: the API server keeps these lists as maps and refuses a key twice",
};

/** The root schema as validated for a create: metadata is the Kubernetes layer's, status is the status subresource's. */
function bodySchema(root: JSONSchemaProps): JSONSchemaProps {
    const properties = { ...(root.properties ?? {}) };
    delete properties.metadata;
    delete properties.status;
    return { ...root, properties, required: (root.required ?? []).filter((k) => k !== "metadata" && k !== "status") };
}
const bodySchemas = new WeakMap<JSONSchemaProps, JSONSchemaProps>();

export interface Admission {
    findings: Finding[];
    /** The object as stored (pruned, defaulted), when its kind and version are served. */
    admitted?: K8sObject;
}

export interface AdmissionOptions {
    /** For a field pruned on this channel: the CRDs of the other channel, to say when it is an experimental field. */
    experimental?: () => GatewayApiCrds | undefined;
}

export function admit(o: K8sObject, crds: GatewayApiCrds, opts: AdmissionOptions = {}): Admission {
    const resource = resourceName(o);
    const err = (code: string, path: string, message: string, fix: string, severity: Finding["severity"] = "error"): Finding => ({ code, severity, resource, path, message, fix });
    const group = groupOf(o.apiVersion);
    const version = o.apiVersion.slice(group.length + 1);
    const served = crds.served.get(`${group}/${version}/${o.kind}`);
    if (!served) {
        const crd = crds.crds.get(`${group}/${o.kind}`);
        const kinds = [...new Set([...crds.crds.values()].map((c) => c.kind))].sort().join(", ");
        return {
            findings: [
                crd
                    ? err(UNSERVED_CODE, "apiVersion", `${o.apiVersion} is not served by the ${crds.source} CRD ${crd.crdName} (served: ${crd.served.join(", ")})`, `use apiVersion ${group}/${crd.served.includes("v1") ? "v1" : crd.served[0]}`)
                    : err(UNSERVED_CODE, "kind", `${o.kind} (${group}) is not a kind of the ${crds.source} CRDs`, `use a kind this channel serves (${kinds}); TCPRoute, UDPRoute and the X… kinds are experimental-channel only`),
            ],
        };
    }
    let schema = bodySchemas.get(served.schema);
    if (!schema) bodySchemas.set(served.schema, (schema = bodySchema(served.schema)));

    const { metadata, status: _status, ...body } = o;
    const { value: stored, pruned } = pruneAndDefault(body as Record<string, unknown>, schema, "");
    const findings: Finding[] = pruned.map((p) => err(SCHEMA_CODE, p.path, prunedMessage(p, o, crds, opts), p.known.length ? `remove it, or use a field the CRD declares there: ${p.known.join(", ")}` : "remove it"));

    const violations = schemaViolations(stored, schema, "");
    for (const v of violations) findings.push(err(SCHEMA_CODE, v.path, v.message, SCHEMA_FIXES[v.type]));

    if (violations.some((v) => BLOCKING.has(v.type))) {
        findings.push(err(RULE_CODE, "spec", "the CRD's CEL rules were not checked because of the errors above (the API server stops there too)", "fix the errors above; the rules run once the object passes the schema", "info"));
    } else {
        // `self` at the root sees metadata.name and generateName only, as on the API server.
        const celRoot = { ...stored, metadata: { name: metadata.name } };
        for (const r of ruleViolations(celRoot, served.schema, "")) {
            if (r.kind === "unevaluable") findings.push(err(UNCHECKED_CODE, r.path, `a CEL rule of the CRD was not checked: ${r.message}`, `check this field by hand against the rule \`${r.rule}\`; please report the missing function to istio-mesh`, "warning"));
            else findings.push(err(RULE_CODE, r.path, r.message, r.kind === "error" ? "the API server fails this rule with that error, and refuses the object: change the field so the rule can be evaluated" : `change the object so that the CRD's rule holds: \`${r.rule.length > 160 ? `${r.rule.slice(0, 157)}...` : r.rule}\``));
        }
    }
    return { findings, admitted: { ...(stored as object), apiVersion: o.apiVersion, kind: o.kind, metadata } as K8sObject };
}

function prunedMessage(p: PrunedField, o: K8sObject, crds: GatewayApiCrds, opts: AdmissionOptions): string {
    const base = `unknown field: the ${crds.source} CRD does not declare it, so the API server drops it (or refuses the object under strict field validation) and it has no effect`;
    const other = opts.experimental?.();
    if (!other || other === crds) return base;
    const { metadata: _m, status: _s, ...body } = o;
    const served = other.served.get(`${groupOf(o.apiVersion)}/${o.apiVersion.slice(groupOf(o.apiVersion).length + 1)}/${o.kind}`);
    if (!served) return base;
    const there = pruneAndDefault(body as Record<string, unknown>, bodySchema(served.schema), "").pruned;
    return there.some((q) => q.path === p.path) ? base : `${base}; it is a field of the experimental channel (${other.source}), which the cluster would need instead`;
}
