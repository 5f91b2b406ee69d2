/**
 * Every lesson of the course on the two data planes: what it teaches (features, mesh/ambient/features.ts),
 * what it needs without sidecars — ztunnel alone, a waypoint, the ingress gateway, or no supported path —
 * and the parts of it that have none, which the lab leaves out on ambient and reports as SKIP with their
 * reason. One row per lesson, each with its source. `lab plan` / `lab run --dataplane ambient` and the
 * comparison page (`lab plan --compare-dataplane`) read only this. Pure.
 */
import { feature, FeatureKey, Source } from "../mesh/ambient/features";
import type { DataplaneMode } from "../config/types";
import type { ConfigMap } from "./compose";

/** What a lesson needs on ambient, from the least to the most: ztunnel < ingress gateway < waypoint; none: no supported path. */
export type AmbientNeed = "ztunnel" | "ingress gateway" | "waypoint" | "none";

export interface LessonDataplane {
    lesson: string;
    /** What the lesson teaches. */
    features: FeatureKey[];
    ambient: AmbientNeed;
    /** Parts with no ambient path: the config key the lab removes from the lesson on ambient (a top-level key's field). */
    leaveOut?: { feature: FeatureKey; key: string; field: string }[];
    /** Why, in a sentence. */
    why: string;
    source: Source;
}

const src = (key: FeatureKey, i = 0): Source => feature(key).sources[i];

export const LESSON_DATAPLANES: readonly LessonDataplane[] = [
    { lesson: "09-canary-90-10", features: ["weightedRouting"], ambient: "waypoint", why: "the split is an L7 route: the waypoint of nginx-service applies it (HTTPRoute weights to one Service per version)", source: src("weightedRouting") },
    { lesson: "09-canary-75-25", features: ["weightedRouting", "ingressRouting"], ambient: "waypoint", why: "in the mesh the waypoint splits; at the ingress the gateway splits itself", source: src("weightedRouting") },
    { lesson: "09-canary-20-80", features: ["weightedRouting"], ambient: "waypoint", why: "weights, not pod counts, decide: the waypoint's route, as the sidecar's was", source: src("weightedRouting") },
    { lesson: "10-load-balancer", features: ["loadBalancing"], ambient: "waypoint", why: "the DestinationRule's algorithm is applied by the waypoint unchanged", source: src("loadBalancing") },
    { lesson: "10-load-balancer-random", features: ["loadBalancing"], ambient: "waypoint", why: "the DestinationRule's algorithm is applied by the waypoint unchanged", source: src("loadBalancing") },
    { lesson: "11-sticky-sessions", features: ["consistentHash"], ambient: "waypoint", why: "consistent hash is a DestinationRule the waypoint applies (HTTPRoute session persistence is not implemented by Istio)", source: src("consistentHash") },
    { lesson: "11-sticky-canary", features: ["weightedRouting", "stickyCanary"], ambient: "waypoint", why: "the cookie match and the Set-Cookie header are HTTPRoute's, run by the waypoint", source: src("stickyCanary", 1) },
    { lesson: "12-fault-delay", features: ["faultInjection"], ambient: "none", why: "fault injection has no supported ambient path: HTTPRoute has none, VirtualService on a waypoint is Alpha", source: src("faultInjection") },
    { lesson: "12-fault-delay-50", features: ["faultInjection"], ambient: "none", why: "fault injection has no supported ambient path: HTTPRoute has none, VirtualService on a waypoint is Alpha", source: src("faultInjection") },
    { lesson: "12-fault-delay-0", features: ["faultInjection"], ambient: "none", why: "fault injection has no supported ambient path: HTTPRoute has none, VirtualService on a waypoint is Alpha", source: src("faultInjection") },
    { lesson: "12-fault-abort", features: ["faultInjection"], ambient: "none", why: "fault injection has no supported ambient path: HTTPRoute has none, VirtualService on a waypoint is Alpha", source: src("faultInjection") },
    { lesson: "13-no-circuit-breaker", features: [], ambient: "ztunnel", why: "the lesson removes the breaker: nothing L7 is declared for servicex-service, ztunnel carries its calls", source: src("mtls") },
    { lesson: "13-circuit-breaker", features: ["circuitBreaker"], ambient: "waypoint", why: "outlier detection is a DestinationRule the waypoint applies, for every caller at once", source: src("circuitBreaker") },
    { lesson: "13-circuit-breaker-10-errors", features: ["circuitBreaker"], ambient: "waypoint", why: "outlier detection is a DestinationRule the waypoint applies, for every caller at once", source: src("circuitBreaker") },
    { lesson: "14-retries-timeout", features: ["retriesTimeouts"], ambient: "waypoint", why: "retries and timeouts are the route's (HTTPRoute retry, experimental channel; timeouts): the waypoint retries, not the caller", source: src("retriesTimeouts", 1) },
    { lesson: "15-ingress-gateway", features: ["ingressRouting"], ambient: "ingress gateway", why: "the ingress gateway is an Envoy and routes itself; ztunnel carries its calls to the pods", source: src("ingressRouting") },
    { lesson: "16-prefix-routing", features: ["ingressRouting"], ambient: "ingress gateway", why: "prefix matches are the ingress gateway's", source: src("ingressRouting") },
    { lesson: "17-host-routing", features: ["ingressRouting"], ambient: "ingress gateway", why: "host matches are the ingress gateway's", source: src("ingressRouting") },
    {
        lesson: "18-security",
        features: ["mtls", "l4Authorization", "localRateLimit", "egressTimeout"],
        ambient: "waypoint",
        leaveOut: [{ feature: "localRateLimit", key: "istio-mesh:security", field: "rateLimits" }],
        why: "mTLS and who may call servicex carry over (ztunnel; the waypoint once servicex has one); the external API's timeout needs the ServiceEntry's waypoint; the local rate limit has no ambient path and is left out",
        source: src("localRateLimit"),
    },
];

export function lessonDataplane(id: string): LessonDataplane | undefined {
    return LESSON_DATAPLANES.find((r) => r.lesson === id);
}

/** What a lesson becomes on a data plane: applied (maybe without some parts), or skipped with its reason. */
export type OnDataplane = { run: true; leftOut: { what: string; reason: string }[] } | { run: false; reason: string };

export function onDataplane(id: string, mode: DataplaneMode): OnDataplane {
    const row = lessonDataplane(id);
    if (mode === "sidecar" || !row) return { run: true, leftOut: [] };
    if (row.ambient === "none") return { run: false, reason: `no ambient path: ${row.why} (${row.source.ref})` };
    return {
        run: true,
        leftOut: (row.leaveOut ?? []).map((l) => {
            const f = feature(l.feature);
            return { what: `${f.title} (${l.key}.${l.field})`, reason: `no ambient path: ${f.note} (${f.sources[0].ref})` };
        }),
    };
}

/** The lesson's config without the parts that have no ambient path (nothing on sidecar). */
export function withoutLeftOut(id: string, mode: DataplaneMode, config: ConfigMap): ConfigMap {
    const row = lessonDataplane(id);
    if (mode === "sidecar" || !row?.leaveOut?.length) return config;
    const out: ConfigMap = { ...config };
    for (const l of row.leaveOut) {
        const v = out[l.key];
        if (v && typeof v === "object" && !Array.isArray(v) && l.field in v) {
            const { [l.field]: _dropped, ...rest } = v as Record<string, unknown>;
            out[l.key] = rest;
        }
    }
    return out;
}

/** The `istio-mesh:dataplane` a stack config asks for (sidecar when unset). */
export function dataplaneOf(config: ConfigMap): DataplaneMode {
    const v = config["istio-mesh:dataplane"] ?? config["dataplane"];
    if (v === "ambient" || (v && typeof v === "object" && (v as { mode?: unknown }).mode === "ambient")) return "ambient";
    return "sidecar";
}

/** A stack config on another data plane: `istio-mesh:dataplane` set (kept as an object when it was one). */
export function onDataplaneConfig(config: ConfigMap, mode: DataplaneMode): ConfigMap {
    if (dataplaneOf(config) === mode) return config;
    const { dataplane: _short, ...rest } = config;
    const current = config["istio-mesh:dataplane"];
    // Only the mode changes: the ambient-only settings (waypoints, platform) do not apply to sidecar.
    return { ...rest, "istio-mesh:dataplane": mode === "sidecar" || !current || typeof current !== "object" ? mode : { ...(current as object), mode } };
}
