/**
 * The shell every command runs in: parse (strict), `--help`, then the command; any failure becomes a
 * message and an exit code, the same for every command. A stack trace is printed only for an
 * unexpected failure and only with `--debug` (or ISTIO_MESH_DEBUG=1), for bug reports.
 */
import { ConfigError } from "../config/reader";
import { closest } from "../config/suggest";
import { CommandSpec, helpText, OPTIONAL_VALUE_ABSENT, parseCommandLine, Parsed, ParseResult } from "./commandLine";
import { npmSwallowedOptions } from "./npm";
import { resolvePathOptions } from "./paths";
import { EXIT, OperationError, PrerequisiteError, UsageError } from "./errors";

export interface Io {
    out: (text: string) => void;
    err: (text: string) => void;
}

export interface Context {
    io: Io;
    env: Record<string, string | undefined>;
    projectRoot: string;
}

export interface Command {
    spec: CommandSpec;
    run: (p: Parsed, ctx: Context) => Promise<number>;
}

/** The failures a command reports as a message and an exit code, without a trace. */
function known(e: unknown): { code: number; message: string } | undefined {
    if (!(e instanceof Error)) return undefined;
    if (e instanceof UsageError || e instanceof PrerequisiteError) return { code: EXIT.USAGE, message: e.message };
    // Invalid config, the analyzer's errors (AnalysisError), the offline diff's (DiffError): the message is the report.
    if (e instanceof ConfigError || e instanceof OperationError) return { code: EXIT.PROBLEMS, message: e.message };
    // The Pulumi CLI's own errors (the engine ran and failed), known by name: this module loads no Pulumi.
    if (e.constructor?.name === "CommandError" || e.constructor?.name === "ConcurrentUpdateError" || e.constructor?.name === "StackNotFoundError") {
        return { code: EXIT.PROBLEMS, message: `the Pulumi engine failed:\n${e.message}` };
    }
    return undefined;
}

export function failure(e: unknown, debug: boolean): { code: number; text: string } {
    const k = known(e);
    if (k) return { code: k.code, text: `${k.message}${debug && e instanceof Error && e.stack ? `\n${e.stack}` : ""}\n` };
    const message = e instanceof Error ? e.message : String(e);
    const trace = debug && e instanceof Error && e.stack ? `\n${e.stack}` : "\n(run again with --debug for the stack trace, and report it as a bug)";
    return { code: EXIT.PROBLEMS, text: `istio-mesh: unexpected failure: ${message}${trace}\n` };
}

export function isDebug(argv: string[], env: Record<string, string | undefined>): boolean {
    return argv.includes("--debug") || ["1", "true", "yes"].includes((env.ISTIO_MESH_DEBUG ?? "").toLowerCase());
}

/** Runs one command; never throws, returns the exit code. */
export async function runCommand(cmd: Command, argv: string[], ctx: Context): Promise<number> {
    const debug = isDebug(argv, ctx.env);
    try {
        // `npm run up --stack dev`: npm kept the flag for itself. Say so rather than complain about the
        // stray `dev` it left, or run on the default stack.
        const swallowed = () => {
            const s = npmSwallowedOptions(cmd.spec, argv, ctx.env);
            return s ? new UsageError(s) : undefined;
        };
        let p: ParseResult;
        try {
            p = parseCommandLine(cmd.spec, argv);
        } catch (e) {
            throw (e instanceof UsageError && swallowed()) || e;
        }
        if (p.help) {
            ctx.io.out(helpText(cmd.spec));
            return EXIT.OK;
        }
        const eaten = swallowed();
        if (eaten) throw eaten;
        // Files the user names are theirs: resolved from where they ran the command, not the project root.
        return await cmd.run(resolvePathOptions(cmd.spec.options, p, ctx.env, OPTIONAL_VALUE_ABSENT), ctx);
    } catch (e) {
        const f = failure(e, debug);
        ctx.io.err(f.text);
        return f.code;
    }
}

/** `<command> [sub] args…` over a table of commands; `lab run` style names take two words. */
export async function dispatch(table: Command[], argv: string[], ctx: Context): Promise<number> {
    const byName = new Map(table.map((c) => [c.spec.name, c]));
    const two = argv.length >= 2 ? `${argv[0]} ${argv[1]}` : "";
    const cmd = byName.get(two) ?? byName.get(argv[0] ?? "");
    if (cmd) return runCommand(cmd, argv.slice(cmd.spec.name.split(" ").length), ctx);
    const names = table.map((c) => c.spec.name);
    const guess = argv[0] ? closest(argv[0], names) : undefined;
    ctx.io.err(
        `${argv[0] ? `unknown command ${JSON.stringify(argv[0])}${guess ? ` (did you mean ${guess}?)` : ""}` : "no command given"}\n` +
            `commands: ${names.join(", ")}\n(npm run <command> -- --help for each)\n`,
    );
    return EXIT.USAGE;
}
