/**
 * Reading the stack's config the way the Pulumi engine hands it to the program: a flat map of
 * `namespace:key` → string, structured values JSON-encoded. Pure except for `fromPulumiRuntime`.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import { CONFIG_NAMESPACE } from "./parse";
import { ConfigError, Problems } from "./reader";

export interface FlatConfig {
    /** `istio-mesh:cluster` → `{"kind":"k3d",...}` */
    values: Record<string, string>;
    /** Keys whose value is a secret. */
    secretKeys: string[];
    /** Config paths (`istio-mesh:cluster.kubeconfig`) that were `secure:` in a stack file; unknown under the engine. */
    secretPaths?: string[];
}

/** The `istio-mesh:*` entries of a flat config, keyed without the namespace, JSON decoded. */
export function projectValues(values: Record<string, string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
        if (!key.startsWith(`${CONFIG_NAMESPACE}:`)) continue; // other providers' keys (aws:region, …)
        const name = key.slice(CONFIG_NAMESPACE.length + 1);
        let v: unknown;
        try {
            v = JSON.parse(value);
        } catch {
            v = value; // a plain string value
        }
        Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return out;
}

export const SECRET_PLACEHOLDER = "[secret]";

/**
 * A stack file larger than this is refused before YAML reads it. The lab's own are ~2 KiB; the bound
 * leaves room for a page (indexHtml) up to a ConfigMap's 1 MiB, so that limit is the one reported.
 */
export const MAX_STACK_FILE_BYTES = 4 * 1024 * 1024;
/** Values after YAML aliases are expanded: an alias bomb is refused at this count, before it is walked further. */
export const MAX_STACK_FILE_VALUES = 100_000;
/** Top-level keys of a `Pulumi.<stack>.yaml` (Pulumi's project stack settings). */
export const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"] as const;
/** Config namespaces a stack file may use: this program's and those of the providers it runs. */
export const CONFIG_NAMESPACES = [CONFIG_NAMESPACE, "pulumi", "aws", "kubernetes", "docker", "eks", "random", "command"] as const;

/** Levenshtein distance ≤ 2: "istio-mesg" → "istio-mesh". */
function near(a: string, b: string): boolean {
    if (Math.abs(a.length - b.length) > 2) return false;
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length] <= 2;
}

/** A YAML message without the file's bytes: js-yaml's reason only, printable ASCII, bounded. */
function yamlReason(e: yaml.YAMLException): string {
    const reason = (e.reason || "not valid YAML").replace(/[^\x20-\x7e]/g, "?");
    return reason.length > 100 ? `${reason.slice(0, 97)}...` : reason;
}

interface Walk {
    problems: Problems;
    budget: { left: number };
    secretPaths: string[];
}

/**
 * One config value, checked and with every `{secure: ...}` (which cannot be decrypted offline)
 * replaced by a placeholder. Counts values against the budget (aliases count each time they are used).
 */
function walkValue(value: unknown, path: string, w: Walk): { value: unknown; secret: boolean } {
    if (--w.budget.left < 0) return { value: null, secret: false };
    if (typeof value === "number" && !Number.isFinite(value)) {
        w.problems.add(path, `${Number.isNaN(value) ? ".nan" : ".inf"} is not a value Pulumi config can hold; write a finite number (or remove the key to use the default)`);
        return { value: null, secret: false };
    }
    if (value instanceof Date) return { value: value.toISOString(), secret: false };
    if (Array.isArray(value)) {
        const parts = value.map((v, i) => walkValue(v, `${path}[${i}]`, w));
        return { value: parts.map((p) => p.value), secret: parts.some((p) => p.secret) };
    }
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        const keys = Object.keys(o);
        if (keys.length === 1 && keys[0] === "secure" && typeof o.secure === "string") {
            w.secretPaths.push(path);
            return { value: SECRET_PLACEHOLDER, secret: true };
        }
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const k of keys) {
            const m = walkValue(o[k], `${path}.${k}`, w);
            // defineProperty: a key named __proto__ stays a plain key (and fails the name rules), never a prototype.
            Object.defineProperty(out, k, { value: m.value, enumerable: true, writable: true, configurable: true });
            secret ||= m.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

/**
 * Parses a `Pulumi.<stack>.yaml` text into the flat form the engine would pass the program.
 * Hostile-input safe: size and alias expansion are bounded, a YAML error names line and column
 * without echoing the file, and the file's shape is checked. Throws a ConfigError.
 */
export function flattenStackFile(text: string, file = "stack file"): FlatConfig {
    const problems = new Problems();
    const fail = (message: string): never => {
        problems.add(file, message);
        throw new ConfigError(problems.list);
    };
    if (Buffer.byteLength(text, "utf8") > MAX_STACK_FILE_BYTES) fail(`is larger than ${MAX_STACK_FILE_BYTES / 1024} KiB; a stack file holds config only`);
    if (text.includes("\u0000")) fail(`is not a text file (it contains NUL bytes)`);
    let doc: unknown;
    try {
        doc = yaml.load(text, { filename: file });
    } catch (e) {
        if (e instanceof yaml.YAMLException) fail(`${e.mark ? `line ${e.mark.line + 1}, column ${e.mark.column + 1}: ` : ""}YAML syntax error: ${yamlReason(e)}`);
        fail(`could not be read as YAML (nested too deeply?)`);
    }
    if (doc === undefined || doc === null) doc = {};
    if (typeof doc !== "object" || Array.isArray(doc)) fail(`is not a Pulumi stack file: expected a YAML mapping with a "config:" key`);
    const top = doc as Record<string, unknown>;
    for (const key of Object.keys(top)) {
        if (!(STACK_FILE_KEYS as readonly string[]).includes(key)) {
            problems.add(`${file}: ${key}`, `is not a key of a Pulumi stack file (${STACK_FILE_KEYS.join(", ")}); config goes under "config:" as ${CONFIG_NAMESPACE}:<key>`);
        }
    }
    const config = top.config ?? {};
    if (typeof config !== "object" || Array.isArray(config) || config === null) fail(`"config:" is not a mapping; write it as config: {${CONFIG_NAMESPACE}:<key>: <value>, ...}`);
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    const w: Walk = { problems, budget: { left: MAX_STACK_FILE_VALUES }, secretPaths: [] };
    for (const rawKey of Object.keys(config as object)) {
        // Pulumi reads a key without a namespace as the project's own.
        const key = rawKey.includes(":") ? rawKey : `${CONFIG_NAMESPACE}:${rawKey}`;
        const ns = key.slice(0, key.indexOf(":"));
        if (!(CONFIG_NAMESPACES as readonly string[]).includes(ns)) {
            const hint = near(ns, CONFIG_NAMESPACE) ? `did you mean "${CONFIG_NAMESPACE}:${key.slice(ns.length + 1)}"? ` : "";
            problems.add(key, `unknown config namespace "${ns}"; ${hint}this program reads ${CONFIG_NAMESPACE}:<key> (and its providers' ${CONFIG_NAMESPACES.slice(1).join(", ")})`);
            continue;
        }
        const { value, secret } = walkValue((config as Record<string, unknown>)[rawKey], key, w);
        if (w.budget.left < 0) fail(`expands to more than ${MAX_STACK_FILE_VALUES} values (YAML aliases used as a bomb?); a stack file holds config only`);
        if (value === null || value === undefined) continue; // unset: the default applies (a bad .inf is reported above)
        values[key] = typeof value === "string" ? value : JSON.stringify(value);
        if (secret) secretKeys.push(key);
    }
    problems.throwIfAny();
    return { values, secretKeys, secretPaths: w.secretPaths };
}

export function readStackFile(file: string): FlatConfig {
    let size: number;
    try {
        size = fs.statSync(file).size;
    } catch {
        throw new ConfigError([{ path: file, message: `cannot be read (no such file?)` }]);
    }
    if (size > MAX_STACK_FILE_BYTES) throw new ConfigError([{ path: file, message: `is larger than ${MAX_STACK_FILE_BYTES / 1024} KiB; a stack file holds config only` }]);
    return flattenStackFile(fs.readFileSync(file, "utf8"), file);
}
