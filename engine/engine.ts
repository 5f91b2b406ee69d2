/**
 * The Pulumi engine behind a small interface: the CLI logic talks to `MeshEngine`, tests give it a fake.
 * The real one drives this project through the Automation API's LocalWorkspace.
 */
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { SemVer } from "semver";
import { PrerequisiteError } from "../cli/errors";

export interface RunOptions {
    onOutput: (text: string) => void;
    onEvent?: (event: EngineEvent) => void;
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
 * The `pulumi` CLI on PATH if there is a recent enough one; otherwise the version matching
 * @pulumi/pulumi, installed once into `dir` (ISTIO_MESH_PULUMI_CLI_DIR, default `.pulumi-cli` in the
 * project). A failed download is a PrerequisiteError that says how to install the CLI by hand.
 */
export async function pulumiCli(dir: string, log: (l: string) => void): Promise<PulumiCommand> {
    try {
        return await PulumiCommand.get();
    } catch {
        // none on PATH, or too old for this SDK: use (or install) the pinned one
    }
    const version = pinnedCliVersion();
    try {
        return await PulumiCommand.get({ root: dir, version: new SemVer(version) });
    } catch {
        // not installed yet
    }
    log(`istio-mesh: no pulumi CLI on PATH: installing Pulumi CLI v${version} into ${dir} (once; a download of about 100 MB from ${PULUMI_INSTALL_URL})…`);
    try {
        const cmd = await PulumiCommand.install({ root: dir, version: new SemVer(version) });
        log(`istio-mesh: installed Pulumi CLI v${version}`);
        return cmd;
    } catch (e) {
        throw new PrerequisiteError(
            `could not install the Pulumi CLI v${version} (${PULUMI_INSTALL_URL}): ${e instanceof Error ? e.message.split("\n")[0] : String(e)}.\n` +
                `Install it by hand and run again: curl -fsSL https://get.pulumi.com | sh -s -- --version ${version}` +
                ` (or see https://www.pulumi.com/docs/iac/download-install/); any CLI on PATH at v${version} or later is used.`,
        );
    }
}

export async function pulumiEngine(s: EngineSettings): Promise<MeshEngine> {
    const cmd = s.pulumiCommand ?? (await pulumiCli(path.join(s.projectRoot, ".pulumi-cli"), s.log));
    const args = { stackName: s.stack, workDir: s.projectRoot };
    const ws = { pulumiCommand: cmd, envVars: s.envVars };
    const stack: Stack = s.create === false ? await LocalWorkspace.selectStack(args, ws) : await LocalWorkspace.createOrSelectStack(args, ws);
    const color = process.stdout.isTTY ? "always" : "never";
    return {
        async up(o) {
            const r = await stack.up({ onOutput: o.onOutput, onEvent: o.onEvent, color });
            return { summary: (r.summary.resourceChanges ?? {}) as ChangeSummary, outputs: r.outputs };
        },
        async preview(o) {
            const r = await stack.preview({ onOutput: o.onOutput, onEvent: o.onEvent, color, diff: true });
            return { summary: r.changeSummary as ChangeSummary };
        },
        async outputs() {
            return stack.outputs();
        },
        async destroy(o) {
            const r = await stack.destroy({ onOutput: o.onOutput, onEvent: o.onEvent, color });
            return { summary: (r.summary.resourceChanges ?? {}) as ChangeSummary };
        },
    };
}

export function ensureDir(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
}
