/**
 * What the lab needs from `verify`, as the verify/lab contract names it: `measure` runs verify on one
 * lesson's config against the running lab, `describe` says in plain words what verify will check.
 * The lab never calls kubectl or the probe itself; tests give fakes of both.
 */
import type { MeshConfig } from "../config/types";
import { Check, deriveChecks } from "../verify/checks";
import { kubeProbe } from "../verify/kubeProbe";
import { checkContextFor, ingressUrlFor, kubeContextFor, verifyStack } from "../verify/verify";

export type Verdict = "PASS" | "FAIL" | "ERROR" | "SKIP";

export interface Row {
    policy: string;
    check: string;
    expected: string;
    observed: string;
    verdict: Verdict;
    reason?: string;
}

export interface Convergence {
    converged: boolean;
    seconds: number;
    /** How it was judged, e.g. "istiod sync status". */
    how: string;
}

export interface VerifyResult {
    rows: Row[];
    table: string;
    ok: boolean;
    convergence?: Convergence;
    measureSeconds?: number;
}

export type Measure = (cfg: MeshConfig, o: { log: (line: string) => void }) => Promise<VerifyResult>;
export type Describe = (cfg: MeshConfig) => string[];

/** Where the ingress gateway answers, for check descriptions; a cloud stack's is known only once deployed. */
function ingressUrlOrPlaceholder(cfg: MeshConfig, override?: string): string {
    try {
        return ingressUrlFor(cfg, override);
    } catch {
        return "<ingressUrl>";
    }
}

/**
 * One check in plain words. Fallback until verify's own `describeCheck` (verify/checks.ts, per the
 * contract) is merged; the lead then replaces this with it.
 */
export function describeCheck(c: Check): string {
    const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
    switch (c.kind) {
        case "split":
            return `${c.policy}: ${c.via === "mesh" ? "from fortio" : "through the ingress gateway"}, ${c.url}${c.request.host ? ` (Host ${c.request.host})` : ""} answers ${c.destinations.map((d) => `${d.label} ${pct(d.share)}`).join(", ")}`;
        case "sticky": {
            const on = c.hashOn.header ? `header ${c.hashOn.header}` : c.hashOn.cookie ? `cookie ${c.hashOn.cookie}` : c.hashOn.query ? `query ${c.hashOn.query}` : "source IP";
            return `${c.policy}: calls to ${c.url} with the same ${on} reach the same version`;
        }
        case "delay":
            return `${c.policy}: ${c.percent} % of the calls to ${c.url} wait ${c.fixedDelaySeconds} s`;
        case "abort":
            return `${c.policy}: ${c.percent} % of the calls to ${c.url} get HTTP ${c.httpStatus}`;
        case "circuitBreaker":
            return `${c.policy}: after ${c.threshold} errors (${c.field}) the failing pod${c.failingPods === 1 ? " is" : "s are"} ejected; a second run of 200 calls to ${c.url} sees only 200`;
        case "mtls":
            return `${c.policy}: a plain-text call to ${c.service}.${c.namespace}:${c.port} from outside the mesh is ${c.mode === "STRICT" ? "refused" : "answered"} (mTLS ${c.mode})`;
        case "skip":
            return `${c.policy}: ${c.what} not measured (SKIP: ${c.reason})`;
    }
}

export function defaultDescribe(o: { ingressUrl?: string } = {}): Describe {
    return (cfg) => deriveChecks(checkContextFor(cfg, ingressUrlOrPlaceholder(cfg, o.ingressUrl))).map(describeCheck);
}

/** verify over the cluster: the kube context `up` left behind, the ingress gateway's URL. */
export function defaultMeasure(o: { ingressUrl?: string; context?: string; samples?: number }): Measure {
    return async (cfg, { log }) => {
        const t0 = Date.now();
        const probe = await kubeProbe({ context: kubeContextFor(cfg, o.context), namespace: cfg.namespace.name });
        const r = (await verifyStack(checkContextFor(cfg, ingressUrlFor(cfg, o.ingressUrl)), probe, { log, ...(o.samples ? { samples: o.samples } : {}) })) as VerifyResult;
        // verify reports its own measurement time once it has the contract's fields; until then, wall time.
        return { ...r, measureSeconds: r.measureSeconds ?? (Date.now() - t0) / 1000 - (r.convergence?.seconds ?? 0) };
    };
}
