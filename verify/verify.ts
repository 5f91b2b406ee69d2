/**
 * `npm run verify -- --stack <s>`: the declared policies of a deployed stack, checked against what the
 * mesh does. Declared = the plan built from the validated config (the same objects `up` applied).
 */
import type { MeshConfig } from "../config/types";
import type { K8sObject } from "../mesh/objects";
import { buildPlan } from "../mesh/plan";
import { CheckContext, deriveChecks } from "./checks";
import { Convergence, waitForConvergence } from "./convergence";
import { DEFAULT_OPTIONS, MeshProbe, runChecks, VerifyOptions } from "./run";
import { allAsDeclared, formatTable, Row, skipRow, summaryLine } from "./verdicts";

export type { Check, CheckContext } from "./checks";
export { deriveChecks, describeCheck } from "./checks";
export type { Convergence } from "./convergence";
export type { MeshProbe, VerifyOptions } from "./run";
export type { Row, Verdict } from "./verdicts";

const isObject = (x: unknown): x is K8sObject => !!x && typeof x === "object" && typeof (x as K8sObject).kind === "string" && !!(x as K8sObject).metadata;

/** Every Kubernetes object the plan declares, whatever groups the plan keeps them in. */
export function declaredObjects(plan: { workloads: unknown[]; trafficPolicies: Record<string, unknown> }): K8sObject[] {
    const policies = Object.values(plan.trafficPolicies).flatMap((v) => (Array.isArray(v) ? v : [v]));
    return [...plan.workloads, ...policies].filter(isObject);
}

export function checkContextFor(cfg: MeshConfig, ingressUrl: string): CheckContext {
    const plan = buildPlan(cfg) as unknown as { workloads: unknown[]; trafficPolicies: Record<string, unknown> };
    return {
        objects: declaredObjects(plan),
        workloads: cfg.workloads.map((w) => ({ name: w.name, labels: w.labels, replicas: w.replicas, env: w.env, indexHtml: w.indexHtml, serviceAccount: w.serviceAccount, appImage: w.appImage })),
        namespace: cfg.namespace.name,
        ingressUrl,
        ...(cfg.dataplane.mode === "ambient" ? { dataplane: "ambient" as const } : {}),
    };
}

export interface VerifyResult {
    rows: Row[];
    table: string;
    /** Every row PASS or SKIP, at least one row, no FAIL or ERROR. */
    ok: boolean;
    convergence?: Convergence;
    measureSeconds: number;
}

export interface StackVerifyOptions extends Partial<VerifyOptions> {
    log: (line: string) => void;
    /** Bound of the wait for the config to reach the proxies; 0 = do not wait. Default 60. */
    convergeTimeoutSeconds?: number;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

export async function verifyStack(ctx: CheckContext, probe: MeshProbe, o: StackVerifyOptions): Promise<VerifyResult> {
    const timeout = o.convergeTimeoutSeconds ?? 60;
    // Ambient: ztunnel, and the waypoint if the plan has one, stand for the proxies the pods do not have.
    const ambient = ctx.dataplane === "ambient" ? { waypoint: ctx.objects.some((x) => x.kind === "Service" && x.metadata.labels?.["istio.io/use-waypoint"] !== undefined) } : undefined;
    const convergence = timeout > 0 ? await waitForConvergence(probe, { timeoutSeconds: timeout, namespace: ctx.namespace, log: o.log, now: o.now, sleep: o.sleep, ...(ambient ? { ambient } : {}) }) : undefined;
    if (convergence) o.log(`verify: ${convergence.converged ? `config on the proxies after ${convergence.seconds.toFixed(1)}s` : "config NOT confirmed on every proxy"} (${convergence.how})`);
    const now = o.now ?? Date.now;
    const t0 = now();
    const checks = deriveChecks(ctx);
    const measured = await runChecks(checks, probe, { ...DEFAULT_OPTIONS, ...o });
    // Nothing measurable is a SKIP with its reason, never an empty PASS.
    const rows = measured.length ? measured : [skipRow("(stack)", "declared policies", "no VirtualService, HTTPRoute, DestinationRule, PeerAuthentication, AuthorizationPolicy, rate limit or ServiceEntry in this stack: nothing to measure")];
    const converged = convergence ? (convergence.converged ? `Config reached the proxies in ${convergence.seconds.toFixed(1)}s (${convergence.how}).\n` : `WARNING: config not confirmed on every proxy: ${convergence.how}.\n`) : "";
    const table = `${formatTable(rows)}\n${summaryLine(rows)}\n${converged}`;
    return { rows, table, ok: allAsDeclared(rows), convergence, measureSeconds: (now() - t0) / 1000 };
}
