/**
 * Verifying a deployed stack, given its options (`npm run verify`, commands/verify.ts; the lab's
 * `run` measures each lesson through the same target resolution and reachability check).
 *
 * Reachability first: the kube context the stack's cluster kind implies is resolved, the API server
 * must answer and the fortio pod must be Running with its sidecar — otherwise exit 2 with a message
 * naming the context and the server, and no rows. Then the config must have reached the proxies
 * (bounded wait), then every check runs. Exit 0 when no row is FAIL or ERROR, 1 otherwise.
 */
import * as yaml from "js-yaml";
import { UsageError } from "../cli/errors";
import type { MeshConfig } from "../config/types";
import type { KubeProbeOptions } from "./kubeProbe";
import type { MeshProbe, Preflight } from "./run";
import { summary } from "./verdicts";
import { checkContextFor, verifyStack } from "./verify";

export interface VerifyCommandOptions {
    cfg: MeshConfig;
    stack: string;
    /** `--context`: overrides the context the cluster kind implies. */
    context?: string;
    /** `--ingress-url`: where the ingress gateway answers from this machine (http or https). */
    ingressUrl?: string;
    /** `--samples`: requests per split and per ingress route (20–10000). */
    samples: number;
    /** `--json`: the rows (and convergence, timings) as JSON on stdout instead of the table. */
    json: boolean;
    /** `--converge-timeout`: seconds to wait for the config to reach the proxies (0–600, 0 = do not wait; default 60). */
    convergeTimeoutSeconds?: number;
}

export interface VerifyIo {
    out: (text: string) => void;
    err: (text: string) => void;
}

export interface VerifyDeps {
    makeProbe: (o: KubeProbeOptions) => Promise<MeshProbe>;
    /** The stack's outputs (kubeContext, kubeconfig, ingressUrl), plain values; absent when the caller has no engine. */
    stackOutputs?: () => Promise<Record<string, unknown>>;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

/** `--ingress-url` must be an absolute http(s) URL: anything else would only fail later, as a row. */
export function checkIngressUrl(url: string): string {
    let u: URL;
    try {
        u = new URL(url);
    } catch {
        throw new UsageError(`--ingress-url ${JSON.stringify(url)} is not a URL: pass the gateway's address, e.g. --ingress-url http://127.0.0.1:8000 (the stack output ingressUrl)`);
    }
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new UsageError(`--ingress-url ${url}: expected an http:// or https:// URL, got ${u.protocol}`);
    return url;
}

export function validateOptions(o: VerifyCommandOptions): void {
    if (!Number.isInteger(o.samples) || o.samples < 20 || o.samples > 10000) throw new UsageError(`--samples ${o.samples}: expected an integer from 20 to 10000`);
    if (o.convergeTimeoutSeconds !== undefined && (!Number.isInteger(o.convergeTimeoutSeconds) || o.convergeTimeoutSeconds < 0 || o.convergeTimeoutSeconds > 600)) {
        throw new UsageError(`--converge-timeout ${o.convergeTimeoutSeconds}: expected whole seconds from 0 to 600`);
    }
    if (o.context !== undefined && o.context.trim() === "") throw new UsageError("--context needs a kube context name, e.g. --context k3d-istio-mesh");
    if (o.ingressUrl !== undefined) checkIngressUrl(o.ingressUrl);
}

/** Where verify looks: the kube context (and a kubeconfig of the stack's own, if that is where it lives). */
export interface Target {
    context: string;
    kubeconfig?: string;
    /** How the context was chosen, for messages. */
    from: string;
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

function currentContextOf(kubeconfig: string): string | undefined {
    try {
        return str((yaml.load(kubeconfig) as Record<string, unknown> | undefined)?.["current-context"]);
    } catch {
        return undefined;
    }
}

/**
 * k3d: `k3d-<name>`; eks: the cluster name (`aws eks update-kubeconfig --alias <name>`, as the stack
 * output kubeContext says); kubeconfig: `cluster.context`, else the stack's own kubeconfig (config
 * or stack output) and its current context. `--context` overrides all of them.
 */
export async function resolveTarget(o: Pick<VerifyCommandOptions, "cfg" | "context" | "stack">, outputs: () => Promise<Record<string, unknown> | undefined>): Promise<Target> {
    const c = o.cfg.cluster;
    if (o.context) return { context: o.context, from: "--context" };
    if (c.kind === "k3d") return { context: `k3d-${c.name}`, from: `istio-mesh:cluster.name ${c.name} (k3d)` };
    if (c.kind === "eks") return { context: c.name, from: `istio-mesh:cluster.name ${c.name} (eks: aws eks update-kubeconfig --alias ${c.name})` };
    if (c.context) return { context: c.context, from: "istio-mesh:cluster.context" };
    const own = str(c.kubeconfig);
    const ownContext = own ? currentContextOf(own) : undefined;
    if (own && ownContext) return { context: ownContext, kubeconfig: own, from: "istio-mesh:cluster.kubeconfig (its current-context)" };
    const out = await outputs();
    const kubeconfig = str(out?.kubeconfig);
    const context = str(out?.kubeContext) ?? (kubeconfig ? currentContextOf(kubeconfig) : undefined);
    if (context) return { context, kubeconfig, from: "the stack outputs kubeContext/kubeconfig" };
    throw new UsageError(`stack "${o.stack}" (istio-mesh:cluster.kind kubeconfig) keeps its kubeconfig as a secret verify cannot read: pass --context <a context of your KUBECONFIG>`);
}

/** The k3d host port, else `--ingress-url`, else the stack output ingressUrl. */
export async function resolveIngressUrl(o: Pick<VerifyCommandOptions, "cfg" | "ingressUrl" | "stack">, outputs: () => Promise<Record<string, unknown> | undefined>): Promise<string> {
    if (o.ingressUrl) return checkIngressUrl(o.ingressUrl);
    const c = o.cfg.cluster;
    if (c.kind === "k3d") return `http://${c.ingress.bindAddress === "0.0.0.0" ? "127.0.0.1" : c.ingress.bindAddress}:${c.ingress.hostPort}`;
    const fromOutputs = str((await outputs())?.ingressUrl);
    if (fromOutputs) return checkIngressUrl(fromOutputs);
    throw new UsageError(`stack "${o.stack}" (istio-mesh:cluster.kind ${c.kind}) has no local ingress port: pass --ingress-url <http://…> (the stack output ingressUrl)`);
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function verifyCommand(opts: VerifyCommandOptions, io: VerifyIo, deps: VerifyDeps): Promise<number> {
    validateOptions(opts);
    let cached: Promise<Record<string, unknown> | undefined> | undefined;
    const outputs = () =>
        (cached ??= deps.stackOutputs
            ? deps.stackOutputs().catch((e: unknown) => {
                  throw new UsageError(`verify: cannot read the outputs of stack "${opts.stack}": ${message(e)}`);
              })
            : Promise.resolve(undefined));
    const target = await resolveTarget(opts, outputs);
    const ingressUrl = await resolveIngressUrl(opts, outputs);

    // Unreachable prerequisites: exit 2, a message naming the context and server, no rows at all.
    const unreachable = (server: string | undefined, problem: string): number => {
        const text = `verify: kube context "${target.context}" (${target.from})${server ? `, API server ${server}` : ""}: ${problem}`;
        io.err(`${text}\nNothing was measured.\n`);
        if (opts.json) io.out(`${JSON.stringify({ stack: opts.stack, context: target.context, server, ok: false, error: text, rows: [] }, null, 2)}\n`);
        return 2;
    };
    let probe: MeshProbe;
    try {
        probe = await deps.makeProbe({ context: target.context, namespace: opts.cfg.namespace.name, istioNamespace: opts.cfg.istio.namespace, kubeconfig: target.kubeconfig, dataplane: opts.cfg.dataplane.mode });
    } catch (e) {
        return unreachable(undefined, message(e));
    }
    let pre: Preflight;
    try {
        pre = await probe.preflight();
    } catch (e) {
        return unreachable(undefined, message(e));
    }
    if (!pre.ok) return unreachable(pre.server, pre.problem ?? "not reachable");

    const log = (l: string) => io.err(`${l}\n`);
    log(`verify: stack "${opts.stack}", kube context "${target.context}" (API server ${pre.server}), ingress ${ingressUrl}`);
    const r = await verifyStack(checkContextFor(opts.cfg, ingressUrl), probe, {
        samples: opts.samples,
        log,
        convergeTimeoutSeconds: opts.convergeTimeoutSeconds,
        now: deps.now,
        sleep: deps.sleep,
    });
    if (opts.json) {
        io.out(`${JSON.stringify({ stack: opts.stack, context: target.context, server: pre.server, ingressUrl, ok: r.ok, summary: summary(r.rows), convergence: r.convergence ?? null, measureSeconds: r.measureSeconds, rows: r.rows }, null, 2)}\n`);
    } else io.out(r.table);
    return r.ok ? 0 : 1;
}
