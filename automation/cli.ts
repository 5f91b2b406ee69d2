/**
 * npm run up|preview|down|diff|verify -- [--stack <name>] (see USAGE in settings.ts)
 *
 * Deploys, previews or tears down a stack of this project through the Pulumi Automation API, with no
 * Pulumi account: local file state by default, a dev-only passphrase on the dev stack.
 */
import * as path from "path";
import { ConfigError } from "../config/reader";
import { parseConfig } from "../config/parse";
import { projectValues, readStackFile } from "../config/stackConfig";
import * as fs from "fs";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { checkPlan, hasErrors } from "../analysis";
import { AnalysisError } from "../analysis/finding";
import { findingsTable } from "../analysis/table";
import type { MeshConfig } from "../config/types";
import { buildPlan } from "../mesh/plan";
import { verifyCommand, VerifyDeps } from "../verify/command";
import { kubeProbe } from "../verify/kubeProbe";
import { ChangeSet, changesFromEvents } from "./changes";
import { ensureDir, EngineSettings, MeshEngine, pulumiEngine } from "./engine";
import { commentMarkdown, Finding } from "./markdown";
import { compareDocuments, DiffError, renderAtRef, Rendered, renderWorkingTree } from "./offlineDiff";
import { backendUrl, CliArgs, intFlag, parseArgs, passphraseEnv, stringFlag, UsageError } from "./settings";

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

/** What `diff` and `verify` use besides the engine; tests replace them. */
export interface Tools {
    renderAtRef: (root: string, ref: string, stack: string) => Rendered;
    renderWorkingTree: (root: string, stack: string) => Record<string, unknown>[];
    makeProbe: VerifyDeps["makeProbe"];
    /** The analyzer's findings for the working tree's config (`npm run analyze`), appended to comments. */
    analyze: (cfg: MeshConfig) => Promise<Finding[]>;
}

const defaultTools: Tools = {
    renderAtRef,
    renderWorkingTree,
    makeProbe: kubeProbe,
    analyze: (cfg) => checkPlan(cfg, buildPlan(cfg)),
};

/** `--findings <file>` if given, else the analyzer; a failing analyzer must not cost the comment. */
async function findingsFor(args: CliArgs, cfg: MeshConfig, io: Io, tools: Tools): Promise<Finding[] | undefined> {
    const file = stringFlag(args, "findings", "findings.json");
    if (file) return readFindings(file);
    try {
        return await tools.analyze(cfg);
    } catch (e) {
        io.err(`istio-mesh: the analyzer failed, the comment has no findings: ${e instanceof Error ? e.message : String(e)}\n`);
        return undefined;
    }
}

/** Findings of the analyzer, from `--findings <file.json>` (a JSON list as `npm run analyze` reports them). */
export function readFindings(file: string): Finding[] {
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`--findings ${file}: ${e instanceof Error ? e.message : String(e)}; expected a JSON list of {code, severity, resource, path, message, fix}`);
    }
    const list = Array.isArray(doc) ? doc : (doc as { findings?: unknown })?.findings;
    const ok = (f: any) => f && ["code", "resource", "path", "message", "fix"].every((k) => typeof f[k] === "string") && ["error", "warning", "info"].includes(f.severity);
    if (!Array.isArray(list) || !list.every(ok)) throw new UsageError(`--findings ${file}: expected a JSON list of {code, severity: error|warning|info, resource, path, message, fix}`);
    return list as Finding[];
}

function writeMarkdown(io: Io, file: string, text: string): void {
    fs.writeFileSync(file, text);
    io.err(`istio-mesh: wrote ${text.length} characters to ${file}\n`);
}

export const previewMarker = (stack: string) => `<!-- istio-mesh:preview:${stack} -->`;
export const diffMarker = (stack: string) => `<!-- istio-mesh:diff:${stack} -->`;

async function diff(args: CliArgs, cfg: MeshConfig, io: Io, tools: Tools, projectRoot: string): Promise<number> {
    const base = stringFlag(args, "base", "origin/main");
    if (!base) throw new UsageError(`diff needs --base <git ref>, e.g. npm run diff -- --stack ${args.stack} --base origin/main`);
    const markdown = stringFlag(args, "markdown", "diff.md");
    const before = tools.renderAtRef(projectRoot, base, args.stack);
    const after = tools.renderWorkingTree(projectRoot, args.stack);
    const set: ChangeSet = compareDocuments(before.docs, after);
    const text = commentMarkdown(set, {
        marker: diffMarker(args.stack),
        heading: `Offline diff — stack \`${args.stack}\``,
        subtitle: [`Rendered under mocks at \`${base}\` and at this change (no cluster, no credentials).`, before.note].filter(Boolean).join(" "),
        findings: await findingsFor(args, cfg, io, tools),
    });
    if (markdown) writeMarkdown(io, markdown, text);
    else io.out(text);
    return 0;
}

async function verify(args: CliArgs, cfg: MeshConfig, io: Io, tools: Tools): Promise<number> {
    const timeout = stringFlag(args, "converge-timeout", "60");
    const opts = {
        cfg,
        stack: args.stack,
        context: stringFlag(args, "context", "k3d-istio-mesh"),
        ingressUrl: stringFlag(args, "ingress-url", "http://127.0.0.1:8000"),
        samples: intFlag(args, "samples", 200, { min: 20, max: 10000 }),
        json: args.flags.json === true,
        convergeTimeoutSeconds: timeout === undefined ? undefined : Number(timeout),
    };
    return verifyCommand(opts, io, { makeProbe: tools.makeProbe });
}

export async function run(
    args: CliArgs,
    env: Record<string, string | undefined>,
    io: Io,
    makeEngine: (s: EngineSettings) => Promise<MeshEngine> = pulumiEngine,
    projectRoot = PROJECT_ROOT,
    tools: Tools = defaultTools,
): Promise<number> {
    // Fail on bad config before touching the engine (the program checks again when it runs).
    const cfg = parseConfig(projectValues(readStackFile(path.join(projectRoot, `Pulumi.${args.stack}.yaml`)).values), args.stack);
    // Offline and cluster-side commands need no Pulumi engine, backend or passphrase.
    if (args.command === "diff") return diff(args, cfg, io, tools, projectRoot);
    if (args.command === "verify") return verify(args, cfg, io, tools);
    const markdown = args.command === "preview" ? stringFlag(args, "markdown", "preview.md") : undefined;
    if (args.command !== "down") {
        // The program would stop on these errors anyway: say so now, before a CLI install or an engine run.
        const findings = await tools.analyze(cfg);
        if (hasErrors(findings)) {
            io.err(findingsTable(findings));
            if (markdown) {
                writeMarkdown(io, markdown, commentMarkdown(changesFromEvents([]), {
                    marker: previewMarker(args.stack),
                    heading: `Pulumi preview — stack \`${args.stack}\``,
                    subtitle: "Not run: the analyzer found errors that stop the program before it registers anything.",
                    findings,
                }));
            }
            throw new AnalysisError(findings);
        }
    }
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
            const events: EngineEvent[] = [];
            const r = await engine.preview({ onOutput, onEvent: (e) => events.push(e) });
            io.out(`\nPreview: ${summaryLine(r.summary)}\n`);
            if (markdown) {
                const text = commentMarkdown(changesFromEvents(events), {
                    marker: previewMarker(args.stack),
                    heading: `Pulumi preview — stack \`${args.stack}\``,
                    subtitle: `Engine preview against the stack's real state (${backend.url.startsWith("file://") ? "local file backend" : backend.url.replace(/\/\/[^/]*@/, "//")}).`,
                    findings: await findingsFor(args, cfg, io, tools),
                });
                writeMarkdown(io, markdown, text);
            }
            return 0;
        }
        case "down": {
            const r = await engine.destroy({ onOutput });
            io.out(`\nDestroyed: ${summaryLine(r.summary)}\n`);
            return 0;
        }
        default:
            throw new UsageError(`unknown command ${args.command}`); // diff and verify returned above
    }
}

if (require.main === module) {
    const io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
    Promise.resolve()
        .then(() => run(parseArgs(process.argv.slice(2)), process.env, io))
        .then((code) => process.exit(code))
        .catch((e: unknown) => {
            const known = e instanceof UsageError || e instanceof ConfigError || e instanceof AnalysisError || e instanceof DiffError || (e instanceof Error && "code" in e && (e as NodeJS.ErrnoException).code === "ENOENT");
            io.err(`${known ? (e as Error).message : e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
            process.exit(known ? 2 : 1);
        });
}
