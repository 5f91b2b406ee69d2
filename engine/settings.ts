/**
 * Pure decisions of the Automation API commands: arguments, state backend, secrets passphrase. No
 * Pulumi engine here, so every rule is unit-tested.
 */
import * as path from "path";
import { parseCommandLine, Parsed } from "../cli/commandLine";
import { commands } from "../cli/commands";
import { UsageError } from "../cli/errors";
import { STACK_NAME } from "../cli/stacks";
import type { ClusterKind } from "../config/types";

export { UsageError };

export const COMMANDS = ["up", "preview", "down", "diff", "verify"] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
    command: Command;
    stack: string;
    /** The command's other options, as the strict parser read them (e.g. markdown, base). */
    flags: Record<string, string | true>;
}

/** Parsed options of one of the Automation API commands → CliArgs. */
export function cliArgs(command: Command, p: Parsed): CliArgs {
    const flags: Record<string, string | true> = {};
    for (const [k, v] of Object.entries(p.values)) {
        if (k === "stack" || k === "help" || k === "debug" || v === undefined || v === false) continue;
        flags[k] = v;
    }
    const stack = typeof p.values.stack === "string" ? p.values.stack : "dev";
    if (!STACK_NAME.test(stack)) throw new UsageError(`--stack ${JSON.stringify(stack)}: a stack name has only letters, digits, '_', '.' and '-'`);
    return { command, stack, flags };
}

/** `up --stack cloud` → CliArgs, through the same strict parser `npm run` uses (for tests and callers). */
export function parseArgs(argv: string[]): CliArgs {
    const [command, ...rest] = argv;
    if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command ${JSON.stringify(command ?? "")}: one of ${COMMANDS.join(", ")}`);
    const spec = commands.find((c) => c.spec.name === command)!.spec;
    const p = parseCommandLine(spec, rest);
    if (p.help) throw new UsageError(`--help is answered by the command line, not by parseArgs`);
    return cliArgs(command as Command, p);
}

/**
 * Default: a file backend inside the project (git-ignored). PULUMI_BACKEND_URL selects Pulumi Cloud,
 * S3, … A `file://` URL names a directory this program creates when `up` first needs it (the engine
 * itself refuses a missing one).
 */
export function backendUrl(env: Record<string, string | undefined>, projectRoot: string): { url: string; localDir?: string } {
    const u = env.PULUMI_BACKEND_URL;
    if (u) {
        if (u.startsWith("file://")) {
            const dir = decodeURIComponent(u.slice("file://".length).split("?")[0]);
            if (dir && dir !== "~" && !dir.startsWith("~/")) return { url: u, localDir: path.resolve(dir) };
        }
        return { url: u };
    }
    const dir = path.join(projectRoot, ".pulumi-state");
    return { url: `file://${dir}`, localDir: dir };
}

/** Only for stacks on a local k3d cluster, whose only secret is the cluster's own kubeconfig. */
export const DEV_PASSPHRASE = "istio-mesh-dev-only";

/**
 * Secrets are encrypted with a passphrase unless the backend is Pulumi Cloud. A k3d stack gets a
 * default; any other cluster kind must be given one, so a real credential (an EKS account, an
 * existing cluster's kubeconfig) is never protected by a passphrase written in this repository. The
 * cluster kind decides, not the stack's name: a stack named "dev" on EKS gets no default.
 */
export function passphraseEnv(env: Record<string, string | undefined>, stack: string, clusterKind: ClusterKind): Record<string, string> {
    if (env.PULUMI_CONFIG_PASSPHRASE !== undefined || env.PULUMI_CONFIG_PASSPHRASE_FILE) return {};
    if (env.PULUMI_BACKEND_URL && /^https?:\/\//.test(env.PULUMI_BACKEND_URL)) return {}; // Pulumi Cloud encrypts secrets itself
    if (clusterKind === "k3d") return { PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE };
    throw new UsageError(
        `stack "${stack}" (istio-mesh:cluster.kind ${clusterKind}) needs a secrets passphrase: export PULUMI_CONFIG_PASSPHRASE=... ` +
            `(or PULUMI_CONFIG_PASSPHRASE_FILE=<file>). Only stacks on a local k3d cluster have a built-in one.`,
    );
}

/** A `--name <value>` flag, or undefined (the strict parser already refused a flag without its value). */
export function stringFlag(args: CliArgs, name: string): string | undefined {
    const v = args.flags[name];
    return typeof v === "string" ? v : undefined;
}

/** A whole-number flag within a range, e.g. --samples 200. */
export function intFlag(args: CliArgs, name: string, fallback: number, range: { min: number; max: number }): number {
    const v = stringFlag(args, name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < range.min || n > range.max) throw new UsageError(`--${name} ${v}: expected a whole number from ${range.min} to ${range.max}`);
    return n;
}
