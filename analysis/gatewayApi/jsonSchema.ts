/**
 * The part of a CRD's OpenAPI v3 schema (`JSONSchemaProps`) that the API server acts on for a
 * structural schema, with Kubernetes' own extensions. Only what the Gateway API CRDs use, and what
 * the API server would do with it, is interpreted here; the rules themselves come from the CRDs.
 */

/** One `x-kubernetes-validations` entry: a CEL rule and how its failure is reported. */
export interface ValidationRule {
    rule: string;
    message?: string;
    messageExpression?: string;
    /** FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate. */
    reason?: string;
    /** Where the error is reported, relative to the node the rule is on (`.spec.foo`, `.list[0]`). */
    fieldPath?: string;
    optionalOldSelf?: boolean;
}

export interface JSONSchemaProps {
    type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
    description?: string;
    properties?: Record<string, JSONSchemaProps>;
    additionalProperties?: JSONSchemaProps | boolean;
    items?: JSONSchemaProps;
    required?: string[];
    enum?: unknown[];
    pattern?: string;
    format?: string;
    minLength?: number;
    maxLength?: number;
    minItems?: number;
    maxItems?: number;
    minProperties?: number;
    maxProperties?: number;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: boolean;
    exclusiveMaximum?: boolean;
    default?: unknown;
    nullable?: boolean;
    oneOf?: JSONSchemaProps[];
    anyOf?: JSONSchemaProps[];
    allOf?: JSONSchemaProps[];
    not?: JSONSchemaProps;
    "x-kubernetes-list-type"?: "atomic" | "set" | "map";
    "x-kubernetes-list-map-keys"?: string[];
    "x-kubernetes-map-type"?: "atomic" | "granular";
    "x-kubernetes-int-or-string"?: boolean;
    "x-kubernetes-preserve-unknown-fields"?: boolean;
    "x-kubernetes-embedded-resource"?: boolean;
    "x-kubernetes-validations"?: ValidationRule[];
}

/** The schema of property `key` of an object node: a declared property, or the map's value schema. */
export function propertySchema(s: JSONSchemaProps | undefined, key: string): JSONSchemaProps | undefined {
    if (!s) return undefined;
    const p = s.properties?.[key];
    if (p && Object.prototype.hasOwnProperty.call(s.properties, key)) return p;
    return typeof s.additionalProperties === "object" ? s.additionalProperties : undefined;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `spec.rules` + `3` → `spec.rules[3]`; `spec` + `rules` → `spec.rules`; an odd key is quoted. */
export const childPath = (path: string, key: string | number): string =>
    typeof key === "number" ? `${path}[${key}]` : /^[A-Za-z_$][\w$-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
