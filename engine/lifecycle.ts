/**
 * Opening a stack's engine for `up`, `preview` and `down` (and its outputs for `verify`) in the one
 * safe order: state backend → passphrase → the cluster kind's prerequisites → the Pulumi CLI → state
 * directory → engine → on k3d, the cluster as k3d has it against the state (k3dLifecycle.ts). Nothing
 * is created before every check has passed. The prerequisites, the CLI and k3d's cluster list come in
 * as functions (preflight/, engine/engine.ts), so tests replace them.
 */
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { PrerequisiteError, UsageError } from "../cli/errors";
import type { MeshConfig } from "../config/types";
import { ensureDir, EngineSettings, LifecycleCommand, MeshEngine, pulumiCliDir } from "./engine";
import { K3dClusterStatus, k3dPlan } from "./k3dLifecycle";
import { backendUrl, passphraseEnv } from "./settings";
import { fileStateExists, projectName } from "./state";

export type { LifecycleCommand };

export type MakeEngine = (s: EngineSettings) => Promise<MeshEngine>;

export interface Prerequisites {
    /** The cluster kind's prerequisites (preflight/preflight.ts); throws a PrerequisiteError. */
    preflight: (cfg: MeshConfig, command: LifecycleCommand, env: Record<string, string | undefined>) => Promise<void>;
    /** The Pulumi CLI to drive: on PATH, or installed into `dir`; throws a PrerequisiteError. */
    pulumiCli: (dir: string, log: (l: string) => void) => Promise<PulumiCommand | undefined>;
    /** `k3d cluster list`: the clusters k3d runs on this machine; undefined when k3d cannot say. */
    k3dClusters: (env: Record<string, string | undefined>) => Promise<K3dClusterStatus[] | undefined>;
}

export interface StackTarget {
    stack: string;
    cfg: MeshConfig;
    env: Record<string, string | undefined>;
    projectRoot: string;
    /** Progress and notes (stderr). */
    err: (text: string) => void;
    makeEngine: MakeEngine;
    prerequisites: Prerequisites;
    /** More of the engine's environment for the program: the host's Docker Hub login (dockerHubLogin.ts). Never printed. */
    programEnv?: Record<string, string>;
}

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

/**
 * The stack's engine once every prerequisite of the command is in place, where its state lives, and
 * what the engine must replace (a k3d cluster deleted by hand); undefined when `down` has nothing to
 * destroy (said on stderr, nothing changed).
 */
export async function openStack(command: LifecycleCommand, t: StackTarget): Promise<{ engine: MeshEngine; backend: string; replace: string[] } | undefined> {
    const { stack, env, projectRoot, err } = t;
    const backend = backendUrl(env, projectRoot);
    if (command === "down" && backend.localDir && !fileStateExists(backend.localDir, projectName(projectRoot), stack)) {
        err(`istio-mesh: stack "${stack}" has no state in ${backend.url}: nothing was deployed from here, nothing to destroy. Nothing changed.\n`);
        const k3d = t.cfg.cluster.kind === "k3d" ? t.cfg.cluster : undefined;
        if (k3d && (await t.prerequisites.k3dClusters(env))?.some((c) => c.name === k3d.name)) {
            err(`istio-mesh: a k3d cluster "${k3d.name}" exists on this machine that no state here knows; delete it with: k3d cluster delete ${k3d.name}\n`);
        }
        return undefined;
    }
    const passphrase = passphraseEnv(env, stack, t.cfg.cluster.kind);
    await t.prerequisites.preflight(t.cfg, command, env);
    const pulumiCommand = await t.prerequisites.pulumiCli(pulumiCliDir(env, projectRoot), (l) => err(`${l}\n`));
    // Only now, with every prerequisite in place, does anything get created.
    if (backend.localDir && command !== "down") ensureDir(backend.localDir);
    const envVars = { ...(command === "down" ? {} : t.programEnv), PULUMI_BACKEND_URL: backend.url, ...passphrase };
    err(`istio-mesh: ${command} stack "${stack}" (state: ${backend.url})\n`);
    let engine: MeshEngine;
    try {
        engine = await t.makeEngine({ projectRoot, stack, envVars, log: (l) => err(`${l}\n`), create: command !== "down", ...(pulumiCommand ? { pulumiCommand } : {}) });
    } catch (e) {
        // A remote backend without this stack: down has nothing to destroy (selected, never created).
        if (command === "down" && e instanceof Error && e.constructor?.name === "StackNotFoundError") {
            err(`istio-mesh: stack "${stack}" does not exist in ${backend.url}: nothing to destroy. Nothing changed.\n`);
            return undefined;
        }
        throw e;
    }
    // k3d: the cluster as k3d has it against the state, before anything changes (k3dLifecycle.ts).
    let replace: string[] = [];
    if (t.cfg.cluster.kind === "k3d" && engine.state) {
        const plan = k3dPlan({ command, stack, cluster: t.cfg.cluster, state: await engine.state(), clusters: await t.prerequisites.k3dClusters(env) });
        if (plan.kind === "stop") throw new PrerequisiteError(`npm run ${command} -- --stack ${stack}: ${plan.problem}`);
        for (const n of plan.notes) err(`istio-mesh: ${n}\n`);
        replace = plan.replace;
    }
    return { engine, backend: backend.url, replace };
}

/**
 * The stack's outputs (kubeContext, kubeconfig, ingressUrl) as plain values, for verify, read through
 * the engine only when config cannot say (a kubeconfig kept as a secret, a cloud load balancer's address).
 */
export async function stackOutputs(t: Omit<StackTarget, "prerequisites"> & { pulumiCli: Prerequisites["pulumiCli"] }): Promise<Record<string, unknown>> {
    const { stack, env, projectRoot, err } = t;
    const backend = backendUrl(env, projectRoot);
    if (backend.localDir && !fileStateExists(backend.localDir, projectName(projectRoot), stack)) {
        throw new UsageError(`stack "${stack}" has no state in ${backend.url}: deploy it first (npm run up -- --stack ${stack}), or pass --context and --ingress-url`);
    }
    const envVars = { PULUMI_BACKEND_URL: backend.url, ...passphraseEnv(env, stack, t.cfg.cluster.kind) };
    const pulumiCommand = await t.pulumiCli(pulumiCliDir(env, projectRoot), (l) => err(`${l}\n`));
    const engine = await t.makeEngine({ projectRoot, stack, envVars, log: (l) => err(`${l}\n`), create: false, ...(pulumiCommand ? { pulumiCommand } : {}) });
    if (!engine.outputs) return {};
    return Object.fromEntries(Object.entries(await engine.outputs()).map(([k, o]) => [k, o.value]));
}
