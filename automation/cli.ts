/**
 * npm run up|preview|down|diff|verify -- [--stack <name>] (options: cli/commands.ts)
 *
 * Deploys, previews or tears down a stack of this project through the Pulumi Automation API, with no
 * Pulumi account: local file state by default, a built-in passphrase only on a local k3d cluster.
 * Order on up/preview: config → analyzer → the cluster kind's prerequisites → the Pulumi CLI → state
 * directory → engine. Nothing is created before every check has passed.
 */
import * as path from "path";
import { ConfigError } from "../config/reader";
import { checkStackFile } from "../analysis/gate";
import { projectValues, readStackFile } from "../config/stackConfig";
import * as fs from "fs";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { checkPlan, hasErrors, planObjects } from "../analysis";
import { AnalysisError } from "../analysis/finding";
import type { MeshConfig } from "../config/types";
import { buildPlan } from "../mesh/plan";
import { verifyCommand, VerifyDeps } from "../verify/command";
import { kubeProbe } from "../verify/kubeProbe";
import { ChangeSet, changesFromEvents } from "./changes";
import { ensureDir, EngineSettings, MeshEngine, pulumiCliDir, pulumiEngine } from "./engine";
import { commentMarkdown, Finding } from "./markdown";
import { compareDocuments, DiffError, renderAtRef, Rendered, renderWorkingTree, trafficDiagramDiff } from "./offlineDiff";
import { trafficDiagram } from "../diagram";
import { backendUrl, cliArgs, CliArgs, Command, intFlag, passphraseEnv, stringFlag, UsageError } from "./settings";
import type { Parsed } from "../cli/commandLine";
import type { Context, Io } from "../cli/run";
import { resolveStack } from "../cli/stacks";
import { shownPath } from "../cli/paths";
import { K3D_SUPPORTED, preflight, PreflightCommand, realSystem, System } from "./preflight";
import { cachedRegistries, registryCacheKeptNotice } from "../mesh/k3d/registryCache";
import { K3dClusterStatus, k3dPlan, parseK3dClusterList } from "./k3dLifecycle";
import { PrerequisiteError } from "../cli/errors";
import type { PulumiCommand } from "@pulumi/pulumi/automation";

export type { Io };

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
    /** The pre-deploy gate (analysis/gate.ts): the stack's validated config and every finding, as `pulumi up` checks it. */
    gate: (file: string, stack: string) => Promise<{ config: MeshConfig; findings: Finding[] }>;
    /** Findings to use instead of the gate's (tests); a failure here costs only the comment's findings section. */
    analyze?: (cfg: MeshConfig) => Promise<Finding[]>;
    /** The cluster kind's prerequisites (automation/preflight.ts); throws a PrerequisiteError. */
    preflight: (cfg: MeshConfig, command: PreflightCommand, env: Record<string, string | undefined>) => Promise<void>;
    /** The Pulumi CLI to drive: on PATH, or installed into `dir`; throws a PrerequisiteError. */
    pulumiCli: (dir: string, log: (l: string) => void) => Promise<PulumiCommand | undefined>;
    /** `k3d cluster list`: the clusters k3d runs on this machine; undefined when k3d cannot say. */
    k3dClusters: (env: Record<string, string | undefined>) => Promise<K3dClusterStatus[] | undefined>;
}

/** The k3d clusters on this machine, through the same System the preflight uses. */
export async function k3dClusters(sys: System): Promise<K3dClusterStatus[] | undefined> {
    if (!sys.which("k3d")) return undefined;
    const r = sys.exec("k3d", ["cluster", "list", "-o", "json"], 15000);
    return r.error || r.status !== 0 ? undefined : parseK3dClusterList(r.stdout);
}

export const defaultTools: Tools = {
    renderAtRef,
    renderWorkingTree,
    makeProbe: kubeProbe,
    gate: (file, stack) => checkStackFile(file, stack, { throwOnErrors: false }),
    preflight: (cfg, command, env) => preflight(cfg, command, realSystem(env)),
    pulumiCli: (dir, log) => (require("./engine") as typeof import("./engine")).pulumiCli(dir, log),
    k3dClusters: (env) => k3dClusters(realSystem(env)),
};

/** Whether a file backend holds state for the stack (project-scoped layout, or the older flat one). */
export function fileStateExists(dir: string, project: string, stack: string): boolean {
    const base = [path.join(dir, ".pulumi", "stacks", project, stack), path.join(dir, ".pulumi", "stacks", stack)];
    return base.some((b) => fs.existsSync(`${b}.json`) || fs.existsSync(`${b}.json.gz`));
}

/** `--findings <file>` if given, else the analyzer; a failing analyzer must not cost the comment. */
async function findingsFor(args: CliArgs, cfg: MeshConfig, io: Io, tools: Tools, gated: Finding[], env: Env): Promise<Finding[] | undefined> {
    const file = stringFlag(args, "findings");
    if (file) return readFindings(file, env);
    try {
        return tools.analyze ? await tools.analyze(cfg) : gated;
    } catch (e) {
        io.err(`istio-mesh: the analyzer failed, the comment has no findings: ${e instanceof Error ? e.message : String(e)}\n`);
        return undefined;
    }
}

/** Findings of the analyzer, from `--findings <file.json>` (a JSON list as `npm run analyze` reports them). */
export function readFindings(file: string, env: Env = process.env): Finding[] {
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new UsageError(`--findings ${shownPath(file, env)}: ${e instanceof Error ? e.message : String(e)}; expected a JSON list of {code, severity, resource, path, message, fix}`);
    }
    const list = Array.isArray(doc) ? doc : (doc as { findings?: unknown })?.findings;
    const ok = (f: any) => f && ["code", "resource", "path", "message", "fix"].every((k) => typeof f[k] === "string") && ["error", "warning", "info"].includes(f.severity);
    if (!Array.isArray(list) || !list.every(ok)) throw new UsageError(`--findings ${shownPath(file, env)}: expected a JSON list of {code, severity: error|warning|info, resource, path, message, fix}`);
    return list as Finding[];
}

type Env = Record<string, string | undefined>;

/** Writes the comment; says where, as the user would type the path. */
function writeMarkdown(io: Io, file: string, text: string, env: Env): void {
    fs.writeFileSync(file, text);
    io.err(`istio-mesh: wrote ${text.length} characters to ${shownPath(file, env)}\n`);
}

export const previewMarker = (stack: string) => `<!-- istio-mesh:preview:${stack} -->`;
export const diffMarker = (stack: string) => `<!-- istio-mesh:diff:${stack} -->`;

async function diff(args: CliArgs, cfg: MeshConfig, io: Io, tools: Tools, projectRoot: string, gated: Finding[], env: Env): Promise<number> {
    const base = stringFlag(args, "base");
    if (!base) throw new UsageError(`diff needs --base <git ref>, e.g. npm run diff -- --stack ${args.stack} --base origin/main`);
    const markdown = stringFlag(args, "markdown");
    const before = tools.renderAtRef(projectRoot, base, args.stack);
    const after = tools.renderWorkingTree(projectRoot, args.stack);
    const set: ChangeSet = compareDocuments(before.docs, after);
    const findings = await findingsFor(args, cfg, io, tools, gated, env);
    const text = commentMarkdown(set, {
        marker: diffMarker(args.stack),
        heading: `Offline diff — stack \`${args.stack}\``,
        subtitle: [`Rendered under mocks at \`${base}\` and at this change (no cluster, no credentials).`, before.note].filter(Boolean).join(" "),
        findings,
        // The traffic after the change, with what changed since the base marked (diagram/).
        diagram: trafficDiagramDiff(before.docs, after, findings),
    });
    if (markdown) writeMarkdown(io, markdown, text, env);
    else io.out(text);
    return 0;
}

/**
 * The stack's outputs (kubeContext, kubeconfig, ingressUrl) for verify, read through the engine only
 * when config cannot say (a kubeconfig kept as a secret, a cloud load balancer's address).
 */
async function stackOutputs(
    args: CliArgs,
    cfg: MeshConfig,
    env: Record<string, string | undefined>,
    io: Io,
    makeEngine: (s: EngineSettings) => Promise<MeshEngine>,
    projectRoot: string,
    tools: Tools,
): Promise<Record<string, unknown>> {
    const backend = backendUrl(env, projectRoot);
    if (backend.localDir && !fileStateExists(backend.localDir, projectName(projectRoot), args.stack)) {
        throw new UsageError(`stack "${args.stack}" has no state in ${backend.url}: deploy it first (npm run up -- --stack ${args.stack}), or pass --context and --ingress-url`);
    }
    const envVars = { PULUMI_BACKEND_URL: backend.url, ...passphraseEnv(env, args.stack, cfg.cluster.kind) };
    const pulumiCommand = await tools.pulumiCli(pulumiCliDir(env, projectRoot), (l) => io.err(`${l}\n`));
    const engine = await makeEngine({ projectRoot, stack: args.stack, envVars, log: (l) => io.err(`${l}\n`), create: false, ...(pulumiCommand ? { pulumiCommand } : {}) });
    if (!engine.outputs) return {};
    return Object.fromEntries(Object.entries(await engine.outputs()).map(([k, o]) => [k, o.value]));
}

async function verify(args: CliArgs, cfg: MeshConfig, io: Io, tools: Tools, env: Record<string, string | undefined>, makeEngine: (s: EngineSettings) => Promise<MeshEngine>, projectRoot: string): Promise<number> {
    const timeout = stringFlag(args, "converge-timeout");
    const opts = {
        cfg,
        stack: args.stack,
        context: stringFlag(args, "context"),
        ingressUrl: stringFlag(args, "ingress-url"),
        samples: intFlag(args, "samples", 200, { min: 20, max: 10000 }),
        json: args.flags.json === true,
        convergeTimeoutSeconds: timeout === undefined ? undefined : intFlag(args, "converge-timeout", 60, { min: 0, max: 600 }),
    };
    return verifyCommand(opts, io, { makeProbe: tools.makeProbe, stackOutputs: () => stackOutputs(args, cfg, env, io, makeEngine, projectRoot, tools) });
}

/** Name of the Pulumi project (Pulumi.yaml), which scopes stacks in a file backend. */
function projectName(projectRoot: string): string {
    try {
        const m = fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8").match(/^name:\s*["']?([^"'\s#]+)/m);
        return m ? m[1] : "istio-mesh";
    } catch {
        return "istio-mesh";
    }
}

function previewBlocked(args: CliArgs, findings: Finding[], markdown: string | undefined, io: Io, env: Env): never {
    if (markdown) {
        writeMarkdown(io, markdown, commentMarkdown(changesFromEvents([]), {
            marker: previewMarker(args.stack),
            heading: `Pulumi preview — stack \`${args.stack}\``,
            subtitle: "Not run: the analyzer found errors that stop the program before it registers anything.",
            findings,
        }), env);
    }
    // The error's message is the findings table, printed once by the command line.
    throw new AnalysisError(findings);
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
    const { file } = resolveStack(projectRoot, args.stack, "--stack", env);
    // The same gate `pulumi up` applies (analysis/gate.ts): invalid config throws; findings come back.
    const { config: cfg, findings: gated } = await tools.gate(file, args.stack);
    // Offline and cluster-side commands need no Pulumi engine, backend or passphrase.
    if (args.command === "diff") return diff(args, cfg, io, tools, projectRoot, gated, env);
    if (args.command === "verify") return verify(args, cfg, io, tools, env, makeEngine, projectRoot);
    const command: PreflightCommand = args.command;
    const markdown = command === "preview" ? stringFlag(args, "markdown") : undefined;
    if (command !== "down") {
        // The program would stop on these errors anyway: say so now, before a CLI install or an engine run.
        const findings = tools.analyze ? await tools.analyze(cfg) : gated;
        if (hasErrors(findings)) previewBlocked(args, findings, markdown, io, env);
    }
    const backend = backendUrl(env, projectRoot);
    if (command === "down" && backend.localDir && !fileStateExists(backend.localDir, projectName(projectRoot), args.stack)) {
        io.err(`istio-mesh: stack "${args.stack}" has no state in ${backend.url}: nothing was deployed from here, nothing to destroy. Nothing changed.\n`);
        const k3d = cfg.cluster.kind === "k3d" ? cfg.cluster : undefined;
        if (k3d && (await tools.k3dClusters(env))?.some((c) => c.name === k3d.name)) {
            io.err(`istio-mesh: a k3d cluster "${k3d.name}" exists on this machine that no state here knows; delete it with: k3d cluster delete ${k3d.name}\n`);
        }
        return 0;
    }
    const passphrase = passphraseEnv(env, args.stack, cfg.cluster.kind);
    // Before anything starts: how many images a new k3d cluster pulls, against Docker Hub's anonymous limit.
    if (command === "up") {
        const note = (require("../supplychain/upNote") as typeof import("../supplychain/upNote")).coldUpNote(cfg, K3D_SUPPORTED.tested, cachedRegistries(cfg));
        if (note) io.err(note);
    }
    await tools.preflight(cfg, command, env);
    const pulumiCommand = await tools.pulumiCli(pulumiCliDir(env, projectRoot), (l) => io.err(`${l}\n`));
    // Only now, with every prerequisite in place, does anything get created.
    if (backend.localDir && command !== "down") ensureDir(backend.localDir);
    const envVars = { PULUMI_BACKEND_URL: backend.url, ...passphrase };
    io.err(`istio-mesh: ${command} stack "${args.stack}" (state: ${backend.url})\n`);
    let engine: MeshEngine;
    try {
        engine = await makeEngine({ projectRoot, stack: args.stack, envVars, log: (l) => io.err(`${l}\n`), create: command !== "down", ...(pulumiCommand ? { pulumiCommand } : {}) });
    } catch (e) {
        // A remote backend without this stack: down has nothing to destroy (selected, never created).
        if (command === "down" && e instanceof Error && e.constructor?.name === "StackNotFoundError") {
            io.err(`istio-mesh: stack "${args.stack}" does not exist in ${backend.url}: nothing to destroy. Nothing changed.\n`);
            return 0;
        }
        throw e;
    }
    // k3d: the cluster as k3d has it against the state, before anything changes (automation/k3dLifecycle.ts).
    let replace: string[] = [];
    if (cfg.cluster.kind === "k3d" && engine.state) {
        const plan = k3dPlan({ command, stack: args.stack, cluster: cfg.cluster, state: await engine.state(), clusters: await tools.k3dClusters(env) });
        if (plan.kind === "stop") throw new PrerequisiteError(`npm run ${command} -- --stack ${args.stack}: ${plan.problem}`);
        for (const n of plan.notes) io.err(`istio-mesh: ${n}\n`);
        replace = plan.replace;
    }
    const onOutput = io.out;
    switch (command) {
        case "up": {
            const r = await engine.up({ onOutput, replace, refresh: args.flags.refresh === true });
            io.out(`\nDone: ${summaryLine(r.summary)}\n${formatOutputs(r.outputs)}\n`);
            return 0;
        }
        case "preview": {
            const events: EngineEvent[] = [];
            const r = await engine.preview({ onOutput, onEvent: (e) => events.push(e), replace, refresh: args.flags.refresh === true });
            io.out(`\nPreview: ${summaryLine(r.summary)}\n`);
            if (markdown) {
                const findings = await findingsFor(args, cfg, io, tools, gated, env);
                const text = commentMarkdown(changesFromEvents(events), {
                    marker: previewMarker(args.stack),
                    heading: `Pulumi preview — stack \`${args.stack}\``,
                    subtitle: `Engine preview against the stack's real state (${backend.url.startsWith("file://") ? "local file backend" : backend.url.replace(/\/\/[^/]*@/, "//")}).`,
                    findings,
                    // The engine's events carry no base-side objects to compare: the traffic as declared now (the offline diff marks the changes).
                    diagram: trafficDiagram(planObjects(buildPlan(cfg)), { findings }),
                });
                writeMarkdown(io, markdown, text, env);
            }
            return 0;
        }
        case "down": {
            const r = await engine.destroy({ onOutput });
            io.out(`\nDestroyed: ${summaryLine(r.summary)}\n`);
            const kept = registryCacheKeptNotice(cfg);
            if (kept) io.err(kept);
            return 0;
        }
    }
}

/** `npm run up|preview|down` from the command line (cli/commands.ts). */
export function engineCommand(command: Command, p: Parsed, ctx: Context): Promise<number> {
    return run(cliArgs(command, p), ctx.env, ctx.io, pulumiEngine, ctx.projectRoot);
}

export function diffCommand(p: Parsed, ctx: Context): Promise<number> {
    return run(cliArgs("diff", p), ctx.env, ctx.io, pulumiEngine, ctx.projectRoot);
}

export function verifyCommandLine(p: Parsed, ctx: Context): Promise<number> {
    return run(cliArgs("verify", p), ctx.env, ctx.io, pulumiEngine, ctx.projectRoot);
}

// `node --import tsx automation/cli.ts <command> …` still works: it is the one command line.
if (require.main === module) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("../cli/main") as typeof import("../cli/main")).main(process.argv.slice(2));
}
