/**
 * Istio policies in the few words a diagram label has room for: `LB ROUND_ROBIN`,
 * `fault: delay 10s on 100 %`, `retries 3 × 2s on 5xx`. Read from the objects' own fields (not the
 * stack config), so rendered YAML and plan objects read the same. Pure.
 */
export type Spec = Record<string, any>;

const pct = (p: unknown): string | undefined => {
    const v = p && typeof p === "object" ? (p as { value?: unknown }).value : p;
    return typeof v === "number" ? `${v} %` : undefined;
};

/** DestinationRule `trafficPolicy.loadBalancer`. */
export function loadBalancerText(lb: Spec | undefined): string[] {
    if (!lb) return [];
    const out: string[] = [];
    if (lb.simple) out.push(`LB ${lb.simple}`);
    const h = lb.consistentHash as Spec | undefined;
    if (h) {
        const key = h.httpHeaderName
            ? `header ${h.httpHeaderName}`
            : h.httpCookie
              ? `cookie ${h.httpCookie.name}${h.httpCookie.ttl ? ` (ttl ${h.httpCookie.ttl})` : ""}`
              : h.useSourceIp
                ? "source IP"
                : h.httpQueryParameterName
                  ? `query ${h.httpQueryParameterName}`
                  : "?";
        const algo = h.ringHash ? `, ring hash${h.ringHash.minimumRingSize ? ` ≥ ${h.ringHash.minimumRingSize}` : ""}` : h.maglev ? `, maglev${h.maglev.tableSize ? ` ${h.maglev.tableSize}` : ""}` : "";
        out.push(`consistent hash on ${key}${algo}`);
    }
    if (lb.localityLbSetting) out.push("locality LB");
    return out;
}

/** `outlierDetection`: the circuit breaker. */
export function outlierText(od: Spec | undefined): string[] {
    if (!od) return [];
    const errors = [
        od.consecutiveGatewayErrors !== undefined ? `${od.consecutiveGatewayErrors} gateway errors` : undefined,
        od.consecutive5xxErrors !== undefined ? `${od.consecutive5xxErrors} 5xx` : undefined,
        od.consecutiveLocalOriginFailures !== undefined ? `${od.consecutiveLocalOriginFailures} local failures` : undefined,
    ].filter(Boolean);
    const parts = [
        od.interval ? `interval ${od.interval}` : undefined,
        od.baseEjectionTime ? `ejected ${od.baseEjectionTime}` : undefined,
        od.maxEjectionPercent !== undefined ? `max ${od.maxEjectionPercent} %` : undefined,
        od.minHealthPercent !== undefined ? `min healthy ${od.minHealthPercent} %` : undefined,
    ].filter(Boolean);
    return [`outlier detection: eject after ${errors.length ? errors.join(" or ") : "5 5xx"}`, ...(parts.length ? [parts.join(" · ")] : [])];
}

/** `connectionPool`: every limit it sets, by Istio's field name. */
export function connectionPoolText(cp: Spec | undefined): string[] {
    if (!cp) return [];
    const fields = [...Object.entries((cp.tcp ?? {}) as Spec), ...Object.entries((cp.http ?? {}) as Spec)]
        .filter(([, v]) => v !== undefined && typeof v !== "object")
        .map(([k, v]) => `${k} ${v}`);
    return [`connection pool: ${fields.length ? fields.join(", ") : "set"}`];
}

/** A DestinationRule (or subset) traffic policy, one line per policy. */
export function trafficPolicyText(tp: Spec | undefined): string[] {
    if (!tp) return [];
    return [
        ...loadBalancerText(tp.loadBalancer),
        ...connectionPoolText(tp.connectionPool),
        ...outlierText(tp.outlierDetection),
        ...(tp.tls?.mode ? [`client TLS ${tp.tls.mode}`] : []),
        ...(Array.isArray(tp.portLevelSettings) && tp.portLevelSettings.length ? [`per-port policy on ${tp.portLevelSettings.map((p: Spec) => p.port?.number).join(", ")}`] : []),
    ];
}

/** One word per policy a traffic policy sets, for the summarised diagram. */
export function policyFlags(tp: Spec | undefined): string[] {
    if (!tp) return [];
    return [
        ...(tp.loadBalancer?.simple ? [`LB ${tp.loadBalancer.simple}`] : []),
        ...(tp.loadBalancer?.consistentHash ? ["consistent hash"] : []),
        ...(tp.connectionPool ? ["connection pool"] : []),
        ...(tp.outlierDetection ? ["outlier detection"] : []),
        ...(tp.tls?.mode ? [`client TLS ${tp.tls.mode}`] : []),
    ];
}

/** `http[].fault`. */
export function faultText(f: Spec | undefined): string[] {
    if (!f) return [];
    const out: string[] = [];
    if (f.delay) out.push(`fault: delay ${f.delay.fixedDelay ?? f.delay.exponentialDelay ?? "?"} on ${pct(f.delay.percentage) ?? "100 %"}`);
    if (f.abort) out.push(`fault: abort ${f.abort.httpStatus ?? f.abort.grpcStatus ?? "?"} on ${pct(f.abort.percentage) ?? "100 %"}`);
    return out;
}

/** `http[].retries`. */
export function retriesText(r: Spec | undefined): string[] {
    if (!r) return [];
    if (r.attempts === 0) return ["retries off"];
    return [`retries ${r.attempts ?? "?"}${r.perTryTimeout ? ` × ${r.perTryTimeout}` : ""}${r.retryOn ? ` on ${r.retryOn}` : ""}`];
}

/** The policies of one VirtualService http route, in the order Istio applies them. */
export function httpRouteText(h: Spec): string[] {
    return [
        ...faultText(h.fault),
        ...retriesText(h.retries),
        ...(h.timeout ? [`timeout ${h.timeout}`] : []),
        ...(h.rewrite ? [`rewrite ${[h.rewrite.uri && `uri ${h.rewrite.uri}`, h.rewrite.authority && `authority ${h.rewrite.authority}`].filter(Boolean).join(" ") || "set"}`] : []),
        ...(h.redirect ? [`redirect ${h.redirect.uri ?? h.redirect.authority ?? ""}`.trim()] : []),
        ...(h.mirror ? [`mirror to ${h.mirror.host}${h.mirrorPercentage ? ` on ${pct(h.mirrorPercentage)}` : ""}`] : []),
        ...(h.corsPolicy ? ["CORS policy"] : []),
    ];
}

/** A string match: `exact x`, `prefix /b`, `~ regex`. */
function stringMatch(m: Spec | undefined): string {
    if (!m) return "";
    if (m.exact !== undefined) return `= ${m.exact}`;
    if (m.prefix !== undefined) return `prefix ${m.prefix}`;
    if (m.regex !== undefined) return `~ ${m.regex}`;
    return "present";
}

/** One `http[].match` entry: its conditions, all of which must hold. */
export function matchText(m: Spec): string {
    const parts: string[] = [];
    if (m.uri) parts.push(m.uri.prefix !== undefined ? `prefix ${m.uri.prefix}` : m.uri.exact !== undefined ? `path ${m.uri.exact}` : `path ${stringMatch(m.uri)}`);
    if (m.authority) parts.push(`host ${stringMatch(m.authority)}`);
    if (m.method) parts.push(`method ${stringMatch(m.method)}`);
    for (const [k, v] of Object.entries((m.headers ?? {}) as Spec)) parts.push(`header ${k} ${stringMatch(v)}`);
    for (const [k, v] of Object.entries((m.queryParams ?? {}) as Spec)) parts.push(`query ${k} ${stringMatch(v)}`);
    if (m.port !== undefined) parts.push(`port ${m.port}`);
    if (m.sourceLabels) parts.push(`from ${Object.entries(m.sourceLabels as Spec).map(([k, v]) => `${k}=${v}`).join(",")}`);
    return parts.join(" and ");
}

/** What a weighted destination adds to the response (the sticky canary's pin). */
export function responseHeadersText(headers: Spec | undefined): string[] {
    const r = headers?.response as Spec | undefined;
    if (!r) return [];
    const out: string[] = [];
    for (const op of ["set", "add"] as const) {
        for (const [k, v] of Object.entries((r[op] ?? {}) as Spec)) {
            out.push(k.toLowerCase() === "set-cookie" ? `sets cookie ${String(v).split(";")[0]}` : `sets header ${k}: ${v}`);
        }
    }
    return out;
}

/** Envoy's local rate limit as the EnvoyFilter patches it in (token bucket per pod). */
export function localRateLimitText(ef: Spec): string | undefined {
    for (const p of (ef.spec?.configPatches ?? []) as Spec[]) {
        const v = p.patch?.value;
        if (v?.name !== "envoy.filters.http.local_ratelimit") continue;
        const b = v.typed_config?.value?.token_bucket ?? v.typed_config?.token_bucket;
        if (!b) return "rate limit (local)";
        const where = p.match?.context === "SIDECAR_OUTBOUND" ? "outbound" : "per pod";
        return `rate limit ${b.tokens_per_fill ?? b.max_tokens} req / ${b.fill_interval ?? "1s"} ${where}${b.max_tokens !== undefined && b.max_tokens !== b.tokens_per_fill ? ` (burst ${b.max_tokens})` : ""}`;
    }
    return undefined;
}
