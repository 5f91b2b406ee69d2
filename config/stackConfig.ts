/**
 * Reading the stack's config the way the Pulumi engine hands it to the program: a flat map of
 * `namespace:key` → string, structured values JSON-encoded. Pure except for `fromPulumiRuntime`.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import { CONFIG_NAMESPACE } from "./parse";

export interface FlatConfig {
    /** `istio-mesh:cluster` → `{"kind":"k3d",...}` */
    values: Record<string, string>;
    /** Keys whose value is a secret. */
    secretKeys: string[];
}

/** The `istio-mesh:*` entries of a flat config, keyed without the namespace, JSON decoded. */
export function projectValues(values: Record<string, string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
        if (!key.startsWith(`${CONFIG_NAMESPACE}:`)) continue; // other providers' keys (aws:region, …)
        const name = key.slice(CONFIG_NAMESPACE.length + 1);
        try {
            out[name] = JSON.parse(value);
        } catch {
            out[name] = value; // a plain string value
        }
    }
    return out;
}

export const SECRET_PLACEHOLDER = "[secret]";

/** Replaces every `{secure: ...}` (which cannot be decrypted offline) with a placeholder. */
function maskSecure(value: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const parts = value.map(maskSecure);
        return { value: parts.map((p) => p.value), secret: parts.some((p) => p.secret) };
    }
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (Object.keys(o).length === 1 && typeof o.secure === "string") return { value: SECRET_PLACEHOLDER, secret: true };
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(o)) {
            const m = maskSecure(v);
            out[k] = m.value;
            secret ||= m.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

/** Parses a `Pulumi.<stack>.yaml` text into the flat form the engine would pass the program. */
export function flattenStackFile(text: string, file = "stack file"): FlatConfig {
    const doc = (yaml.load(text) ?? {}) as { config?: Record<string, unknown> };
    if (typeof doc !== "object" || Array.isArray(doc)) throw new Error(`${file}: not a Pulumi stack file (expected a YAML mapping with a "config:" key)`);
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [rawKey, rawValue] of Object.entries(doc.config ?? {})) {
        // Pulumi reads a key without a namespace as the project's own.
        const key = rawKey.includes(":") ? rawKey : `${CONFIG_NAMESPACE}:${rawKey}`;
        const { value, secret } = maskSecure(rawValue);
        values[key] = typeof value === "string" ? value : JSON.stringify(value);
        if (secret) secretKeys.push(key);
    }
    return { values, secretKeys };
}

export function readStackFile(file: string): FlatConfig {
    return flattenStackFile(fs.readFileSync(file, "utf8"), file);
}
