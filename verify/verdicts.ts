/**
 * Observations → verdicts. Each function takes what was measured and what was declared and returns
 * table rows; nothing here talks to a cluster. Pure.
 */
import { callsWithStatus, FortioResult, slowCalls } from "./fortio";
import { consistent, pct, wilson } from "./stats";
import type { Destination } from "./checks";

/**
 * PASS: measured and as declared. FAIL: measured and not as declared. ERROR: could not measure (the
 * probe failed, the cluster or a pod is unreachable, an answer the check does not understand).
 * SKIP: nothing to measure, with the reason. Only PASS is evidence; FAIL and ERROR make verify exit 1.
 */
export type Verdict = "PASS" | "FAIL" | "ERROR" | "SKIP";

export interface Row {
    policy: string;
    check: string;
    expected: string;
    observed: string;
    verdict: Verdict;
    /** Why a row is ERROR or SKIP (what could not be measured, or why there is nothing to measure). */
    reason?: string;
    /** The kind of check that made the row (verify/checks.ts), so a lesson can tell its own rows apart. */
    kind?: string;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Could not measure: never a PASS, never a FAIL. */
export function errorRow(policy: string, check: string, expected: string, e: unknown): Row {
    return { policy, check, expected, observed: "not measured", verdict: "ERROR", reason: message(e) };
}

export function skipRow(policy: string, check: string, reason: string): Row {
    return { policy, check, expected: "-", observed: "not measured", verdict: "SKIP", reason };
}

/** `3 × HTTP 503, 1 × no answer (connection reset)` — what came back instead of the expected answers. */
export function describeAnswers(answers: { status: number; body: string }[]): string {
    const by = new Map<string, number>();
    for (const a of answers) {
        const k = a.status > 0 ? `HTTP ${a.status}` : "no answer";
        by.set(k, (by.get(k) ?? 0) + 1);
    }
    return [...by.entries()].map(([k, n]) => `${n} × ${k}`).join(", ");
}

/** Which destination a response body came from, by the page it served. */
export function identify(body: string, destinations: Destination[]): string | undefined {
    const hits = destinations.filter((d) => d.answer !== undefined && body.includes(d.answer));
    // `Full Cycle A` is not inside `Full Cycle B`, but guard against pages that contain one another.
    hits.sort((a, b) => (b.answer ?? "").length - (a.answer ?? "").length);
    return hits[0]?.label;
}

/** Canary split: each destination's observed share within the 99 % interval of its declared share. */
export function splitRows(policy: string, check: string, destinations: Destination[], responses: { status: number; body: string; error?: string }[]): Row[] {
    // A request the probe could not make says nothing about the split: the whole measurement is void.
    const broken = responses.filter((r) => r.error !== undefined);
    if (broken.length > 0) return [errorRow(policy, check, destinations.map((d) => `${d.label} ${pct(d.share, 0)}`).join(", "), `${broken.length} of ${responses.length} requests could not be made: ${broken[0].error}`)];
    if (responses.length === 0) return [errorRow(policy, check, "answers", "no request was made")];
    const n = responses.length;
    const counts = new Map<string, number>();
    const others: { status: number; body: string }[] = [];
    for (const r of responses) {
        const who = r.status >= 200 && r.status < 300 ? identify(r.body, destinations) : undefined;
        if (who) counts.set(who, (counts.get(who) ?? 0) + 1);
        else others.push(r);
    }
    const rows: Row[] = destinations.map((d) => {
        const k = counts.get(d.label) ?? 0;
        const i = wilson(k, n);
        return {
            policy,
            check: `${check}: ${d.label}${d.answer ? ` ("${d.answer}")` : ""}`,
            expected: pct(d.share, 0),
            observed: `${pct(k / (n || 1))} (${k}/${n}; 99 % interval ${pct(i.low)}–${pct(i.high)})`,
            verdict: consistent(k, n, d.share) ? "PASS" : "FAIL",
        };
    });
    if (others.length > 0) {
        const unrecognised = others.filter((r) => r.status >= 200 && r.status < 300).length;
        const notOk = others.filter((r) => r.status < 200 || r.status >= 300);
        const parts = [...(unrecognised ? [`${unrecognised} × a 2xx page from no declared version`] : []), ...(notOk.length ? [describeAnswers(notOk)] : [])];
        rows.push({ policy, check: `${check}: answers from no declared version`, expected: "none", observed: `${others.length} of ${n} calls: ${parts.join(", ")}`, verdict: "FAIL" });
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
    if (r.calls === 0) return [errorRow(policy, "fault delay: delayed share", `${percent} % of calls ≥ ${fixedDelaySeconds}s`, "fortio made no call")];
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
    if (r.calls === 0) return errorRow(policy, `fault abort: HTTP ${httpStatus}`, `${percent} % of calls`, "fortio made no call");
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
    if (first.calls === 0 || second.calls === 0) return [errorRow(policy, "circuit breaker", `≤ ${limit} errors, then all 200`, "fortio made no call")];
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

/**
 * What came back to a plain-text call from the client outside the mesh. A sidecar under STRICT has no
 * plain-text filter chain: it accepts the TCP connection and closes it (reset or EOF) before any
 * response header — Istio's docs show it as curl's exit 56 "Recv failure: Connection reset by peer".
 * Anything else without headers (DNS failure, connection refused, a timeout, a client flag the client
 * rejects) is not that signature: the client or the path is broken, and the check cannot tell.
 */
export type PlainOutcome = { kind: "answered"; status: number } | { kind: "reset"; detail: string } | { kind: "unclear"; detail: string };

export function classifyPlain(t: { status?: number; error?: string }): PlainOutcome {
    if (t.status !== undefined && t.status > 0) return { kind: "answered", status: t.status };
    const e = t.error ?? "no status and no error";
    // fortio's fast client: `Read error` with err "read: connection reset by peer" or "EOF" at size 0.
    if (/connection reset by peer|\bECONNRESET\b|\bEOF\b|server closed (the )?connection|Recv failure/i.test(e) && !/no such host|connection refused|i\/o timeout|deadline exceeded|not allowed|unknown flag/i.test(e)) {
        return { kind: "reset", detail: e };
    }
    return { kind: "unclear", detail: e };
}

const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s).replace(/\s+/g, " ");

/**
 * mTLS, measured from a pod without a sidecar: under STRICT the plain-text call is reset before any
 * header; under PERMISSIVE (or DISABLE) it is answered. The positive control — the same client
 * answered by a server outside the mesh — shows the client itself works; without it nothing is PASS.
 */
export function mtlsRow(policy: string, mode: string, target: string, control: { status?: number; error?: string }, call: { status?: number; error?: string }): Row {
    const strict = mode === "STRICT";
    const check = `mTLS ${mode}: plain-text call to ${target} from a pod without a sidecar`;
    const expected = strict ? "connection reset before any response header" : "answered (any HTTP status)";
    const c = classifyPlain(control);
    if (c.kind !== "answered") return errorRow(policy, check, expected, `the client outside the mesh does not work (its control call to a server outside the mesh got no answer: ${short(c.detail)})`);
    const o = classifyPlain(call);
    if (o.kind === "unclear") return errorRow(policy, check, expected, `the call failed without the STRICT signature, so it proves nothing: ${short(o.detail)}`);
    const observed = o.kind === "answered" ? `answered HTTP ${o.status} in plain text` : `reset before headers (${short(o.detail, 80)})`;
    const pass = strict ? o.kind === "reset" : o.kind === "answered";
    return { policy, check, expected, observed, verdict: pass ? "PASS" : "FAIL" };
}

/**
 * AuthorizationPolicy ALLOW: a listed caller is let through (any status but 403), an unlisted one is
 * refused. A sidecar or a waypoint refuses with HTTP 403 (RBAC: access denied); ztunnel (a policy on the
 * pods of an ambient workload) cannot answer HTTP: it refuses the connection, which the client sees as
 * closed before any response header — the same signature as a STRICT refusal (classifyPlain).
 */
export function authzRow(policy: string, target: string, caller: { name: string; principal: string; allowed: boolean }, t: { status?: number; body?: string; error?: string }, enforcedBy: "sidecar" | "ztunnel" | "waypoint" = "sidecar"): Row {
    const check = `${caller.allowed ? "allowed" : "unlisted"} caller ${caller.name} (${caller.principal}) → ${target}`;
    const atZtunnel = enforcedBy === "ztunnel";
    const expected = caller.allowed ? "answered (not 403)" : atZtunnel ? "connection closed by ztunnel before any response header" : "HTTP 403 (RBAC: access denied)";
    if (t.status === undefined || t.status <= 0) {
        const o = classifyPlain(t);
        // ztunnel's refusal: no HTTP answer, the connection closed. For an allowed caller it is a FAIL (refused), not a broken probe.
        if (atZtunnel && o.kind === "reset") return { policy, check, expected, observed: `connection closed before headers (${short(o.detail, 80)})`, verdict: caller.allowed ? "FAIL" : "PASS" };
        return errorRow(policy, check, expected, `no HTTP answer: ${short(t.error ?? "unknown error")}`);
    }
    const denied = t.status === 403;
    const observed = `HTTP ${t.status}${denied && /RBAC/i.test(t.body ?? "") ? " (RBAC: access denied)" : ""}`;
    // A 403 where ztunnel should refuse: something with HTTP (a waypoint) refused instead; the call is denied all the same.
    return { policy, check, expected, observed: atZtunnel && denied ? `${observed}, not ztunnel's refusal` : observed, verdict: caller.allowed !== denied ? "PASS" : "FAIL" };
}

/**
 * Envoy's local rate limit (token bucket: `rps` tokens, refilled with `rps` every second, per pod).
 * Over `seconds` at most rps·(⌊seconds⌋+1) calls per pod pass; the rest are 429. PASS needs the load
 * to have exceeded that (else it is ERROR: nothing was measured), 429s, and no more accepted calls
 * than the bucket allows (10 % slack for timing); and at least half a pod's worth accepted, so a
 * limit far below the declared one fails too.
 */
export function rateLimitRow(policy: string, target: string, rps: number, pods: number, r: FortioResult): Row {
    const check = `local rate limit on ${target}`;
    const expected = `about ${rps} req/s per pod (${pods} pod${pods === 1 ? "" : "s"}) accepted, the rest HTTP 429`;
    if (r.calls === 0 || !r.actualQps) return errorRow(policy, check, expected, "fortio made no call");
    const seconds = r.calls / r.actualQps;
    const limited = callsWithStatus(r, 429);
    const accepted = r.calls - limited;
    const ceiling = rps * pods * (Math.floor(seconds) + 1) * 1.1;
    const floor = rps * Math.max(1, Math.floor(seconds)) * 0.5;
    const observed = `${accepted} accepted, ${limited} × 429 (${pct(limited / r.calls)}) of ${r.calls} calls in ${seconds.toFixed(1)}s at ${r.actualQps.toFixed(0)} req/s`;
    if (r.calls <= ceiling && limited === 0) {
        return { ...errorRow(policy, check, expected, `the load (${r.actualQps.toFixed(0)} req/s) never exceeded the limit: nothing shows it (codes ${formatCodes(r)})`), observed };
    }
    return { policy, check, expected, observed, verdict: limited > 0 && accepted <= ceiling && accepted >= floor ? "PASS" : "FAIL" };
}

/**
 * Route timeout: every call to a route whose upstream is slower than the timeout ends at the timeout
 * (Envoy answers 504 "upstream request timeout"); no call lasts much longer. At least one call must
 * have hit the slow upstream (lasted ≥ 90 % of the timeout), else nothing was cut and it is ERROR.
 */
export function timeoutRow(policy: string, target: string, timeoutSeconds: number, upstreamSeconds: number, r: FortioResult): Row {
    const check = `route timeout on ${target} (upstream takes ${upstreamSeconds}s)`;
    const expected = `calls to the slow upstream cut at ≈ ${timeoutSeconds}s, none longer`;
    if (r.calls === 0) return errorRow(policy, check, expected, "fortio made no call");
    const margin = Math.max(0.5, timeoutSeconds * 0.1);
    const cut = slowCalls(r, timeoutSeconds * 0.9);
    const observed = `max ${r.histogram.max.toFixed(2)}s, ${cut.count} of ${r.calls} calls at ≥ ${(timeoutSeconds * 0.9).toFixed(2)}s (codes ${formatCodes(r)})`;
    if (cut.count === 0) return { ...errorRow(policy, check, expected, "no call reached the slow upstream (was it ejected or not running?): nothing was cut"), observed };
    return { policy, check, expected, observed, verdict: r.histogram.max <= timeoutSeconds + margin ? "PASS" : "FAIL" };
}

/** Retries: the caller sees fewer errors than its sidecar received from the upstream (Envoy counters). */
export function retriesRow(policy: string, target: string, attempts: number, r: FortioResult, upstream: { errors: number; retries: number }): Row {
    const check = `retries on ${target} (attempts ${attempts})`;
    const expected = "fewer errors seen by the caller than the upstream produced";
    if (r.calls === 0) return errorRow(policy, check, expected, "fortio made no call");
    const callerErrors = r.calls - callsWithStatus(r, 200, 399);
    const observed = `caller: ${callerErrors} errors in ${r.calls} calls; upstream: ${upstream.errors} 5xx, ${upstream.retries} retries`;
    if (upstream.errors === 0) return { ...skipRow(policy, check, "the upstream produced no error during the run: there was nothing to retry"), observed };
    return { policy, check, expected, observed, verdict: upstream.retries > 0 && callerErrors < upstream.errors ? "PASS" : "FAIL" };
}

/**
 * Egress to a ServiceEntry host: answered from inside the mesh. When the client outside the mesh
 * cannot reach the host either, the lab has no internet and there is nothing to measure (SKIP).
 */
export function egressRow(policy: string, url: string, fromMesh: { status?: number; error?: string }, fromOutside?: { status?: number; error?: string }): Row {
    const check = `egress: ${url} from inside the mesh`;
    const expected = "answered";
    const mesh = classifyPlain(fromMesh);
    if (mesh.kind === "answered") return { policy, check, expected, observed: `HTTP ${mesh.status}`, verdict: "PASS" };
    if (!fromOutside) return errorRow(policy, check, expected, `no answer (${short(mesh.detail)}) and no client outside the mesh to tell a missing internet from a broken egress`);
    const outside = classifyPlain(fromOutside);
    if (outside.kind !== "answered") return skipRow(policy, check, `the lab has no internet: the client outside the mesh cannot reach ${url} either (${short(outside.detail, 100)})`);
    return { policy, check, expected, observed: `no answer (${short(mesh.detail, 100)}) while a pod outside the mesh got HTTP ${outside.status}`, verdict: "FAIL" };
}

/** The verdict table, as fixed-width text for a terminal or a CI log; an ERROR or SKIP shows its reason. */
export function formatTable(rows: Row[]): string {
    const cols = ["policy", "check", "expected", "observed", "verdict"] as const;
    type Cells = Record<(typeof cols)[number], string>;
    const cells = (r: Row): Cells => ({ ...r, observed: r.reason ? `${r.observed}: ${r.reason}` : r.observed });
    const head: Cells = { policy: "policy", check: "check", expected: "expected", observed: "observed", verdict: "verdict" };
    const all = [head, ...rows.map(cells)];
    const width = new Map(cols.map((c) => [c, Math.max(...all.map((r) => r[c].length))]));
    const line = (r: Cells) => cols.map((c) => r[c].padEnd(width.get(c)!)).join("  ").trimEnd();
    return [line(head), cols.map((c) => "-".repeat(width.get(c)!)).join("  "), ...all.slice(1).map(line)].join("\n") + "\n";
}

export interface Summary {
    pass: number;
    fail: number;
    error: number;
    skip: number;
}

export function summary(rows: Row[]): Summary {
    const n = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
    return { pass: n("PASS"), fail: n("FAIL"), error: n("ERROR"), skip: n("SKIP") };
}

/** Every row PASS or SKIP, and at least one row: a FAIL or an ERROR is never success. */
export function allAsDeclared(rows: Row[]): boolean {
    const s = summary(rows);
    return rows.length > 0 && s.fail === 0 && s.error === 0;
}

export function summaryLine(rows: Row[]): string {
    const s = summary(rows);
    const line = `${s.pass} passed, ${s.fail} failed, ${s.error} could not be measured (ERROR), ${s.skip} skipped`;
    return s.pass === 0 && s.fail === 0 && s.error === 0 ? `${line}: nothing was measured` : line;
}
