/**
 * Converged before measured: after an `up`, istiod takes a moment (its push debounce) to send the
 * new config and each proxy to ack it. verify waits, bounded, until istiod's sync status shows every
 * connected proxy has acked the last cluster, listener, route and endpoint config it was sent, and
 * stays so for a settle window (a push that starts later shows up as a new unacked nonce). The
 * decision is pure; the waiting takes a clock and a sleep so tests need no time.
 */
import type { MeshProbe, ProxySync } from "./run";

export interface Convergence {
    converged: boolean;
    seconds: number;
    /** How it was judged, and what was still missing on a time-out. */
    how: string;
}

/** Proxies some config was sent to and not yet acked (`proxy: route, endpoint`). */
export function unsynced(statuses: ProxySync[]): string[] {
    return statuses.flatMap((p) => {
        const pending = Object.keys(p.sent).filter((t) => p.sent[t] !== undefined && p.sent[t] !== p.acked[t]);
        return pending.length ? [`${p.proxy}: ${pending.join(", ")}`] : [];
    });
}

export interface WaitOptions {
    timeoutSeconds: number;
    /** The workloads' namespace: at least one of its proxies must be connected. */
    namespace: string;
    /**
     * Ambient: the pods have no proxy of their own. What must be connected instead: a ztunnel (it serves
     * every node's pods) and, when the plan declares one, a waypoint of the namespace.
     */
    ambient?: { waypoint: boolean };
    settleSeconds?: number;
    intervalMs?: number;
    log: (line: string) => void;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

export async function waitForConvergence(probe: MeshProbe, o: WaitOptions): Promise<Convergence> {
    const now = o.now ?? Date.now;
    const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const settle = (o.settleSeconds ?? 3) * 1000;
    const interval = o.intervalMs ?? 1000;
    const t0 = now();
    const seconds = () => (now() - t0) / 1000;
    let syncedSince: number | undefined;
    let last = "no answer yet";
    for (;;) {
        let statuses: ProxySync[];
        try {
            statuses = await probe.syncStatus();
        } catch (e) {
            return { converged: false, seconds: seconds(), how: `istiod sync status unavailable (${e instanceof Error ? e.message : String(e)}); measured without waiting` };
        }
        const pending = unsynced(statuses);
        const inNamespace = statuses.some((p) => p.proxy.endsWith(`.${o.namespace}`));
        const ztunnel = statuses.some((p) => p.type === "ztunnel");
        const ours = o.ambient ? ztunnel && (!o.ambient.waypoint || statuses.some((p) => p.type === "waypoint" && p.proxy.endsWith(`.${o.namespace}`))) : inNamespace;
        const missing = o.ambient ? (!ztunnel ? "no ztunnel is connected to istiod" : `no waypoint of namespace ${o.namespace} is connected to istiod`) : `no proxy of namespace ${o.namespace} is connected to istiod`;
        if (pending.length === 0 && ours) {
            syncedSince ??= now();
            if (now() - syncedSince >= settle) return { converged: true, seconds: seconds(), how: `istiod sync status: all ${statuses.length} proxies acked their config, steady for ${settle / 1000}s` };
        } else {
            syncedSince = undefined;
            last = ours ? `waiting for ${pending.slice(0, 3).join("; ")}${pending.length > 3 ? ` and ${pending.length - 3} more` : ""}` : missing;
        }
        if (seconds() >= o.timeoutSeconds) return { converged: false, seconds: seconds(), how: `timed out after ${o.timeoutSeconds}s by istiod sync status: ${last}` };
        o.log(`verify: config not yet on every proxy (${last})`);
        await sleep(interval);
    }
}
