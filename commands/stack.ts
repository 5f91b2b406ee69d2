/**
 * What the commands on a deployed stack share — `up`, `preview`, `down` (engine), `diff` (review) and
 * `verify`: their parsed arguments, the stack's gate before anything else, the analyzer's findings for
 * a comment, and the seams tests replace (Tools, the engine). No Pulumi engine, backend or passphrase
 * is needed for diff and verify; up, preview and down open the engine through engine/lifecycle.ts.
 */
import * as fs from "fs";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import type { Parsed } from "../cli/commandLine";
import { UsageError } from "../cli/errors";
import { shownPath } from "../cli/paths";
import type { Io } from "../cli/run";
import { resolveStack, STACK_NAME } from "../cli/stacks";
import type * as Analysis from "../analysis";
import type * as AnalysisFinding from "../analysis/finding";
import type * as Gate from "../analysis/gate";
import type { MeshConfig } from "../config/types";
import type * as Engine from "../engine/engine";
import type * as DockerHubLoginModule from "../engine/dockerHubLogin";
import type { DockerHubLogin } from "../engine/dockerHubLogin";
import type * as K3dLifecycle from "../engine/k3dLifecycle";
import type { K3dClusterStatus } from "../engine/k3dLifecycle";
import type { LifecycleCommand, MakeEngine, Prerequisites } from "../engine/lifecycle";
import type * as Preflight from "../preflight/preflight";
import type { System } from "../preflight/system";
import type { Finding } from "../review/comment";
import type * as Findings from "../review/findings";
import type * as OfflineDiff from "../review/offlineDiff";
import type { Rendered } from "../review/offlineDiff";
import type * as KubeProbe from "../verify/kubeProbe";
import type { VerifyDeps } from "../verify/deployed";

export type { Io, MakeEngine };

type Env = Record<string, string | undefined>;

export const STACK_COMMANDS = ["up", "preview", "down", "diff", "verify"] as const;
export type StackCommand = (typeof STACK_COMMANDS)[number];

export interface CliArgs {
    command: StackCommand;
    stack: string;
    /** The command's other options, as the strict parser read them (e.g. markdown, base). */
    flags: Record<string, string | true>;
}

/** Parsed options of one of these commands → CliArgs. */
export function cliArgs(command: StackCommand, p: Parsed): CliArgs {
    const flags: Record<string, string | true> = {};
    for (const [k, v] of Object.entries(p.values)) {
        if (k === "stack" || k === "help" || k === "debug" || v === undefined || v === false) continue;
        flags[k] = v;
    }
    const stack = typeof p.values.stack === "string" ? p.values.stack : "dev";
    if (!STACK_NAME.test(stack)) throw new UsageError(`--stack ${JSON.stringify(stack)}: a stack name has only letters, digits, '_', '.' and '-'`);
    return { command, stack, flags };
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

/** What these commands use besides the engine; tests replace them. */
export interface Tools {
    renderAtRef: (root: string, ref: string, stack: string) => Rendered;
    renderWorkingTree: (root: string, stack: string) => Record<string, unknown>[];
    makeProbe: VerifyDeps["makeProbe"];
    /** The pre-deploy gate (analysis/gate.ts): the stack's validated config and every finding, as `pulumi up` checks it. */
    gate: (file: string, stack: string) => Promise<{ config: MeshConfig; findings: Finding[] }>;
    /** Findings to use instead of the gate's (tests); a failure here costs only the comment's findings section. */
    analyze?: (cfg: MeshConfig) => Promise<Finding[]>;
    /** The cluster kind's prerequisites (preflight/preflight.ts); throws a PrerequisiteError. */
    preflight: (cfg: MeshConfig, command: LifecycleCommand, env: Record<string, string | undefined>) => Promise<void>;
    /** The Pulumi CLI to drive: on PATH, or installed into `dir`; throws a PrerequisiteError. */
    pulumiCli: (dir: string, log: (l: string) => void) => Promise<PulumiCommand | undefined>;
    /** `k3d cluster list`: the clusters k3d runs on this machine; undefined when k3d cannot say. */
    k3dClusters: (env: Record<string, string | undefined>) => Promise<K3dClusterStatus[] | undefined>;
    /** Fetches the pinned Gateway API CRD manifests into the checkout (commands/gatewayApiCrds.ts); throws a PrerequisiteError. */
    fetchGatewayApiCrds?: (projectRoot: string, log: (line: string) => void) => Promise<void>;
    /** The host's Docker Hub login, as the Docker CLI keeps it (engine/dockerHubLogin.ts); never throws. */
    dockerHubLogin: (env: Record<string, string | undefined>) => DockerHubLogin;
}

/** The k3d clusters on this machine, through the same System the preflight uses. */
export async function k3dClusters(sys: System): Promise<K3dClusterStatus[] | undefined> {
    if (!sys.which("k3d")) return undefined;
    const r = sys.exec("k3d", ["cluster", "list", "-o", "json"], 15000);
    return r.error || r.status !== 0 ? undefined : (require("../engine/k3dLifecycle") as typeof K3dLifecycle).parseK3dClusterList(r.stdout);
}

// Loaded when a command runs, never for --help (docs/architecture.md, "Commands load lazily").
const analysis = () => require("../analysis") as typeof Analysis;
const analysisFinding = () => require("../analysis/finding") as typeof AnalysisFinding;
const engine = () => require("../engine/engine") as typeof Engine;
const dockerHubLogin = () => require("../engine/dockerHubLogin") as typeof DockerHubLoginModule;
const gate = () => require("../analysis/gate") as typeof Gate;
const offlineDiff = () => require("../review/offlineDiff") as typeof OfflineDiff;
const preflight = () => require("../preflight/preflight") as typeof Preflight;
const kubeProbe = () => require("../verify/kubeProbe") as typeof KubeProbe;

export const defaultTools: Tools = {
    renderAtRef: (root, ref, stack) => offlineDiff().renderAtRef(root, ref, stack),
    renderWorkingTree: (root, stack) => offlineDiff().renderWorkingTree(root, stack),
    makeProbe: (o) => kubeProbe().kubeProbe(o),
    gate: (file, stack) => gate().checkStackFile(file, stack, { throwOnErrors: false }),
    preflight: (cfg, command, env) => preflight().preflight(cfg, command, preflight().realSystem(env)),
    pulumiCli: (dir, log) => engine().pulumiCli(dir, log),
    k3dClusters: (env) => k3dClusters(preflight().realSystem(env)),
    dockerHubLogin: (env) => dockerHubLogin().readDockerHubLogin(env),
    fetchGatewayApiCrds: (root, log) => (require("./gatewayApiCrds") as typeof import("./gatewayApiCrds")).fetchPinnedManifests(root, log),
};

/**
 * The host's Docker Hub login for the stack's registry cache, as the engine's environment for the
 * program (empty without a cache, with the stack's own login, or anonymous), and the line that says
 * which login it is (printed once the prerequisites have passed, so a refused command says only why).
 */
export function hostLogin(cfg: MeshConfig, env: Env, tools: Tools): { login?: DockerHubLogin; programEnv: Record<string, string>; lines: string } {
    const m = dockerHubLogin();
    const login = m.hostLoginOf(cfg, env, tools.dockerHubLogin);
    return { ...(login ? { login } : {}), programEnv: m.hostLoginEnv(login), lines: m.hostLoginLines(login) };
}

/** The real engine: this project through the Automation API's LocalWorkspace. */
export const pulumiEngine: MakeEngine = (s) => engine().pulumiEngine(s);

export function prerequisites(tools: Tools): Prerequisites {
    return { preflight: tools.preflight, pulumiCli: tools.pulumiCli, k3dClusters: tools.k3dClusters };
}

/**
 * The stack's validated config and the analyzer's findings, before the engine is touched: an unknown
 * stack is a usage error, invalid config throws (the program checks again when it runs).
 */
export async function gatedStack(args: CliArgs, projectRoot: string, tools: Tools, env: Env): Promise<{ cfg: MeshConfig; findings: Finding[] }> {
    const { file } = resolveStack(projectRoot, args.stack, "--stack", env);
    // The same gate `pulumi up` applies (analysis/gate.ts): invalid config throws; findings come back.
    const { config, findings } = await tools.gate(file, args.stack);
    // A Gateway API stack needs the pinned CRD manifests (git-ignored, fetched once per checkout). up and
    // preview download charts anyway: they fetch the manifests (sha256-checked) and gate again; other
    // commands leave it to `npm run gateway-api-crds`, which the finding names.
    if ((args.command === "up" || args.command === "preview") && tools.fetchGatewayApiCrds && findings.some((f) => f.code === UNSERVED_GATEWAY_API)) {
        await tools.fetchGatewayApiCrds(projectRoot, (l) => process.stderr.write(`${l}\n`));
        (require("../analysis/gatewayApi/manifest") as typeof import("../analysis/gatewayApi/manifest")).forgetLoadedCrds();
        const again = await tools.gate(file, args.stack);
        return { cfg: again.config, findings: again.findings };
    }
    return { cfg: config, findings };
}

/** The gate's code for a Gateway API object it could not validate (analysis/gatewayApi/admission.ts). */
const UNSERVED_GATEWAY_API = "GWAPI000";

/**
 * The program would stop on these errors anyway: say so now, before a CLI install or an engine run
 * (after `blocked`, e.g. writing the comment that says why). The error's message is the findings
 * table, printed once by the command line.
 */
export function stopOnErrors(findings: Finding[], blocked?: () => void): void {
    if (!analysis().hasErrors(findings)) return;
    blocked?.();
    throw new (analysisFinding().AnalysisError)(findings);
}

/** `--findings <file>` if given, else the analyzer; a failing analyzer must not cost the comment. */
export async function findingsFor(args: CliArgs, cfg: MeshConfig, io: Io, tools: Tools, gated: Finding[], env: Env): Promise<Finding[] | undefined> {
    const file = stringFlag(args, "findings");
    if (file) return (require("../review/findings") as typeof Findings).readFindings(file, env);
    try {
        return tools.analyze ? await tools.analyze(cfg) : gated;
    } catch (e) {
        io.err(`istio-mesh: the analyzer failed, the comment has no findings: ${e instanceof Error ? e.message : String(e)}\n`);
        return undefined;
    }
}

/** Writes the comment; says where, as the user would type the path. */
export function writeMarkdown(io: Io, file: string, text: string, env: Env): void {
    fs.writeFileSync(file, text);
    io.err(`istio-mesh: wrote ${text.length} characters to ${shownPath(file, env)}\n`);
}
