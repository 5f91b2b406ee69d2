/**
 * npm run pulumi -- <pulumi arguments>
 *
 * The Pulumi CLI this project runs (on PATH in the supported range, else the pinned one in
 * `.pulumi-cli/`) with the settings `npm run up` uses: the state backend (`.pulumi-state/` unless
 * PULUMI_BACKEND_URL says otherwise) and, for a stack on a local k3d cluster, the built-in passphrase.
 * So every `pulumi …` command in the README and in the program's messages works as written, prefixed
 * with `npm run`: without it a bare `pulumi` asks to log in to Pulumi Cloud and knows no passphrase.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import type { Parsed } from "../cli/commandLine";
import { UsageError } from "../cli/errors";
import type { Command, Context } from "../cli/run";
import { stackFile } from "../cli/stacks";
import type * as Defaults from "../config/defaults";
import type { ClusterKind } from "../config/types";
import type * as Engine from "../engine/engine";
import type * as Settings from "../engine/settings";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const engine = () => require("../engine/engine") as typeof Engine;
const settings = () => require("../engine/settings") as typeof Settings;
const defaultKind = () => (require("../config/defaults") as typeof Defaults).COURSE_DEFAULTS.cluster.kind as ClusterKind;

export const pulumi: Command = {
    spec: {
        name: "pulumi",
        summary:
            "The Pulumi CLI this project runs (on PATH from v3.248 up to the next major, else the pinned one in .pulumi-cli/) with the project's state backend (.pulumi-state/, or PULUMI_BACKEND_URL) and, on a k3d stack, its built-in passphrase. Every `pulumi …` command in the README and in the program's messages works as `npm run pulumi -- …`.",
        positionals: [{ name: "<pulumi arguments…>", description: "passed to the CLI unchanged (up, preview, destroy, refresh also get --skip-plugin-pre-install)" }],
        options: {},
        passthrough: true,
        notes: [
            "examples:",
            "  npm run pulumi -- stack output commands",
            "  npm run pulumi -- config set --path 'istio-mesh:services.nginx-service.weights.v2' 25",
            "  npm run pulumi -- stack output grafanaAdminPassword --show-secrets --stack cloud",
            "only a first --help/-h is this command's: npm run pulumi -- config set --help is the CLI's help.",
            "the stack is --stack/-s if given, else the one selected (npm run pulumi -- stack select <name>); off k3d, set PULUMI_CONFIG_PASSPHRASE.",
            "exit code: 0 when the CLI succeeded, 1 when it failed, 2 when no CLI could be found or installed.",
        ],
    },
    run: (p, ctx) => pulumiPassthrough(p, ctx),
};

/** The stack a pulumi command line names: `--stack x`, `-s x`, `--stack=x`, or `stack init|select|rm x`. */
export function stackOf(args: string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "--") break;
        if (a === "--stack" || a === "-s") return args[i + 1];
        if (a.startsWith("--stack=")) return a.slice("--stack=".length);
    }
    if (args[0] === "stack" && ["init", "select", "rm", "change-secrets-provider"].includes(args[1] ?? "")) {
        return args.slice(2).find((a) => !a.startsWith("-"));
    }
    return undefined;
}

/** `organization/istio-mesh/dev` → `dev`. */
const shortName = (stack: string) => stack.split("/").pop() ?? stack;

/** `istio-mesh:cluster.kind` of a stack's file; the default kind (k3d) for a stack with no file or no kind. */
export function clusterKindOf(projectRoot: string, stack: string): ClusterKind {
    const file = stackFile(projectRoot, shortName(stack));
    try {
        const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined;
        const kind = (doc?.config?.["istio-mesh:cluster"] as { kind?: unknown } | undefined)?.kind;
        if (kind === "k3d" || kind === "eks" || kind === "kubeconfig") return kind;
        return kind === undefined ? defaultKind() : "kubeconfig"; // unknown kind: no built-in passphrase
    } catch {
        return defaultKind();
    }
}

export interface PassthroughDeps {
    pulumiCli: (dir: string, log: (l: string) => void) => Promise<PulumiCommand>;
    /** Runs the CLI in the project; resolves to its exit code. Default: stdio inherited, so its prompts and colours work. */
    run: (command: string, args: string[], env: Record<string, string | undefined>, cwd: string) => Promise<number>;
    /** `pulumi stack --show-name`: the stack the workspace has selected, or undefined. */
    selectedStack: (command: string, env: Record<string, string | undefined>) => Promise<string | undefined>;
}

function runInherited(command: string, args: string[], env: Record<string, string | undefined>, cwd: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { stdio: "inherit", env: env as NodeJS.ProcessEnv, cwd });
        child.once("error", reject);
        child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
}

function selectedStackOf(command: string, env: Record<string, string | undefined>): Promise<string | undefined> {
    return new Promise((resolve) => {
        let out = "";
        const child = spawn(command, ["stack", "--show-name", "--non-interactive"], { stdio: ["ignore", "pipe", "ignore"], env: env as NodeJS.ProcessEnv });
        child.stdout.on("data", (d) => (out += String(d)));
        child.once("error", () => resolve(undefined));
        child.once("exit", (code) => resolve(code === 0 && out.trim() ? out.trim() : undefined));
    });
}

export const defaultPassthroughDeps: PassthroughDeps = {
    pulumiCli: (dir, log) => engine().pulumiCli(dir, log),
    run: runInherited,
    selectedStack: selectedStackOf,
};

/** The environment the CLI runs with: the caller's, plus the backend and (k3d stacks only) the passphrase. */
export function passthroughEnv(env: Record<string, string | undefined>, projectRoot: string, stack: string | undefined, cliPath: string): Record<string, string | undefined> {
    const { backendUrl, passphraseEnv } = settings();
    const out: Record<string, string | undefined> = { ...env, PULUMI_BACKEND_URL: backendUrl(env, projectRoot).url };
    if (stack !== undefined) {
        try {
            Object.assign(out, passphraseEnv(env, shortName(stack), clusterKindOf(projectRoot, stack)));
        } catch (e) {
            // No built-in passphrase off k3d: the CLI asks for it (or says which variable to set).
            if (!(e instanceof UsageError)) throw e;
        }
    }
    // As the Automation API does: the CLI's own directory first, for the plugins bundled with it.
    if (path.isAbsolute(cliPath)) out.PATH = `${path.dirname(cliPath)}${path.delimiter}${env.PATH ?? ""}`;
    return out;
}

export async function pulumiPassthrough(p: Parsed, ctx: Context, deps: PassthroughDeps = defaultPassthroughDeps): Promise<number> {
    const args = p.positionals;
    const { ensureDir, pulumiCliDir, withEngineArgs } = engine();
    const backend = settings().backendUrl(ctx.env, ctx.projectRoot);
    // The file backend's directory must exist before any command can use it (as npm run up makes it).
    if (backend.localDir) ensureDir(backend.localDir);
    const cli = await deps.pulumiCli(pulumiCliDir(ctx.env, ctx.projectRoot), (l) => ctx.io.err(`${l}\n`));
    const baseEnv = passthroughEnv(ctx.env, ctx.projectRoot, undefined, cli.command);
    const userPassphrase = ctx.env.PULUMI_CONFIG_PASSPHRASE !== undefined || !!ctx.env.PULUMI_CONFIG_PASSPHRASE_FILE;
    // The passphrase depends on the stack's cluster kind: which stack, when the command line does not say.
    const stack = stackOf(args) ?? (userPassphrase ? undefined : await deps.selectedStack(cli.command, baseEnv));
    const env = passthroughEnv(ctx.env, ctx.projectRoot, stack, cli.command);
    // In the project (Pulumi.yaml), wherever npm was run from.
    const code = await deps.run(cli.command, withEngineArgs(args), env, ctx.projectRoot);
    return code === 0 ? 0 : 1;
}
