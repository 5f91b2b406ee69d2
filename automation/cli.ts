/**
 * npm run up|preview|down -- [--stack <name>]
 *
 * Deploys, previews or tears down a stack of this project through the Pulumi Automation API, with no
 * Pulumi account: local file state by default, a dev-only passphrase on the dev stack.
 */
import * as path from "path";
import { ConfigError } from "../config/reader";
import { parseConfig } from "../config/parse";
import { projectValues, readStackFile } from "../config/stackConfig";
import { ensureDir, EngineSettings, MeshEngine, pulumiEngine } from "./engine";
import { backendUrl, CliArgs, parseArgs, passphraseEnv, UsageError } from "./settings";

export interface Io {
    out: (text: string) => void;
    err: (text: string) => void;
}

export const PROJECT_ROOT = path.resolve(__dirname, "..");

export function summaryLine(summary: Record<string, number>): string {
    const parts = Object.entries(summary).filter(([, n]) => n > 0).map(([op, n]) => `${n} ${op}`);
    return parts.length ? parts.join(", ") : "no changes";
}

/** Outputs worth printing after `up`; secrets stay hidden. */
export function formatOutputs(outputs: Record<string, { value: unknown; secret: boolean }>): string {
    return Object.entries(outputs)
        .map(([k, o]) => `${k}: ${o.secret ? "[secret]" : typeof o.value === "string" ? o.value : JSON.stringify(o.value, null, 2)}`)
        .join("\n");
}

export async function run(
    args: CliArgs,
    env: Record<string, string | undefined>,
    io: Io,
    makeEngine: (s: EngineSettings) => Promise<MeshEngine> = pulumiEngine,
    projectRoot = PROJECT_ROOT,
): Promise<number> {
    // Fail on bad config before touching the engine (the program checks again when it runs).
    parseConfig(projectValues(readStackFile(path.join(projectRoot, `Pulumi.${args.stack}.yaml`)).values), args.stack);
    const backend = backendUrl(env, projectRoot);
    if (backend.localDir) ensureDir(backend.localDir);
    const envVars = { PULUMI_BACKEND_URL: backend.url, ...passphraseEnv(env, args.stack) };
    io.err(`istio-mesh: ${args.command} stack "${args.stack}" (state: ${backend.url})\n`);
    const engine = await makeEngine({ projectRoot, stack: args.stack, envVars, log: (l) => io.err(`${l}\n`) });
    const onOutput = io.out;
    switch (args.command) {
        case "up": {
            const r = await engine.up({ onOutput });
            io.out(`\nDone: ${summaryLine(r.summary)}\n${formatOutputs(r.outputs)}\n`);
            return 0;
        }
        case "preview": {
            const r = await engine.preview({ onOutput });
            io.out(`\nPreview: ${summaryLine(r.summary)}\n`);
            return 0;
        }
        case "down": {
            const r = await engine.destroy({ onOutput });
            io.out(`\nDestroyed: ${summaryLine(r.summary)}\n`);
            return 0;
        }
    }
}

if (require.main === module) {
    const io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
    Promise.resolve()
        .then(() => run(parseArgs(process.argv.slice(2)), process.env, io))
        .then((code) => process.exit(code))
        .catch((e: unknown) => {
            const known = e instanceof UsageError || e instanceof ConfigError || (e instanceof Error && "code" in e && (e as NodeJS.ErrnoException).code === "ENOENT");
            io.err(`${known ? (e as Error).message : e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
            process.exit(known ? 2 : 1);
        });
}
