import { durationProblem } from "./duration";
import { closest } from "./suggest";
import { imageProblem } from "./imageReference";
import { setOwn } from "./merge";

/**
 * A small typed reader over untrusted stack config. It never throws while reading: every violation is
 * recorded with its config path (as `pulumi config set --path` spells it), the bad value and what is
 * allowed, so the user sees all of them at once in one ConfigError.
 */

export interface Problem {
    /** e.g. `istio-mesh:cluster.agents` */
    path: string;
    message: string;
}

/** More problems than this are counted, not printed: a hostile or broken file must not flood the terminal. */
export const MAX_PRINTED_PROBLEMS = 20;

export class ConfigError extends Error {
    constructor(readonly problems: Problem[]) {
        const shown = problems.slice(0, MAX_PRINTED_PROBLEMS);
        const more = problems.length - shown.length;
        super(
            `Invalid stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}); ` +
                `nothing was deployed:\n` +
                shown.map((p) => `  - ${p.path}: ${p.message}`).join("\n") +
                (more > 0 ? `\n  … and ${more} more problem${more === 1 ? "" : "s"} (fix these first)` : ""),
        );
        this.name = "ConfigError";
    }
}

/**
 * Config paths that hold credentials. A message about a value here never shows the value (it may be
 * decrypted under `pulumi up`), and a value here given in plain text is a warning (config/parse.ts).
 */
export const CREDENTIAL_PATHS = [
    "istio-mesh:cluster.kubeconfig",
    "istio-mesh:cluster.registry.password",
    "istio-mesh:cluster.registryCache.password",
    "istio-mesh:cluster.registryMirror.password",
    "istio-mesh:addons.grafana.adminPassword",
    "istio-mesh:addons.kiali.signingKey",
] as const;

export const isSecretPath = (path: string): boolean => CREDENTIAL_PATHS.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));

/** Own properties only: a key named `constructor` or `toString` must never read Object.prototype's. */
export const own = (o: object, key: string): unknown => (Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined);

export class Problems {
    readonly list: Problem[] = [];
    /** Accepted, but the user should know (deprecations, risky choices). */
    readonly warnings: Problem[] = [];
    add(path: string, message: string): void {
        this.list.push({ path, message });
    }
    warn(path: string, message: string): void {
        this.warnings.push({ path, message });
    }
    throwIfAny(): void {
        if (this.list.length > 0) throw new ConfigError(this.list);
    }
}

/** Shows a value the way the user wrote it, short enough for one line. */
export function show(value: unknown): string {
    const s = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
    return s.length > 60 ? s.slice(0, 57) + "..." : s;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

export function suggest(key: string, allowed: readonly string[]): string {
    const best = closest(key, allowed);
    return `unknown key; ${best ? `did you mean "${best}"? ` : ""}allowed keys: ${allowed.join(", ")}`;
}

/** A value at a config path. `undefined` means "not set", which readers turn into the default. */
export class Node {
    constructor(
        readonly problems: Problems,
        readonly path: string,
        readonly value: unknown,
    ) {}

    get isSet(): boolean {
        return this.value !== undefined && this.value !== null;
    }

    /** The value for a message, or a note that it is hidden when this path holds a credential. */
    shown(): string {
        if (isSecretPath(this.path)) return `the value (not shown: it is a credential)`;
        return show(this.value);
    }

    private fail<T>(message: string, fallback: T): T {
        this.problems.add(this.path, message);
        return fallback;
    }

    child(key: string): Node {
        const v = this.value && typeof this.value === "object" && !Array.isArray(this.value) ? own(this.value, key) : undefined;
        return new Node(this.problems, `${this.path}.${key}`, v);
    }

    /** An object whose keys must all be in `allowed`; returns false (and records why) if it is not an object. */
    object(allowed: readonly string[]): boolean {
        if (!this.isSet) return true;
        if (typeof this.value !== "object" || Array.isArray(this.value)) {
            return this.fail(`${this.shown()} is not an object; expected keys: ${allowed.join(", ")}`, false);
        }
        for (const k of Object.keys(this.value as object)) {
            if (!allowed.includes(k)) this.problems.add(`${this.path}.${k}`, suggest(k, allowed));
        }
        return true;
    }

    /** A map of user-chosen keys (e.g. workload names) to values; keys checked as DNS-1123 labels. */
    entries(opts: { dnsKeys?: boolean } = {}): [string, Node][] {
        if (!this.isSet) return [];
        if (typeof this.value !== "object" || Array.isArray(this.value)) {
            return this.fail(`${this.shown()} is not a map; expected name: {...} entries`, []);
        }
        const value = this.value as Record<string, unknown>;
        const out: [string, Node][] = [];
        for (const k of Object.keys(value)) {
            const n = new Node(this.problems, `${this.path}.${k}`, value[k]);
            if (opts.dnsKeys && !isDnsLabel(k)) {
                this.problems.add(n.path, `name ${show(k)} is not a valid DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`);
            }
            out.push([k, n]);
        }
        return out;
    }

    list(): Node[] {
        if (!this.isSet) return [];
        if (!Array.isArray(this.value)) return this.fail(`${this.shown()} is not a list`, []);
        return this.value.map((v, i) => new Node(this.problems, `${this.path}[${i}]`, v));
    }

    string(fallback: string): string {
        if (!this.isSet) return fallback;
        if (typeof this.value === "number" || typeof this.value === "boolean") {
            // `istio: 1.30` is the number 1.3 to YAML; `env: {WORKERS: 4}` a number, not the string Kubernetes needs.
            const what = typeof this.value === "number" ? `a number (${isSecretPath(this.path) ? "not shown: it is a credential" : String(this.value)})` : `a boolean (${this.value})`;
            return this.fail(`YAML read this as ${what}: quote it in the stack file so it stays the string you wrote`, fallback);
        }
        if (typeof this.value !== "string" || this.value === "") return this.fail(`${this.shown()} is not a non-empty string`, fallback);
        return this.value;
    }

    optionalString(): string | undefined {
        return this.isSet ? this.string("") || undefined : undefined;
    }

    bool(fallback: boolean): boolean {
        if (!this.isSet) return fallback;
        if (this.value === true || this.value === "true") return true;
        if (this.value === false || this.value === "false") return false;
        return this.fail(`${this.shown()} is not a boolean; use true or false`, fallback);
    }

    int(fallback: number, range: { min?: number; max?: number } = {}): number {
        if (!this.isSet) return fallback;
        // Values set with `pulumi config set` without --path arrive as strings.
        const v = typeof this.value === "string" && /^-?\d+$/.test(this.value) ? Number(this.value) : this.value;
        const { min, max } = range;
        const allowed =
            min !== undefined && max !== undefined ? `an integer from ${min} to ${max}` : min !== undefined ? `an integer >= ${min}` : "an integer";
        if (typeof v !== "number" || !Number.isInteger(v)) return this.fail(`${this.shown()} is not allowed; expected ${allowed}`, fallback);
        if ((min !== undefined && v < min) || (max !== undefined && v > max)) return this.fail(`${this.shown()} is not allowed; expected ${allowed}`, fallback);
        return v;
    }

    /** A number (not necessarily an integer) within [min, max]; used for percentages. */
    number(fallback: number, range: { min: number; max: number }): number {
        if (!this.isSet) return fallback;
        const v = typeof this.value === "string" && /^-?\d+(\.\d+)?$/.test(this.value) ? Number(this.value) : this.value;
        if (typeof v !== "number" || !Number.isFinite(v) || v < range.min || v > range.max) {
            return this.fail(`${this.shown()} is not allowed; expected a number from ${range.min} to ${range.max}`, fallback);
        }
        return v;
    }

    /** A duration Istio accepts ("10s", "500ms", "1m"): at least 1ms, whole milliseconds. */
    duration(): string | undefined {
        if (!this.isSet) return undefined;
        const problem = durationProblem(this.value);
        if (problem) return this.fail(problem, undefined);
        return this.value as string;
    }

    port(fallback: number): number {
        return this.int(fallback, { min: 1, max: 65535 });
    }

    oneOf<T extends string>(fallback: T, allowed: readonly T[]): T {
        if (!this.isSet) return fallback;
        if (typeof this.value !== "string" || !allowed.includes(this.value as T)) {
            return this.fail(`${this.shown()} is not allowed; expected one of ${allowed.join(", ")}`, fallback);
        }
        return this.value as T;
    }

    dnsLabel(fallback: string): string {
        const v = this.string(fallback);
        if (this.isSet && typeof this.value === "string" && (!DNS1123_LABEL.test(v) || v.length > 63)) {
            return this.fail(`${show(v)} is not a valid DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`, fallback);
        }
        return v;
    }

    /** Kubernetes labels (selector or pod labels). */
    labels(fallback: Record<string, string>): Record<string, string> {
        if (!this.isSet) return fallback;
        const out: Record<string, string> = {};
        for (const [k, n] of this.entries()) {
            if (!LABEL_KEY.test(k)) this.problems.add(n.path, `${show(k)} is not a valid label key`);
            const v = typeof n.value === "number" || typeof n.value === "boolean" ? String(n.value) : n.value;
            if (typeof v !== "string" || !LABEL_VALUE.test(v) || v.length > 63) {
                this.problems.add(n.path, `${show(n.value)} is not a valid label value (letters, digits, "-", "_", ".", at most 63 characters)`);
                continue;
            }
            setOwn(out, k, v);
        }
        return out;
    }

    /** A container image reference in Docker's grammar, with an explicit tag other than `latest` or a digest. */
    image(fallback: string): string {
        const v = this.string(fallback);
        if (!this.isSet || typeof this.value !== "string") return v;
        const problem = imageProblem(v);
        if (problem) return this.fail(`${show(v)} ${problem}`, fallback);
        return v;
    }

    ipv4(fallback: string): string {
        const v = this.string(fallback);
        if (this.isSet && !/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(v)) {
            return this.fail(`${show(v)} is not an IPv4 address (e.g. 127.0.0.1, or 0.0.0.0 for every interface)`, fallback);
        }
        return v;
    }
}

export function isDnsLabel(s: string): boolean {
    return DNS1123_LABEL.test(s) && s.length <= 63;
}
