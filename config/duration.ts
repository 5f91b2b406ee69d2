/**
 * Durations as Istio reads them (Go syntax: "10s", "0.5s", "500ms", "1m30s"). Istio's webhook rejects
 * durations under 1 ms or that are not a whole number of milliseconds (pkg/config/validation).
 */
const UNIT_NS: Record<string, number> = { h: 3600e9, m: 60e9, s: 1e9, ms: 1e6, us: 1e3, "µs": 1e3, ns: 1 };
const PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;

/** Nanoseconds, or undefined if `s` is not a duration. */
export function parseDuration(s: string): number | undefined {
    if (typeof s !== "string" || !/^((\d+(\.\d+)?)(h|ms|m|s|us|µs|ns))+$/.test(s)) return undefined;
    let ns = 0;
    for (const m of s.matchAll(PART)) ns += Number(m[1]) * UNIT_NS[m[2]];
    return Math.round(ns);
}

/** The same few durations ("10s", "2s") repeat across thousands of routes: each distinct string is judged once. */
const problems = new Map<string, string | undefined>();

/** Why Istio would reject this duration, or undefined if it is fine. */
export function durationProblem(s: unknown): string | undefined {
    if (typeof s !== "string") return `${JSON.stringify(s)} is not a duration; write it like "10s", "500ms" or "1m"`;
    if (problems.has(s)) return problems.get(s);
    if (problems.size > 10_000) problems.clear();
    const p = stringDurationProblem(s);
    problems.set(s, p);
    return p;
}

function stringDurationProblem(s: string): string | undefined {
    const ns = parseDuration(s);
    if (ns === undefined) return `${JSON.stringify(s)} is not a duration; write it like "10s", "500ms" or "1m"`;
    if (ns < 1e6) return `${JSON.stringify(s)} is shorter than 1ms, which Istio rejects`;
    if (ns % 1e6 !== 0) return `${JSON.stringify(s)} is not a whole number of milliseconds, which Istio rejects`;
    return undefined;
}

export function durationMs(s: string): number {
    return (parseDuration(s) ?? 0) / 1e6;
}
