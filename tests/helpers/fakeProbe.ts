import type { FortioResult } from "../../verify/fortio";
import type { MeshProbe } from "../../verify/run";

/** A fortio result with these codes; `seconds` per call (all in one histogram bucket) and the rate. */
export function fortioResult(codes: Record<string, number>, o: { seconds?: number; max?: number; qps?: number; buckets?: [number, number, number][] } = {}): FortioResult {
    const calls = Object.values(codes).reduce((n, c) => n + c, 0);
    const s = o.seconds ?? 0.002;
    const raw = o.buckets ?? [[s * 0.9, s * 1.1, calls]];
    let cum = 0;
    const buckets = raw.map(([start, end, count]) => ((cum += count), { start, end, count, percent: (100 * cum) / (calls || 1) }));
    return { calls, codes, histogram: { count: calls, min: raw[0]?.[0] ?? 0, max: o.max ?? raw[raw.length - 1]?.[1] ?? 0, avg: s, buckets }, actualQps: o.qps ?? 100 };
}

export const RESET = '{"level":"err","msg":"Read error","err":"read tcp 10.42.0.9:41234->10.43.12.7:8000: read: connection reset by peer","size":0}';

/**
 * The dev stack's mesh doing what it declares: a 90/10 split, the course's circuit breaker (5 × 504,
 * then all 200), STRICT mTLS (plain text reset, the control answered), istiod in sync.
 */
export function fakeProbe(over: Partial<MeshProbe> = {}): MeshProbe {
    let i = 0;
    const answer = async () => ({ status: 200, body: i++ % 10 === 0 ? "Full Cycle B" : "Full Cycle A" });
    let runs = 0;
    return {
        preflight: async () => ({ ok: true, server: "https://127.0.0.1:6550" }),
        curl: answer,
        ingress: answer,
        send: async (from, url) => {
            if (from !== "outside") return { status: 200, body: "ok" };
            return url.includes("fortio-outside") ? { status: 200, body: "echo" } : { error: RESET };
        },
        load: async (_url, o) => {
            const errors = runs++ === 0 ? 5 : 0;
            return fortioResult(errors ? { "200": o.calls - errors, "504": errors } : { "200": o.calls });
        },
        proxyStats: async () => ({}),
        syncStatus: async () => [{ proxy: "fortio-deploy-1.default", sent: { cluster: "a", route: "b" }, acked: { cluster: "a", route: "b" } }],
        ...over,
    };
}
