/**
 * `npm run verify -- --stack <s>`: the declared policies of a deployed stack, checked against what the
 * mesh does. Declared = the plan built from the validated config (the same objects `up` applied).
 */
import type { MeshConfig } from "../config/types";
import type { K8sObject } from "../mesh/objects";
import { buildPlan } from "../mesh/plan";
import { CheckContext, deriveChecks } from "./checks";
import { DEFAULT_OPTIONS, MeshProbe, runChecks, VerifyOptions } from "./run";
import { formatTable, Row, summary } from "./verdicts";

const isObject = (x: unknown): x is K8sObject => !!x && typeof x === "object" && typeof (x as K8sObject).kind === "string" && !!(x as K8sObject).metadata;

/** Every Kubernetes object the plan declares, whatever groups the plan keeps them in. */
export function declaredObjects(plan: { workloads: unknown[]; trafficPolicies: Record<string, unknown> }): K8sObject[] {
    const policies = Object.values(plan.trafficPolicies).flatMap((v) => (Array.isArray(v) ? v : [v]));
    return [...plan.workloads, ...policies].filter(isObject);
}

/** The URL of the ingress gateway from this machine: the k3d host port, or what the user passes. */
export function ingressUrlFor(cfg: MeshConfig, override?: string): string {
    if (override) return override;
    const c = cfg.cluster as { kind: string; ingress?: { hostPort: number; bindAddress: string } };
    if (c.kind === "k3d" && c.ingress) return `http://${c.ingress.bindAddress === "0.0.0.0" ? "127.0.0.1" : c.ingress.bindAddress}:${c.ingress.hostPort}`;
    throw new Error(`stack "${cfg.stack}" (istio-mesh:cluster.kind ${c.kind}) has no local ingress port: pass --ingress-url <http://…> (the stack output ingressUrl)`);
}

/** The kube context `up` left behind: `k3d-<name>` on k3d; the current one elsewhere unless --context. */
export function kubeContextFor(cfg: MeshConfig, override?: string): string | undefined {
    if (override) return override;
    const c = cfg.cluster as { kind: string; name?: string };
    return c.kind === "k3d" && c.name ? `k3d-${c.name}` : undefined;
}

export function checkContextFor(cfg: MeshConfig, ingressUrl: string): CheckContext {
    const plan = buildPlan(cfg) as unknown as { workloads: unknown[]; trafficPolicies: Record<string, unknown> };
    return {
        objects: declaredObjects(plan),
        workloads: cfg.workloads.map((w) => ({ name: w.name, labels: w.labels, replicas: w.replicas, env: w.env, indexHtml: w.indexHtml })),
        namespace: cfg.namespace.name,
        ingressUrl,
    };
}

export interface VerifyResult {
    rows: Row[];
    table: string;
    ok: boolean;
}

export async function verifyStack(ctx: CheckContext, probe: MeshProbe, o: Partial<VerifyOptions> & { log: (l: string) => void }): Promise<VerifyResult> {
    const checks = deriveChecks(ctx);
    const rows = await runChecks(checks, probe, { ...DEFAULT_OPTIONS, ...o });
    const s = summary(rows);
    const table = rows.length
        ? `${formatTable(rows)}\n${s.pass} passed, ${s.fail} failed, ${s.skip} skipped\n`
        : "No declared policy to verify (no VirtualService, DestinationRule or PeerAuthentication in this stack).\n";
    return { rows, table, ok: s.fail === 0 };
}
