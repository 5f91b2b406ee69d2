/**
 * One argument parser for every `npm run` command: Node's `util.parseArgs` in strict mode behind a
 * small table per command, so every command answers `--help` the same way, rejects unknown flags,
 * missing values and extra arguments as usage errors (exit 2), and suggests the flag that was meant.
 * Pure: no file system, no process.
 */
import { parseArgs } from "util";
import { closest } from "../config/suggest";
import { UsageError } from "./errors";
import { looksLikeFile } from "./paths";

export interface OptionSpec {
    type: "string" | "boolean";
    short?: string;
    /** Placeholder of the value in the usage, e.g. `<name>`. */
    value?: string;
    description: string;
    /** Said in the help; applied by the command, not here (so "not given" stays visible). */
    default?: string;
    /**
     * A string option whose value may be left out (`--graph` or `--graph mesh.md`): the next argument is
     * its value only when it matches this pattern, so `--graph dev` still reads `dev` as the stack.
     * Left out, the value is OPTIONAL_VALUE_ABSENT.
     */
    optionalValue?: RegExp;
    /**
     * The value is a file the user names: resolved from the directory they ran the command from
     * (cli/paths.ts, npm's INIT_CWD) before the command sees it, so commands get absolute paths.
     */
    path?: boolean;
}

/** The value of an optional-value option given without one. */
export const OPTIONAL_VALUE_ABSENT = "-";

export interface PositionalSpec {
    name: string;
    description: string;
    optional?: boolean;
    /** The last positional only: it takes any number of arguments (`[<stack>…]`). */
    variadic?: boolean;
}

export interface CommandSpec {
    /** As typed after `npm run`, e.g. `up` or `lab run`. */
    name: string;
    summary: string;
    options: Record<string, OptionSpec>;
    positionals?: PositionalSpec[];
    /** Extra lines after the options: examples, notes. */
    notes?: string[];
    /**
     * Every argument goes, unparsed, to another program (`npm run pulumi -- config set …`): only a
     * first `--help`/`-h` (or no argument at all) is this command's; the rest is that program's to check.
     */
    passthrough?: boolean;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
    help: { type: "boolean", short: "h", description: "print this help and exit (touches nothing)" },
    debug: { type: "boolean", description: "add the stack trace to any failure, for bug reports (or ISTIO_MESH_DEBUG=1)" },
};

export const EXIT_CODES_HELP = ["exit codes: 0 success; 1 the checks or the operation found problems; 2 usage error or a missing prerequisite"];

export interface Parsed {
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
}

export type ParseResult = { help: true } | ({ help: false } & Parsed);

function allOptions(spec: CommandSpec): Record<string, OptionSpec> {
    return { ...spec.options, ...COMMON_OPTIONS };
}

function optionLabel(name: string, o: OptionSpec): string {
    const value = o.value ?? "<value>";
    return `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? (o.optionalValue ? ` [${value}]` : ` ${value}`) : ""}`;
}

/** `--graph mesh.md` → `--graph=mesh.md`; a bare `--graph` → `--graph=-`, before any other pass. */
function withOptionalValues(opts: Record<string, OptionSpec>, argv: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") {
            out.push(...argv.slice(i));
            break;
        }
        const o = a.startsWith("--") && !a.includes("=") ? opts[a.slice(2)] : undefined;
        if (o?.optionalValue) {
            const next = argv[i + 1];
            if (next !== undefined && o.optionalValue.test(next)) {
                out.push(`${a}=${next}`);
                i++;
            } else out.push(`${a}=${OPTIONAL_VALUE_ABSENT}`);
            continue;
        }
        out.push(a);
    }
    return out;
}

/** How a user types the command: `npm run up --`, `npm run lab -- run`. */
export function invocation(spec: CommandSpec): string {
    const [script, ...sub] = spec.name.split(" ");
    return `npm run ${script} --${sub.length ? ` ${sub.join(" ")}` : ""}`;
}

export function usageLine(spec: CommandSpec): string {
    const pos = (spec.positionals ?? []).map((p) => `${p.optional ? `[${p.name}` : p.name}${p.variadic ? "…" : ""}${p.optional ? "]" : ""}`).join(" ");
    return `usage: ${invocation(spec)}${pos ? ` ${pos}` : ""} [options]`;
}

export function helpText(spec: CommandSpec): string {
    const opts = allOptions(spec);
    const labels = Object.entries(opts).map(([n, o]) => optionLabel(n, o));
    const pos = spec.positionals ?? [];
    const width = Math.max(...labels.map((l) => l.length), ...pos.map((p) => p.name.length));
    const lines = [usageLine(spec), "", spec.summary, ""];
    if (pos.length) {
        lines.push("arguments:");
        for (const p of pos) lines.push(`  ${p.name.padEnd(width)}  ${p.description}`);
        lines.push("");
    }
    lines.push("options:");
    Object.entries(opts).forEach(([n, o], i) => lines.push(`  ${labels[i].padEnd(width)}  ${o.description}${o.default !== undefined ? ` (default: ${o.default})` : ""}`));
    lines.push("");
    for (const n of spec.notes ?? []) lines.push(n);
    if (spec.notes?.length) lines.push("");
    lines.push(...EXIT_CODES_HELP, "");
    return lines.join("\n");
}

/**
 * The flag a stray argument was most likely meant for, by the command's own options: `up dev` →
 * `--stack dev`, `render x/y.yaml` (where a stack was expected) → `--file x/y.yaml`, `lab plan 11` →
 * `--only 11`. Undefined when nothing fits.
 */
export function meantFlag(spec: CommandSpec, arg: string): string | undefined {
    const o = spec.options;
    if (o.only && /^(\d+|\d\d-[a-z0-9-]+)$/i.test(arg)) return `--only ${arg}`;
    if (looksLikeFile(arg)) return o.file ? `--file ${arg}` : undefined;
    if (o.stack && /^[A-Za-z0-9_.-]+$/.test(arg)) return `--stack ${arg}`;
    return undefined;
}

function usageError(spec: CommandSpec, message: string): UsageError {
    return new UsageError(`${invocation(spec).replace(/ --$/, "")}: ${message}\n${usageLine(spec)}\n(${invocation(spec)} --help lists the options)`);
}

/**
 * Parses argv for one command. `--help`/`-h` anywhere wins (and nothing else is checked), so asking
 * for help can never start an operation.
 */
export function parseCommandLine(spec: CommandSpec, argv: string[]): ParseResult {
    if (spec.passthrough) {
        if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h") return { help: true };
        return { help: false, values: {}, positionals: [...argv] };
    }
    const opts = allOptions(spec);
    argv = withOptionalValues(opts, argv);
    // Help first: `up --help --stak x` must print help, not complain about --stak.
    const dashdash = argv.indexOf("--");
    const flags = dashdash < 0 ? argv : argv.slice(0, dashdash);
    if (flags.some((a) => a === "--help" || a === "-h")) return { help: true };

    // A lenient pass names every problem in the user's words before the strict pass (whose messages
    // speak of parseArgs, not of this command).
    const { tokens } = parseArgs({ args: argv, options: {}, strict: false, allowPositionals: true, tokens: true });
    const names = Object.keys(opts);
    const shorts = new Map(Object.entries(opts).flatMap(([n, o]) => (o.short ? [[o.short, n] as const] : [])));
    for (const t of tokens ?? []) {
        if (t.kind !== "option") continue;
        const name = t.rawName.startsWith("--") ? t.name : shorts.get(t.name);
        const o = name ? opts[name] : undefined;
        if (!o || !name) {
            const guess = t.rawName.startsWith("--") ? closest(t.name, names) : undefined;
            throw usageError(spec, `unknown option ${t.rawName}${guess ? ` (did you mean --${guess}?)` : ""}`);
        }
        if (o.type === "boolean" && t.value !== undefined) throw usageError(spec, `${t.rawName} takes no value (got ${JSON.stringify(t.value)})`);
    }
    for (let i = 0; i < flags.length; i++) {
        const a = flags[i];
        if (!a.startsWith("-") || a === "-") continue;
        const long = a.startsWith("--");
        const name = long ? a.slice(2) : shorts.get(a.slice(1));
        if (!name || a.includes("=")) continue;
        const o = opts[name];
        if (o?.type !== "string") continue;
        const next = flags[i + 1];
        if (next === undefined || (next.startsWith("-") && next !== "-")) {
            throw usageError(spec, `${a} needs a value${o.value ? `, e.g. ${a} ${o.value.replace(/^<|>$/g, "")}` : ""}`);
        }
        i++;
    }

    const options = Object.fromEntries(Object.entries(opts).map(([n, o]) => [n, { type: o.type, ...(o.short ? { short: o.short } : {}) }]));
    let parsed: Parsed;
    try {
        parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true }) as Parsed;
    } catch (e) {
        throw usageError(spec, e instanceof Error ? e.message : String(e));
    }
    const pos = spec.positionals ?? [];
    if (parsed.positionals.length > pos.length && !pos[pos.length - 1]?.variadic) {
        const extra = parsed.positionals.slice(pos.length);
        const meant = extra.length === 1 ? meantFlag(spec, extra[0]) : undefined;
        const why = meant ? ` (did you mean ${meant}?)` : looksLikeFile(extra[0]) && spec.options.stack && !spec.options.file ? " (this command reads a stack by name: --stack <name>, a Pulumi.<name>.yaml of the project)" : pos.length ? "" : " (this command takes options only)";
        throw usageError(spec, `unexpected argument${extra.length > 1 ? "s" : ""} ${extra.map((x) => JSON.stringify(x)).join(" ")}${why}`);
    }
    const missing = pos.slice(parsed.positionals.length).filter((p) => !p.optional);
    if (missing.length) throw usageError(spec, `missing ${missing.map((p) => p.name).join(" ")}`);
    for (const [n, v] of Object.entries(parsed.values)) {
        if (typeof v === "string" && v.trim() === "") throw usageError(spec, `--${n} needs a non-empty value`);
    }
    return { help: false, ...parsed };
}

/** A string option, or undefined. */
export function stringOption(p: Parsed, name: string): string | undefined {
    const v = p.values[name];
    return typeof v === "string" ? v : undefined;
}

export function booleanOption(p: Parsed, name: string): boolean {
    return p.values[name] === true;
}

/** An integer option within a range, e.g. --samples 200. */
export function intOption(spec: CommandSpec, p: Parsed, name: string, fallback: number, range: { min: number; max: number }): number {
    const v = stringOption(p, name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isInteger(n) || n < range.min || n > range.max) {
        throw usageError(spec, `--${name} ${v}: expected a whole number from ${range.min} to ${range.max}`);
    }
    return n;
}

export { usageError };
