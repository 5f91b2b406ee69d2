/**
 * Runs the derived checks against a live mesh through a MeshProbe and collects the verdict rows.
 * The probe is the only part that touches the cluster (verify/kubeProbe.ts); tests give a fake.
 */
import type { Check, RequestSpec } from "./checks";
import type { FortioResult } from "./fortio";
import { abortRow, circuitBreakerRows, delayRows, identify, mtlsRow, Row, splitRows, stickyRows } from "./verdicts";

export interface HttpAnswer {
    status: number;
    body: string;
}

export interface MeshProbe {
    /** One request from inside the mesh (the fortio pod, through its sidecar): `fortio curl`. */
    curl(url: string, headers: Record<string, string>): Promise<HttpAnswer>;
    /** `fortio load … -json -` from inside the mesh. */
    load(url: string, o: { calls: number; connections: number; timeoutSeconds: number; headers: Record<string, string> }): Promise<FortioResult>;
    /** One request from this machine to the ingress gateway. */
    ingress(url: string, headers: Record<string, string>): Promise<HttpAnswer>;
    /** A plain-text call from outside the mesh (the API server's service proxy) to a service port. */
    plainText(namespace: string, service: string, port: number): Promise<{ status?: number; error?: string }>;
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

const failure = (policy: string, check: string, e: unknown): Row => ({ policy, check, expected: "a measurement", observed: `error: ${e instanceof Error ? e.message : String(e)}`, verdict: "FAIL" });

async function runCheck(c: Check, probe: MeshProbe, o: VerifyOptions): Promise<Row[]> {
    switch (c.kind) {
        case "skip":
            return [{ policy: c.policy, check: c.what, expected: "-", observed: c.reason, verdict: "SKIP" }];
        case "split": {
            const ask = c.via === "mesh" ? probe.curl.bind(probe) : probe.ingress.bind(probe);
            const answers = await pool(o.samples, 8, () => ask(c.url, headersOf(c.request)).catch((e: unknown) => ({ status: -1, body: String(e) })));
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
        case "mtls":
            return [mtlsRow(c.policy, c.mode, `${c.service}.${c.namespace}:${c.port}`, await probe.plainText(c.namespace, c.service, c.port))];
    }
}

export async function runChecks(checks: Check[], probe: MeshProbe, o: VerifyOptions): Promise<Row[]> {
    const rows: Row[] = [];
    for (const c of checks) {
        const t0 = Date.now();
        o.log(`verify: ${c.kind} ${c.policy}…`);
        try {
            rows.push(...(await runCheck(c, probe, o)));
        } catch (e) {
            rows.push(failure(c.policy, c.kind, e));
        }
        o.log(`verify: ${c.kind} ${c.policy} took ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    }
    return rows;
}
