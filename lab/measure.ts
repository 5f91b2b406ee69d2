/**
 * What the lab needs from `verify`: `measure` runs verify on one lesson's config against the running
 * lab (the same target resolution, reachability check, convergence wait and checks as `npm run
 * verify`), `describe` says in plain words what verify will check. The lab never calls kubectl or the
 * probe itself; tests give fakes of both.
 */
import type { MeshConfig } from "../config/types";
import { kubeProbe } from "../verify/kubeProbe";
import { resolveIngressUrl, resolveTarget } from "../verify/deployed";
import { checkContextFor, deriveChecks, describeCheck, verifyStack } from "../verify/verify";
import type { Convergence, Row, Verdict, VerifyResult } from "../verify/verify";

export type { Convergence, Row, Verdict, VerifyResult };

export type Measure = (cfg: MeshConfig, o: { log: (line: string) => void }) => Promise<VerifyResult>;
export type Describe = (cfg: MeshConfig) => string[];

const none = async () => undefined;

/** Where ingress checks go, for descriptions: the override, k3d's host port, or a placeholder (cloud). */
function describedIngressUrl(cfg: MeshConfig, override?: string): string {
    const c = cfg.cluster;
    if (override) return override;
    return c.kind === "k3d" ? `http://${c.ingress.bindAddress === "0.0.0.0" ? "127.0.0.1" : c.ingress.bindAddress}:${c.ingress.hostPort}` : "<ingressUrl>";
}

export function defaultDescribe(o: { ingressUrl?: string } = {}): Describe {
    return (cfg) => deriveChecks(checkContextFor(cfg, describedIngressUrl(cfg, o.ingressUrl))).map(describeCheck);
}

/** A lesson that cannot be measured (cluster unreachable, no fortio pod): one ERROR row, never a PASS. */
function unreachable(problem: string): VerifyResult {
    const rows: Row[] = [{ policy: "(lab)", check: "reach the running lab", expected: "API server and fortio pod ready", observed: problem, verdict: "ERROR" }];
    return { rows, table: `${problem}\n`, ok: false, measureSeconds: 0 };
}

/** Whether the running lab answers for this stack (verify's own reachability check); the problem, or undefined. */
export async function labReachable(cfg: MeshConfig, o: { context?: string }): Promise<string | undefined> {
    try {
        const target = await resolveTarget({ cfg, context: o.context, stack: cfg.stack }, none);
        const probe = await kubeProbe({ context: target.context, namespace: cfg.namespace.name, istioNamespace: cfg.istio.namespace, kubeconfig: target.kubeconfig, dataplane: cfg.dataplane.mode });
        const pre = await probe.preflight();
        return pre.ok ? undefined : `kube context "${target.context}"${pre.server ? ` (${pre.server})` : ""}: ${pre.problem ?? "not reachable"}`;
    } catch (e) {
        return e instanceof Error ? e.message : String(e);
    }
}

/** verify over the cluster, as `npm run verify -- --stack <s>` would run it on the lesson's config. */
export function defaultMeasure(o: { ingressUrl?: string; context?: string; samples?: number }): Measure {
    return async (cfg, { log }) => {
        const target = await resolveTarget({ cfg, context: o.context, stack: cfg.stack }, none);
        const ingressUrl = await resolveIngressUrl({ cfg, ingressUrl: o.ingressUrl, stack: cfg.stack }, none);
        let probe;
        try {
            probe = await kubeProbe({ context: target.context, namespace: cfg.namespace.name, istioNamespace: cfg.istio.namespace, kubeconfig: target.kubeconfig, dataplane: cfg.dataplane.mode });
            const pre = await probe.preflight();
            if (!pre.ok) return unreachable(`kube context "${target.context}"${pre.server ? ` (${pre.server})` : ""}: ${pre.problem ?? "not reachable"}`);
        } catch (e) {
            return unreachable(`kube context "${target.context}": ${e instanceof Error ? e.message : String(e)}`);
        }
        return verifyStack(checkContextFor(cfg, ingressUrl), probe, { log, ...(o.samples ? { samples: o.samples } : {}) });
    };
}
