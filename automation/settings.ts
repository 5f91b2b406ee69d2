/**
 * Pure decisions of the Automation API CLI: arguments, state backend, secrets passphrase. No Pulumi
 * engine here, so every rule is unit-tested.
 */
import * as path from "path";

export const COMMANDS = ["up", "preview", "down", "diff", "verify"] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
    command: Command;
    stack: string;
    /** Remaining `--flag value` pairs for subcommands that take more (e.g. --markdown). */
    flags: Record<string, string | true>;
}

export const USAGE = [
    "usage: npm run <up|preview|down> -- [--stack <name>]   (default stack: dev)",
    "       npm run preview -- --stack <name> --markdown <file>",
    "       npm run diff -- --stack <name> --base <git ref> [--markdown <file>]",
    "       npm run verify -- --stack <name> [--context <kube context>] [--ingress-url <url>] [--samples <n>]",
].join("\n");

export class UsageError extends Error {}

export function parseArgs(argv: string[]): CliArgs {
    const [command, ...rest] = argv;
    if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command ${JSON.stringify(command ?? "")}\n${USAGE}`);
    const flags: Record<string, string | true> = {};
    for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        if (!a.startsWith("--")) throw new UsageError(`unexpected argument ${JSON.stringify(a)}\n${USAGE}`);
        const next = rest[i + 1];
        if (next !== undefined && !next.startsWith("--")) {
            flags[a.slice(2)] = next;
            i++;
        } else flags[a.slice(2)] = true;
    }
    const stack = flags.stack ?? "dev";
    if (stack === true || !/^[A-Za-z0-9_.-]+$/.test(stack)) throw new UsageError(`--stack needs a stack name such as dev or cloud\n${USAGE}`);
    delete flags.stack;
    return { command: command as Command, stack, flags };
}

/** Default: a file backend inside the project (git-ignored). PULUMI_BACKEND_URL selects Pulumi Cloud, S3, … */
export function backendUrl(env: Record<string, string | undefined>, projectRoot: string): { url: string; localDir?: string } {
    if (env.PULUMI_BACKEND_URL) return { url: env.PULUMI_BACKEND_URL };
    const dir = path.join(projectRoot, ".pulumi-state");
    return { url: `file://${dir}`, localDir: dir };
}

/** Only for the dev stack, whose only secret is a local k3d kubeconfig. */
export const DEV_PASSPHRASE = "istio-mesh-dev-only";

/**
 * Secrets are encrypted with a passphrase unless the backend is Pulumi Cloud. The dev stack gets a
 * default; any other stack must be given one, so a real cloud credential is never protected by a
 * passphrase that is written in this repository.
 */
export function passphraseEnv(env: Record<string, string | undefined>, stack: string): Record<string, string> {
    if (env.PULUMI_CONFIG_PASSPHRASE !== undefined || env.PULUMI_CONFIG_PASSPHRASE_FILE) return {};
    if (stack === "dev") return { PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE };
    if (env.PULUMI_BACKEND_URL && /^https?:\/\//.test(env.PULUMI_BACKEND_URL)) return {}; // Pulumi Cloud encrypts secrets itself
    throw new UsageError(
        `stack "${stack}" needs a secrets passphrase: export PULUMI_CONFIG_PASSPHRASE=... (or PULUMI_CONFIG_PASSPHRASE_FILE=<file>). ` +
            `Only the dev stack has a built-in one.`,
    );
}

/** A `--name <value>` flag: undefined when absent, a UsageError naming the flag when given without a value. */
export function stringFlag(args: CliArgs, name: string, example: string): string | undefined {
    const v = args.flags[name];
    if (v === undefined) return undefined;
    if (v === true) throw new UsageError(`--${name} needs a value, e.g. --${name} ${example}\n${USAGE}`);
    return v;
}

/** A positive integer flag, e.g. --samples 200. */
export function intFlag(args: CliArgs, name: string, fallback: number, range: { min: number; max: number }): number {
    const v = stringFlag(args, name, String(fallback));
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < range.min || n > range.max) throw new UsageError(`--${name} ${v}: expected an integer from ${range.min} to ${range.max}`);
    return n;
}
