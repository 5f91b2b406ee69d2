/**
 * Observations → verdicts. Each function takes what was measured and what was declared and returns
 * table rows; nothing here talks to a cluster. Pure.
 */
import { callsWithStatus, FortioResult, slowCalls } from "./fortio";
import { consistent, pct, wilson } from "./stats";
import type { Destination } from "./checks";

export type Verdict = "PASS" | "FAIL" | "SKIP";

export interface Row {
    policy: string;
    check: string;
    expected: string;
    observed: string;
    verdict: Verdict;
}

/** Which destination a response body came from, by the page it served. */
export function identify(body: string, destinations: Destination[]): string | undefined {
    const hits = destinations.filter((d) => d.answer !== undefined && body.includes(d.answer));
    // `Full Cycle A` is not inside `Full Cycle B`, but guard against pages that contain one another.
    hits.sort((a, b) => (b.answer ?? "").length - (a.answer ?? "").length);
    return hits[0]?.label;
}

/** Canary split: each destination's observed share within the 99 % interval of its declared share. */
export function splitRows(policy: string, check: string, destinations: Destination[], responses: { status: number; body: string }[]): Row[] {
    const n = responses.length;
    const counts = new Map<string, number>();
    let other = 0;
    const failed = responses.filter((r) => r.status < 200 || r.status >= 300).length;
    for (const r of responses) {
        const who = r.status >= 200 && r.status < 300 ? identify(r.body, destinations) : undefined;
        if (who) counts.set(who, (counts.get(who) ?? 0) + 1);
        else other++;
    }
    const rows: Row[] = destinations.map((d) => {
        const k = counts.get(d.label) ?? 0;
        const i = wilson(k, n);
        return {
            policy,
            check: `${check}: ${d.label}${d.answer ? ` ("${d.answer}")` : ""}`,
            expected: pct(d.share, 0),
            observed: `${pct(k / (n || 1))} (${k}/${n}; 99 % interval ${pct(i.low)}–${pct(i.high)})`,
            verdict: n > 0 && consistent(k, n, d.share) ? "PASS" : "FAIL",
        };
    });
    if (other > 0) {
        rows.push({ policy, check: `${check}: other answers`, expected: "none", observed: `${other}/${n} (${failed} not 2xx)`, verdict: "FAIL" });
    }
    return rows;
}

/** Sticky sessions: each key reached one version only. */
export function stickyRows(policy: string, hashOn: string, byKey: Map<string, string[]>): Row {
    const spread = [...byKey.entries()].map(([k, answers]) => ({ k, distinct: [...new Set(answers)] }));
    const bad = spread.filter((s) => s.distinct.length !== 1);
    const versions = new Set(spread.flatMap((s) => s.distinct));
    const calls = [...byKey.values()].reduce((n, a) => n + a.length, 0);
    return {
        policy,
        check: `sticky sessions (${hashOn})`,
        expected: "each key always reaches the same version",
        observed: bad.length
            ? `${bad.length}/${spread.length} keys reached several: ${bad.map((b) => `${b.k} → ${b.distinct.join(" / ")}`).join("; ")}`
            : `${spread.length} keys × ${Math.round(calls / (spread.length || 1))} calls, each on one version (${versions.size} version${versions.size === 1 ? "" : "s"} seen)`,
        verdict: spread.length > 0 && bad.length === 0 ? "PASS" : "FAIL",
    };
}

/** Fault delay: the delayed fraction matches the percentage, and the delayed calls take fixedDelay. */
export function delayRows(policy: string, fixedDelaySeconds: number, percent: number, r: FortioResult): Row[] {
    const slow = slowCalls(r, fixedDelaySeconds * 0.9);
    const p = percent / 100;
    const i = wilson(slow.count, r.calls);
    const rows: Row[] = [
        {
            policy,
            check: "fault delay: delayed share",
            expected: `${percent} % of calls ≥ ${fixedDelaySeconds}s`,
            observed: `${pct(slow.count / (r.calls || 1))} (${slow.count}/${r.calls}; 99 % interval ${pct(i.low)}–${pct(i.high)})`,
            verdict: r.calls > 0 && consistent(slow.count, r.calls, p) ? "PASS" : "FAIL",
        },
    ];
    if (slow.count > 0) {
        // Delay + service time: at least fixedDelay, at most fixedDelay plus a second (or 10 %).
        const ok = slow.meanSeconds >= fixedDelaySeconds * 0.99 && slow.meanSeconds <= fixedDelaySeconds + Math.max(1, fixedDelaySeconds * 0.1);
        rows.push({ policy, check: "fault delay: latency of delayed calls", expected: `≈ ${fixedDelaySeconds}s`, observed: `mean ${slow.meanSeconds.toFixed(3)}s`, verdict: ok ? "PASS" : "FAIL" });
    }
    return rows;
}

/** Fault abort: the declared status at the declared rate. */
export function abortRow(policy: string, httpStatus: number, percent: number, r: FortioResult): Row {
    const k = callsWithStatus(r, httpStatus);
    const i = wilson(k, r.calls);
    return {
        policy,
        check: `fault abort: HTTP ${httpStatus}`,
        expected: `${percent} % of calls`,
        observed: `${pct(k / (r.calls || 1))} (${k}/${r.calls}; 99 % interval ${pct(i.low)}–${pct(i.high)}; codes ${formatCodes(r)})`,
        verdict: r.calls > 0 && consistent(k, r.calls, percent / 100) ? "PASS" : "FAIL",
    };
}

export function formatCodes(r: FortioResult): string {
    return Object.entries(r.codes)
        .sort(([a], [b]) => Number(a) - Number(b))
        .map(([c, n]) => `${n}×${c}`)
        .join(", ");
}

/**
 * The course's circuit-breaker experiment: in the first run the errors stop once the failing pod is
 * ejected (at most `threshold` consecutive errors per failing pod, plus the calls already in flight on
 * each connection); a second run right after, while it is still ejected, is all 200.
 */
export function circuitBreakerRows(policy: string, field: string, threshold: number, failingPods: number, connections: number, first: FortioResult, second: FortioResult): Row[] {
    const errors = first.calls - callsWithStatus(first, 200, 299);
    const limit = (threshold + connections) * failingPods;
    const secondOk = callsWithStatus(second, 200, 299);
    return [
        {
            policy,
            check: "circuit breaker: errors stop once the failing pod is ejected",
            expected: `≤ ${limit} errors in ${first.calls} calls (${field} ${threshold})`,
            observed: `${errors} errors (${formatCodes(first)})`,
            verdict: first.calls > 0 && errors <= limit ? "PASS" : "FAIL",
        },
        {
            policy,
            check: "circuit breaker: second run while ejected",
            expected: `all ${second.calls} calls 200`,
            observed: formatCodes(second) || "no calls",
            verdict: second.calls > 0 && secondOk === second.calls ? "PASS" : "FAIL",
        },
    ];
}

/** mTLS: a plain-text call from outside the mesh is refused under STRICT and answered otherwise. */
export function mtlsRow(policy: string, mode: string, target: string, outcome: { status?: number; error?: string }): Row {
    const answered = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 400;
    const observed = outcome.error ? `refused (${outcome.error})` : `HTTP ${outcome.status}${answered ? " (answered)" : " (refused)"}`;
    const strict = mode === "STRICT";
    return {
        policy,
        check: `mTLS ${mode}: plain-text call to ${target} from outside the mesh`,
        expected: strict ? "refused" : "answered",
        observed,
        verdict: strict ? (answered ? "FAIL" : "PASS") : answered ? "PASS" : "FAIL",
    };
}

/** The verdict table, as fixed-width text for a terminal or a CI log. */
export function formatTable(rows: Row[]): string {
    const head: Row = { policy: "policy", check: "check", expected: "expected", observed: "observed", verdict: "verdict" as Verdict };
    const cols: (keyof Row)[] = ["policy", "check", "expected", "observed", "verdict"];
    const width = Object.fromEntries(cols.map((c) => [c, Math.max(...[head, ...rows].map((r) => r[c].length))])) as Record<keyof Row, number>;
    const line = (r: Row) => cols.map((c) => r[c].padEnd(width[c])).join("  ").trimEnd();
    return [line(head), cols.map((c) => "-".repeat(width[c])).join("  "), ...rows.map(line)].join("\n") + "\n";
}

export function summary(rows: Row[]): { pass: number; fail: number; skip: number } {
    return { pass: rows.filter((r) => r.verdict === "PASS").length, fail: rows.filter((r) => r.verdict === "FAIL").length, skip: rows.filter((r) => r.verdict === "SKIP").length };
}
