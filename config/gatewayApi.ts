/**
 * How a lesson's typed config reads in the Kubernetes Gateway API, where the two APIs differ: durations,
 * retry conditions and the order HTTPRoute rules are tried in. Pure, shared by the config checks
 * (config/sections/trafficApi.ts) and the builders (mesh/gatewayApi/), so what is refused and what is
 * rendered cannot drift apart. Istio's own translation is the reference: pilot/pkg/config/kube/gateway/
 * conversion.go and pilot/pkg/networking/core/route/ at 1.30.3 (read 2026-12).
 */
import { parseDuration } from "./duration";
import type { UriMatch } from "./types";

/** Lessons named in the messages of what does not carry over, as `npm run lab -- list` numbers them by scenario. */
export const LESSON = {
    fault: "lesson 12 (fault injection)",
    retries: "lesson 14 (retries and timeouts)",
    egress: "lesson 18 (security: egress through a gateway)",
    ingress: "lessons 15–17 (ingress gateway, prefix and host routing)",
    canary: "lesson 09 (canary by weight)",
} as const;

/** `<service>-<subset>`: the Service of one version, which an HTTPRoute's weighted backendRefs name. */
export const versionServiceName = (service: string, subset: string): string => `${service}-${subset}`;

/**
 * A duration in the Gateway API's format (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`, GEP-2257): whole units, no
 * fractions. Config durations are whole milliseconds already (Istio's rule), so this is exact: `1.5s` →
 * `1s500ms`, `90s` → `1m30s`. Undefined when the value cannot be written so (over 99999h).
 */
export function gatewayApiDuration(d: string): string | undefined {
    const ns = parseDuration(d);
    if (ns === undefined) return undefined;
    let ms = Math.round(ns / 1e6);
    if (ms === 0) return "0s";
    const parts: string[] = [];
    for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
        const n = Math.floor(ms / size);
        if (n === 0) continue;
        if (n > 99999) return undefined;
        parts.push(`${n}${unit}`);
        ms -= n * size;
    }
    return parts.join("");
}

/**
 * What an HTTPRoute `retry` always retries in Istio, whatever its `codes`: conversion.go builds
 * `retryOn: connect-failure,refused-stream,unavailable,cancelled` plus the codes (lines 186–204 at 1.30.3),
 * its reading of the spec's "implementations SHOULD retry on connection errors".
 */
export const ALWAYS_RETRIED = ["connect-failure", "refused-stream", "unavailable", "cancelled"] as const;

/** Envoy retry conditions that are a set of response codes, written as HTTPRoute `retry.codes`. */
const AS_CODES: Record<string, number[]> = {
    // Envoy: "any 5xx response code" — the whole range, each code listed (the CRD allows 400–599).
    "5xx": Array.from({ length: 100 }, (_, i) => 500 + i),
    "gateway-error": [502, 503, 504],
    "retriable-4xx": [409],
};

/**
 * Conditions with no Gateway API form but one the spec's retry stanza partly covers: accepted with a
 * warning saying what is lost. Envoy's `reset` also retries a reset after the request went out (and a
 * read timeout); Istio's HTTPRoute retry only adds connect-failure and refused-stream.
 */
const PARTLY_COVERED: Record<string, string> = {
    reset: "an HTTPRoute retry covers connection errors as Istio reads the spec (connect-failure, refused-stream, unavailable, cancelled), so a connection reset after the request was sent is no longer retried",
};

export interface RetryTranslation {
    /** `retry.codes`, sorted, without repeats. */
    codes: number[];
    /** Conditions with no Gateway API form at all: a config error. */
    lost: string[];
    /** Conditions only partly covered: condition → what is lost (a warning). */
    partly: Record<string, string>;
}

/**
 * Istio `retryOn` → HTTPRoute `retry.codes`. Unset retryOn is Istio's default policy, which retries 503
 * besides the connection errors (retry.go: `retriable-status-codes` with 503), so it becomes `codes: [503]`.
 */
export function retryCodes(retryOn: string | undefined): RetryTranslation {
    const out: RetryTranslation = { codes: [], lost: [], partly: {} };
    if (retryOn === undefined) return { ...out, codes: [503] };
    const codes = new Set<number>();
    for (const c of retryOn.split(",").map((x) => x.trim()).filter(Boolean)) {
        // The CRD takes 400–599 (HTTPRouteRetryStatusCode); Istio accepts any code in retryOn.
        if (/^\d{3}$/.test(c)) (Number(c) >= 400 && Number(c) <= 599 ? codes.add(Number(c)) : out.lost.push(c));
        else if (AS_CODES[c]) for (const x of AS_CODES[c]) codes.add(x);
        else if ((ALWAYS_RETRIED as readonly string[]).includes(c)) continue;
        else if (PARTLY_COVERED[c]) out.partly[c] = PARTLY_COVERED[c];
        else out.lost.push(c);
    }
    return { ...out, codes: [...codes].sort((a, b) => a - b) };
}

/** `500, 501, …, 599` → `500–599`: consecutive codes as ranges, for messages and the PR comment's words. */
export function codeRanges(codes: number[]): string {
    const out: string[] = [];
    for (let i = 0; i < codes.length; ) {
        let j = i;
        while (j + 1 < codes.length && codes[j + 1] === codes[j] + 1) j++;
        out.push(j - i >= 2 ? `${codes[i]}–${codes[j]}` : codes.slice(i, j + 1).join(", "));
        i = j + 1;
    }
    return out.join(", ");
}

/**
 * How Istio ranks the rules of an HTTPRoute, the Gateway API's precedence (sortHTTPRoutes, conversion.go:
 * Exact > PathPrefix > RegularExpression, then the longer path, then more header matches; a rule with no
 * match is `PathPrefix /`). A VirtualService instead tries its routes in the order written.
 */
export function uriRank(m: UriMatch | undefined): { rank: number; length: number } {
    if (!m) return { rank: 2, length: 1 };
    if (m.exact !== undefined) return { rank: 3, length: m.exact.length };
    // A trailing "/" is ignored (conversion.go createURIMatch), so /b/ and /b rank alike.
    if (m.prefix !== undefined) return { rank: 2, length: m.prefix === "/" ? 1 : m.prefix.replace(/\/$/, "").length };
    return { rank: 1, length: (m.regex ?? "").length };
}

/** Negative when `a` is tried before `b` in an HTTPRoute (the stable sort keeps equal ranks in order). */
export function compareRules(a: { match?: UriMatch; headers?: number }, b: { match?: UriMatch; headers?: number }): number {
    const ra = uriRank(a.match);
    const rb = uriRank(b.match);
    if (ra.rank !== rb.rank) return rb.rank - ra.rank;
    if (ra.length !== rb.length) return rb.length - ra.length;
    return (b.headers ?? 0) - (a.headers ?? 0);
}

/**
 * Whether some request could match both URI matches, read generously (a regex overlaps everything): a
 * pair reordered by the Gateway API's precedence changes which route answers only if they overlap.
 */
export function mayOverlap(a: UriMatch | undefined, b: UriMatch | undefined): boolean {
    if (!a || !b || a.regex !== undefined || b.regex !== undefined) return true;
    if (a.exact !== undefined && b.exact !== undefined) return a.exact === b.exact;
    // String prefixes: a VirtualService's prefix matches /bc for /b, so the generous reading covers both APIs.
    if (a.exact !== undefined) return a.exact.startsWith(b.prefix!);
    if (b.exact !== undefined) return b.exact.startsWith(a.prefix!);
    return a.prefix!.startsWith(b.prefix!) || b.prefix!.startsWith(a.prefix!);
}
