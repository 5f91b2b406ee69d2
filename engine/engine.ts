/**
 * The Pulumi engine behind a small interface: the CLI logic talks to `MeshEngine`, tests give it a fake.
 * The real one drives this project through the Automation API's LocalWorkspace.
 */
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { SemVer } from "semver";
import * as semver from "semver";
import { PrerequisiteError } from "../cli/errors";

/** The commands that run the engine on a stack. */
export type LifecycleCommand = "up" | "preview" | "down";

export interface RunOptions {
    onOutput: (text: string) => void;
    onEvent?: (event: EngineEvent) => void;
    /** URNs to replace whatever their diff says (`pulumi up --replace`), e.g. a k3d cluster deleted by hand. */
    replace?: string[];
    /** Read every resource back first (`--refresh`): objects missing from the cluster leave the state and are created again. */
    refresh?: boolean;
}

/** One resource as the stack's state holds it. */
export interface StateResource {
    urn: string;
    type: string;
}

/** What the state knows before an operation: its resources, and the operations an interrupted run left pending. */
export interface StateSummary {
    resources: StateResource[];
    /** URNs of resources whose create/update/delete was interrupted (Ctrl-C, a crash). */
    pending: string[];
}

export interface ChangeSummary {
    [op: string]: number;
}

export interface MeshEngine {
    up(o: RunOptions): Promise<{ summary: ChangeSummary; outputs: Record<string, { value: unknown; secret: boolean }> }>;
    preview(o: RunOptions): Promise<{ summary: ChangeSummary }>;
    destroy(o: RunOptions): Promise<{ summary: ChangeSummary }>;
    /** The stack's outputs as the last `up` left them (secrets decrypted: callers must not print them). */
    outputs?(): Promise<Record<string, { value: unknown; secret: boolean }>>;
    /** What the state holds now (empty for a stack not created yet); read before anything changes. */
    state?(): Promise<StateSummary>;
}

export interface EngineSettings {
    projectRoot: string;
    stack: string;
    /** The CLI to drive (see pulumiCli); resolved during preflight, before the engine is made. */
    pulumiCommand?: PulumiCommand;
    /** false: select an existing stack only (down), so a missing one is not created. */
    create?: boolean;
    /** Environment for the CLI: backend URL, passphrase. */
    envVars: Record<string, string>;
    log: (line: string) => void;
}

/** Where the Pulumi CLI is installed when none is on PATH: ISTIO_MESH_PULUMI_CLI_DIR, or `.pulumi-cli/` in the project. */
export function pulumiCliDir(env: Record<string, string | undefined>, projectRoot: string): string {
    return env.ISTIO_MESH_PULUMI_CLI_DIR ? path.resolve(env.ISTIO_MESH_PULUMI_CLI_DIR) : path.join(projectRoot, ".pulumi-cli");
}

/** Where the pinned CLI's installer comes from (PulumiCommand.install downloads and runs it). */
export const PULUMI_INSTALL_URL = "https://get.pulumi.com/install.sh";

/** The CLI version matching @pulumi/pulumi, which `PulumiCommand.install` installs by default. */
export function pinnedCliVersion(): string {
    return (require("@pulumi/pulumi/package.json") as { version: string }).version;
}

/**
 * The Pulumi CLIs this program runs on: from the pinned version (the one `.pulumi-cli/` gets) up to,
 * not including, the next major. The floor is what the program relies on: `replaceWith` (engine
 * 3.207), `--skip-plugin-pre-install` (3.238) and the engine the pinned SDK was released with. An
 * older engine would fail mid-`up` ("does not support the ReplaceWith option") or download every
 * provider plugin. (Read in pulumi/pulumi v3.248.0, 2026-12.)
 */
export function cliRange(pinned = pinnedCliVersion()): string {
    return `>=${pinned} <${semver.major(pinned) + 1}.0.0`;
}

/** Why this CLI version cannot drive the program, or undefined when it can. */
export function cliVersionProblem(version: string | null | undefined, pinned = pinnedCliVersion()): string | undefined {
    const v = version ? semver.parse(version.replace(/^v/, "")) : null;
    if (!v) return `its version (${JSON.stringify(version ?? "")}) cannot be read`;
    if (!semver.satisfies(v, cliRange(pinned), { includePrerelease: true })) {
        return semver.lt(v, pinned) ? `v${v.version} is older than v${pinned}, the oldest this program runs on` : `v${v.version} is a newer major version than this program's SDK (v${pinned})`;
    }
    return undefined;
}

/** Engine commands that install provider plugins up front unless told not to. */
const PLUGIN_PRE_INSTALL_COMMANDS = new Set(["up", "preview", "destroy", "refresh", "import", "watch"]);

/**
 * The Node language host reports every installed `@pulumi/*` resource package (pulumi-language-nodejs
 * GetRequiredPackages walks node_modules), so an engine command would download the aws and eks plugins
 * on the dev stack too. `--skip-plugin-pre-install` (CLI 3.238+) leaves the install to the moment a
 * provider is first used: the dev stack fetches kubernetes, command and docker only (not aws, eks, random).
 */
export function withEngineArgs(args: string[]): string[] {
    if (!PLUGIN_PRE_INSTALL_COMMANDS.has(args[0] ?? "") || args.includes("--skip-plugin-pre-install")) return args;
    // Right after the command: before any `--` that would make it an argument.
    return [args[0], "--skip-plugin-pre-install", ...args.slice(1)];
}

type Runnable = { run: (args: string[], ...rest: unknown[]) => Promise<unknown> };

/**
 * The CLI with `withEngineArgs` applied to every command the Automation API runs. `run` is internal to
 * the SDK (3.x); without it the CLI is returned as it is, which costs only the extra downloads.
 */
export function withPluginsOnDemand(cmd: PulumiCommand): PulumiCommand {
    const inner = cmd as unknown as Runnable;
    if (typeof inner.run !== "function") return cmd;
    const wrapped = Object.create(cmd) as Runnable;
    wrapped.run = (args, ...rest) => inner.run.call(cmd, withEngineArgs(args), ...rest);
    return wrapped as unknown as PulumiCommand;
}

/**
 * The `pulumi` CLI on PATH if its version is in `cliRange()`; otherwise the version matching
 * @pulumi/pulumi, installed once into `dir` (ISTIO_MESH_PULUMI_CLI_DIR, default `.pulumi-cli` in the
 * project). A failed download is a PrerequisiteError that says how to install the CLI by hand.
 */
export async function pulumiCli(dir: string, log: (l: string) => void): Promise<PulumiCommand> {
    const version = pinnedCliVersion();
    // The range is this program's (cliRange), not the SDK's (any 3.x from 3.2), hence skipVersionCheck.
    const acceptable = async (root?: string): Promise<PulumiCommand | undefined> => {
        try {
            const cmd = await PulumiCommand.get({ ...(root ? { root } : {}), skipVersionCheck: true });
            const problem = cliVersionProblem(cmd.version?.version);
            if (!problem) return withPluginsOnDemand(cmd);
            log(`istio-mesh: the pulumi CLI ${root ? `in ${root}` : "on PATH"} is not used: ${problem}`);
        } catch {
            // not there
        }
        return undefined;
    };
    const found = (await acceptable()) ?? (await acceptable(dir));
    if (found) return found;
    log(`istio-mesh: no usable pulumi CLI: installing Pulumi CLI v${version} into ${dir} (once; a download of about 100 MB from ${PULUMI_INSTALL_URL})…`);
    try {
        const cmd = await PulumiCommand.install({ root: dir, version: new SemVer(version) });
        log(`istio-mesh: installed Pulumi CLI v${version}`);
        return withPluginsOnDemand(cmd);
    } catch (e) {
        throw new PrerequisiteError(
            `could not install the Pulumi CLI v${version} (${PULUMI_INSTALL_URL}): ${e instanceof Error ? e.message.split("\n")[0] : String(e)}.\n` +
                `Install it by hand and run again: curl -fsSL https://get.pulumi.com | sh -s -- --version ${version}` +
                ` (or see https://www.pulumi.com/docs/iac/download-install/); any CLI on PATH in ${cliRange()} is used.`,
        );
    }
}

/** The Automation API's "no such stack" (matched by name: the class is not exported from every SDK build). */
function isStackNotFound(e: unknown): boolean {
    return e instanceof Error && (e.constructor?.name === "StackNotFoundError" || /no stack named/i.test(e.message));
}

/** The resources and pending operations of an exported deployment (apitype.DeploymentV3). */
export function stateSummary(deployment: unknown): StateSummary {
    const d = (deployment as { deployment?: { resources?: { urn?: unknown; type?: unknown }[]; pending_operations?: { resource?: { urn?: unknown } }[] } } | undefined)?.deployment;
    const resources = (d?.resources ?? []).flatMap((r) => (typeof r.urn === "string" && typeof r.type === "string" ? [{ urn: r.urn, type: r.type }] : []));
    const pending = (d?.pending_operations ?? []).flatMap((p) => (typeof p.resource?.urn === "string" ? [p.resource.urn] : []));
    return { resources, pending };
}

export async function pulumiEngine(s: EngineSettings): Promise<MeshEngine> {
    const cmd = s.pulumiCommand ?? (await pulumiCli(path.join(s.projectRoot, ".pulumi-cli"), s.log));
    const args = { stackName: s.stack, workDir: s.projectRoot };
    const ws = { pulumiCommand: cmd, envVars: s.envVars };
    // Selected first; a stack that does not exist yet is created by the first up/preview only, so reading
    // the state (state()) before deciding what to do changes nothing.
    let selected: Stack | undefined;
    try {
        selected = await LocalWorkspace.selectStack(args, ws);
    } catch (e) {
        if (s.create === false || !isStackNotFound(e)) throw e;
    }
    const stack = async (): Promise<Stack> => (selected ??= await LocalWorkspace.createOrSelectStack(args, ws));
    const color = process.stdout.isTTY ? "always" : "never";
    const replace = (o: RunOptions) => ({ ...(o.replace?.length ? { replace: o.replace } : {}), ...(o.refresh ? { refresh: true } : {}) });
    return {
        async up(o) {
            const r = await (await stack()).up({ onOutput: o.onOutput, onEvent: o.onEvent, color, ...replace(o) });
            return { summary: (r.summary.resourceChanges ?? {}) as ChangeSummary, outputs: r.outputs };
        },
        async preview(o) {
            const r = await (await stack()).preview({ onOutput: o.onOutput, onEvent: o.onEvent, color, diff: true, ...replace(o) });
            return { summary: r.changeSummary as ChangeSummary };
        },
        async outputs() {
            return (await stack()).outputs();
        },
        async state() {
            return selected ? stateSummary(await selected.exportStack()) : { resources: [], pending: [] };
        },
        async destroy(o) {
            const r = await (await stack()).destroy({ onOutput: o.onOutput, onEvent: o.onEvent, color });
            return { summary: (r.summary.resourceChanges ?? {}) as ChangeSummary };
        },
    };
}

export function ensureDir(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
}
