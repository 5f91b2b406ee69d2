/**
 * Runs the derived checks against a live mesh through a MeshProbe and collects the verdict rows.
 * The probe is the only part that touches the cluster (verify/kubeProbe.ts); tests give a fake.
 */
import type { Check, Client, RequestSpec } from "./checks";
import type { FortioResult } from "./fortio";
import { CaptureReport, captureRows } from "./ambient";
import { abortRow, authzRow, circuitBreakerRows, delayRows, egressRow, errorRow, identify, mtlsRow, rateLimitRow, retriesRow, Row, skipRow, splitRows, stickyRows, timeoutRow } from "./verdicts";

export interface HttpAnswer {
    status: number;
    body: string;
}

/** A call's raw outcome: the status and body when response headers came back, else the client's error text. */
export interface Transport {
    status?: number;
    body?: string;
    error?: string;
}

/** What istiod says about one connected proxy (`/debug/syncz`): each xDS type's last nonce sent and acked. */
export interface ProxySync {
    proxy: string;
    /** istiod's node type: sidecar, router (a gateway), waypoint, ztunnel. */
    type?: string;
    sent: Record<string, string | undefined>;
    acked: Record<string, string | undefined>;
}

/** What must hold before any check runs; otherwise verify exits 2 without rows. */
export interface Preflight {
    ok: boolean;
    /** The API server's URL, named in every message. */
    server: string;
    problem?: string;
}

export interface LoadOptions {
    /** Exactly this many calls (`-n`), or for `durationSeconds` (`-t`) when calls is 0. */
    calls: number;
    durationSeconds?: number;
    /** Requested rate; 0 or absent = as fast as possible (`-qps 0`). */
    qps?: number;
    connections: number;
    timeoutSeconds: number;
    headers: Record<string, string>;
}

export interface MeshProbe {
    /** The API server answers, the fortio pod is Running with its istio-proxy container ready. */
    preflight(): Promise<Preflight>;
    /** One request from inside the mesh (the fortio pod, through its sidecar): `fortio curl`; throws when no answer came back. */
    curl(url: string, headers: Record<string, string>): Promise<HttpAnswer>;
    /** One request from one of verify's clients, never throwing for a failed call: the raw outcome. */
    send(from: Client, url: string, headers: Record<string, string>): Promise<Transport>;
    /** `fortio load … -json -` from inside the mesh. */
    load(url: string, o: LoadOptions): Promise<FortioResult>;
    /** One request from this machine to the ingress gateway. */
    ingress(url: string, headers: Record<string, string>): Promise<HttpAnswer>;
    /** Counters of the fortio pod's sidecar (`pilot-agent request GET stats`) whose names contain `filter`; or, on ambient, of a waypoint's Envoy. */
    proxyStats(filter: string, at?: { waypoint: string }): Promise<Record<string, number>>;
    /** Ambient: the workload namespace's labels and, per pod, its redirection annotation and the ports listening in it. */
    capture?(namespace: string): Promise<CaptureReport>;
    /** istiod's sync status of every connected proxy. */
    syncStatus(): Promise<ProxySync[]>;
}

export interface VerifyOptions {
    /** Requests per split and per ingress route. */
    samples: number;
    /** Keys tried for sticky sessions, and calls per key. */
    stickyKeys: number;
    stickyCalls: number;
    log: (line: string) => void;
}

export const DEFAULT_OPTIONS: Omit<VerifyOptions, "log"> = { samples: 200, stickyKeys: 5, stickyCalls: 8 };

/** Runs `n` async jobs with at most `width` in flight. */
async function pool<T>(n: number, width: number, job: (i: number) => Promise<T>): Promise<T[]> {
    const out: T[] = new Array(n);
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(width, n) }, async () => {
            for (let i = next++; i < n; i = next++) out[i] = await job(i);
        }),
    );
    return out;
}

function headersOf(req: RequestSpec): Record<string, string> {
    return { ...req.headers, ...(req.host ? { Host: req.host } : {}) };
}

/** Sum of the counters named `….<stat>` of clusters for `host` (every subset: `outbound|80|v1|<host>`). */
export function counter(stats: Record<string, number>, host: string, stat: string): number {
    return Object.entries(stats).reduce((n, [k, v]) => (k.includes(`|${host}.`) && k.endsWith(`.${stat}`) ? n + v : n), 0);
}

async function runCheck(c: Check, probe: MeshProbe, o: VerifyOptions): Promise<Row[]> {
    switch (c.kind) {
        case "skip":
            return [skipRow(c.policy, c.what, c.reason)];
        case "split": {
            const ask = c.via === "mesh" ? probe.curl.bind(probe) : probe.ingress.bind(probe);
            const answers = await pool(o.samples, 8, () => ask(c.url, headersOf(c.request)).catch((e: unknown) => ({ status: -1, body: "", error: e instanceof Error ? e.message : String(e) })));
            return splitRows(c.policy, c.via === "mesh" ? `canary split ${c.url}` : `ingress ${c.url}${c.request.host ? ` Host ${c.request.host}` : ""}`, c.destinations, answers);
        }
        case "sticky": {
            const byKey = new Map<string, string[]>();
            const label = c.hashOn.header ? `header ${c.hashOn.header}` : c.hashOn.cookie ? `cookie ${c.hashOn.cookie}` : c.hashOn.query ? `query ${c.hashOn.query}` : "source IP";
            const dests = c.answers.map((a) => ({ label: a, share: 0, answer: a }));
            for (let k = 0; k < (c.hashOn.sourceIp ? 1 : o.stickyKeys); k++) {
                const key = `verify-user-${k + 1}`;
                const headers: Record<string, string> = c.hashOn.header ? { [c.hashOn.header]: key } : c.hashOn.cookie ? { Cookie: `${c.hashOn.cookie}=${key}` } : {};
                const url = c.hashOn.query ? `${c.url}${c.url.includes("?") ? "&" : "?"}${encodeURIComponent(c.hashOn.query)}=${key}` : c.url;
                const got = await pool(o.stickyCalls, 4, () => probe.curl(url, headers));
                byKey.set(key, got.map((g) => (g.status >= 200 && g.status < 300 ? identify(g.body, dests) ?? `unrecognised answer` : `HTTP ${g.status}`)));
            }
            return [stickyRows(c.policy, label, byKey)];
        }
        case "delay": {
            // Enough parallel connections that a 100 % delay still ends in a few rounds of fixedDelay.
            const r = await probe.load(c.url, { calls: 40, connections: 10, timeoutSeconds: Math.ceil(c.fixedDelaySeconds) + 10, headers: headersOf(c.request) });
            return delayRows(c.policy, c.fixedDelaySeconds, c.percent, r);
        }
        case "abort": {
            const r = await probe.load(c.url, { calls: o.samples, connections: 4, timeoutSeconds: 10, headers: headersOf(c.request) });
            return [abortRow(c.policy, c.httpStatus, c.percent, r)];
        }
        case "circuitBreaker": {
            const connections = 2; // the course's -c 2 -n 200
            const first = await probe.load(c.url, { calls: 200, connections, timeoutSeconds: 10, headers: {} });
            const second = await probe.load(c.url, { calls: 200, connections, timeoutSeconds: 10, headers: {} });
            return circuitBreakerRows(c.policy, c.field, c.threshold, c.failingPods, connections, first, second);
        }
        case "mtls": {
            const control = await probe.send("outside", c.controlUrl, {});
            const call = await probe.send("outside", c.url, {});
            const row = mtlsRow(c.policy, c.mode, `${c.service}.${c.namespace}:${c.port}`, control, call);
            // Ambient: an answered plain-text call under STRICT means the pods' traffic does not pass ztunnel at all.
            if (c.ambient && c.mode === "STRICT" && row.verdict === "FAIL") return [{ ...row, reason: `ztunnel did not refuse it: the pods behind ${c.service} are not redirected (their traffic bypasses ztunnel); see the row "pods redirected to ztunnel" for the way back` }];
            if (row.verdict !== "PASS" || c.mode !== "STRICT") return [row];
            // A reset proves STRICT only if the service answers at all: the same call from inside the mesh.
            const inMesh = await probe.send("mesh", c.url, {});
            return inMesh.status !== undefined && inMesh.status > 0 ? [row] : [errorRow(c.policy, row.check, row.expected, `the service does not answer from inside the mesh either (${inMesh.error ?? "no answer"}): the reset says nothing about mTLS`)];
        }
        case "authz": {
            const rows: Row[] = [];
            for (const caller of c.callers) rows.push(authzRow(c.policy, c.url, caller, await probe.send(caller.client, c.url, {}), c.enforcedBy));
            return rows;
        }
        case "capture": {
            if (!probe.capture) return [errorRow(c.policy, "pods redirected to ztunnel", "every pod redirected", "this probe cannot read pods")];
            return captureRows(await probe.capture(c.namespace));
        }
        case "rateLimit": {
            // Well above the limit for a few seconds: the share of 429 is what the bucket refuses.
            const r = await probe.load(c.url, { calls: 0, durationSeconds: 5, connections: 32, timeoutSeconds: 10, headers: {} });
            return [rateLimitRow(c.policy, c.service, c.requestsPerSecond, c.pods, r)];
        }
        case "timeout": {
            const r = await probe.load(c.url, { calls: 20, connections: 4, timeoutSeconds: Math.ceil(c.upstreamSeconds) + 10, headers: headersOf(c.request) });
            return [timeoutRow(c.policy, c.url, c.timeoutSeconds, c.upstreamSeconds, r)];
        }
        case "retries": {
            // An HTTPRoute's split reaches several version Services: every destination host's counters count.
            const hosts = c.hosts ?? [c.host];
            const stats = async () => Object.assign({}, ...(await Promise.all(hosts.map((h) => probe.proxyStats(h, c.statsAt))))) as Record<string, number>;
            const before = await stats();
            const r = await probe.load(c.url, { calls: 50, connections: 2, timeoutSeconds: 30, headers: headersOf(c.request) });
            const after = await stats();
            const delta = (stat: string) => hosts.reduce((n, h) => n + counter(after, h, stat) - counter(before, h, stat), 0);
            if (Object.keys(after).length === 0) {
                const whose = c.statsAt ? `waypoint ${c.statsAt.waypoint} has no counters for ${c.host} (its proxy.istio.io/config stats matcher, set through the Gateway's spec.infrastructure, must include cluster.inbound-vip and cluster.outbound)` : `the fortio sidecar has no counters for ${c.host} (its proxy.istio.io/config stats matcher must include cluster.outbound)`;
                return [errorRow(c.policy, `retries on ${c.url}`, "fewer errors seen by the caller than the upstream produced", whose)];
            }
            return [retriesRow(c.policy, c.url, c.attempts, r, { errors: delta("upstream_rq_5xx"), retries: delta("upstream_rq_retry") })];
        }
        case "egress": {
            const fromMesh = await probe.send("mesh", c.url, {});
            const fromOutside = c.outsideClient ? await probe.send("outside", c.url, {}) : undefined;
            return [egressRow(c.policy, c.url, fromMesh, fromOutside)];
        }
    }
}

/** What a check is called in its ERROR row when it throws before it could make one. */
function checkName(c: Check): string {
    return c.kind === "skip" ? c.what : c.kind;
}

export async function runChecks(checks: Check[], probe: MeshProbe, o: VerifyOptions): Promise<Row[]> {
    const rows: Row[] = [];
    for (const c of checks) {
        const t0 = Date.now();
        o.log(`verify: ${c.kind} ${c.policy}…`);
        try {
            rows.push(...(await runCheck(c, probe, o)).map((r) => ({ ...r, kind: c.kind })));
        } catch (e) {
            rows.push({ ...errorRow(c.policy, checkName(c), "a measurement", e), kind: c.kind });
        }
        o.log(`verify: ${c.kind} ${c.policy} took ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    }
    return rows;
}
