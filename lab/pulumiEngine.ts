/**
 * The LabEngine over the Automation API. A lesson's config never goes into the user's
 * Pulumi.<stack>.yaml: it is written to a temporary copy of that file (same secrets provider and
 * encryption salt, so `secure:` values still decrypt, only `config:` replaced) and handed to the CLI
 * with `--config-file`. The user's file is therefore the same bytes after any run, Ctrl-C or crash;
 * restoring is going back to it (no `--config-file`) and deleting the copy.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import type { EngineEvent, PreviewOptions, PulumiCommand, UpOptions } from "@pulumi/pulumi/automation";
import { changesFromEvents } from "../review/changes";
import { ConfigMap, readStackDoc, stackText } from "./compose";
import type { LabEngine, PlannedStep } from "./engine";

/** The part of an Automation API Stack the lab drives; tests pass a fake. */
export interface StackLike {
    preview(o: PreviewOptions): Promise<unknown>;
    up(o: UpOptions): Promise<unknown>;
}

/** Engine steps that change something; `same`, reads, refreshes and discards do not. */
const MUTATING = new Set(["create", "update", "delete", "replace", "create-replacement", "delete-replaced", "import", "import-replacement"]);

export function stepsFromEvents(events: EngineEvent[]): PlannedStep[] {
    const steps: PlannedStep[] = [];
    for (const e of events) {
        const m = e.resourcePreEvent?.metadata;
        if (m && MUTATING.has(m.op)) steps.push({ urn: m.urn, op: m.op });
    }
    return steps;
}

export interface AdapterOptions {
    /** The user's Pulumi.<stack>.yaml; read, never written. */
    stackFile: string;
    /** Where the temporary stack file goes (a fresh directory under it); default the OS temp dir. */
    tmpRoot?: string;
}

export function labEngineOver(stack: StackLike, o: AdapterOptions): LabEngine & { dispose(): void } {
    const doc = readStackDoc(o.stackFile);
    let dir: string | undefined;
    let configFile: string | undefined;
    const dispose = () => {
        configFile = undefined;
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
        dir = undefined;
    };
    const quiet = () => undefined; // the engine's own text output; errors still arrive as exceptions
    return {
        async setConfig(config: ConfigMap) {
            // 0700: the copy carries the stack's encrypted secrets (ciphertext) like the original.
            dir ??= fs.mkdtempSync(path.join(o.tmpRoot ?? os.tmpdir(), "istio-mesh-lab-"));
            configFile = path.join(dir, path.basename(o.stackFile).replace(/\.ya?ml$/, ".lesson.yaml"));
            fs.writeFileSync(configFile, stackText(doc, config), { mode: 0o600 });
        },
        async restore() {
            dispose();
        },
        async preview() {
            const events: EngineEvent[] = [];
            await stack.preview({ onEvent: (e) => events.push(e), onOutput: quiet, color: "never", diff: true, ...(configFile ? { configFile } : {}) });
            return { steps: stepsFromEvents(events), changes: changesFromEvents(events).changes };
        },
        async up() {
            await stack.up({ onOutput: quiet, color: "never", ...(configFile ? { configFile } : {}) });
        },
        dispose,
    };
}

export class MissingStackError extends Error {}

/** The existing stack of this project (the running lab): it is selected, never created. */
export async function openPulumiLabEngine(s: { projectRoot: string; stack: string; envVars: Record<string, string>; log: (l: string) => void; pulumiCommand: PulumiCommand }): Promise<LabEngine & { dispose(): void }> {
    const cmd = s.pulumiCommand;
    const stack = await LocalWorkspace.selectStack({ stackName: s.stack, workDir: s.projectRoot }, { pulumiCommand: cmd, envVars: s.envVars }).catch((e: unknown) => {
        throw new MissingStackError(`stack "${s.stack}" cannot be selected (${e instanceof Error ? e.message.split("\n")[0] : String(e)}): the course runs against a running lab; run \`npm run up -- --stack ${s.stack}\` first`);
    });
    return labEngineOver(stack, { stackFile: path.join(s.projectRoot, `Pulumi.${s.stack}.yaml`) });
}
