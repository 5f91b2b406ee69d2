/**
 * The Pulumi engine behind a small interface: the CLI logic talks to `MeshEngine`, tests give it a fake.
 * The real one drives this project through the Automation API's LocalWorkspace.
 */
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import type { EngineEvent } from "@pulumi/pulumi/automation";

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
}

export interface EngineSettings {
    projectRoot: string;
    stack: string;
    /** Environment for the CLI: backend URL, passphrase. */
    envVars: Record<string, string>;
    log: (line: string) => void;
}

/** The `pulumi` CLI on PATH if there is one; otherwise the version matching @pulumi/pulumi, installed into the project. */
export async function pulumiCommand(projectRoot: string, log: (l: string) => void): Promise<PulumiCommand> {
    try {
        return await PulumiCommand.get();
    } catch {
        const root = path.join(projectRoot, ".pulumi-cli");
        log(`No pulumi CLI on PATH: installing the pinned version into ${root} (once)…`);
        return PulumiCommand.install({ root });
    }
}

export async function pulumiEngine(s: EngineSettings): Promise<MeshEngine> {
    const cmd = await pulumiCommand(s.projectRoot, s.log);
    const stack: Stack = await LocalWorkspace.createOrSelectStack({ stackName: s.stack, workDir: s.projectRoot }, { pulumiCommand: cmd, envVars: s.envVars });
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
        async destroy(o) {
            const r = await stack.destroy({ onOutput: o.onOutput, onEvent: o.onEvent, color });
            return { summary: (r.summary.resourceChanges ?? {}) as ChangeSummary };
        },
    };
}

export function ensureDir(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
}
