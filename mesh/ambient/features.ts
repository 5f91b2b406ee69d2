/**
 * What each mesh feature the course teaches becomes without sidecars: who enforces it on each data
 * plane, whether ambient supports it, and where that is said. The gate names lessons and alternatives
 * from here, `lab plan --compare-dataplane` prints it, lab/dataplanes.ts classifies the lessons with it.
 * Sources are Istio 1.30's docs and code as read in 2026-12 (the stored istio.io copy ends 2026-09-21;
 * the research note ../shared/research/ambient-gateway-api-and-users.md, part A, has the commits). Pure data.
 */

/** Where a policy takes effect: a proxy in the pod, the node's ztunnel, the service's waypoint, the ingress gateway. */
export type EnforcementPoint = "sidecar" | "ztunnel" | "waypoint" | "ingress gateway" | "nowhere";

/** supported: Istio supports it on ambient (Beta or GA); alpha: it works only through an Alpha API; none: no path. */
export type AmbientSupport = "supported" | "alpha" | "none";

export type FeatureKey =
    | "mtls"
    | "l4Authorization"
    | "l7Authorization"
    | "weightedRouting"
    | "loadBalancing"
    | "consistentHash"
    | "stickyCanary"
    | "faultInjection"
    | "circuitBreaker"
    | "retriesTimeouts"
    | "ingressRouting"
    | "localRateLimit"
    | "egressTimeout"
    | "sourceLabels";

export interface Source {
    /** A page, a file at a commit, or an issue, as a reader finds it. */
    ref: string;
    /** What it says, in a few words. */
    says: string;
}

export interface Feature {
    key: FeatureKey;
    title: string;
    /** The objects that declare it on the sidecar data plane, and on ambient (with trafficApi gateway-api, the default there). */
    objects: { sidecar: string; ambient: string };
    enforcedBy: { sidecar: EnforcementPoint; ambient: EnforcementPoint };
    ambient: AmbientSupport;
    /** Why (for alpha/none: what breaks), and what to do instead. */
    note: string;
    alternative?: string;
    /** Lesson ids of the course that teach it (lab/lessons.ts). */
    lessons: string[];
    sources: Source[];
}

const DOCS = "https://istio.io/latest/docs/ambient";
const L4_POLICY: Source = { ref: `${DOCS}/usage/l4-policy/ (istio/istio.io content/en/docs/ambient/usage/l4-policy, fdbeb77f)`, says: "ztunnel enforces L4 AuthorizationPolicy (identities, namespaces, IPs, ports); a policy with L7 fields it enforces becomes DENY all" };
const L7_FEATURES: Source = { ref: `${DOCS}/usage/l7-features/ (2ac148b1, 03ae9342)`, says: "L7 features need a waypoint; HTTPRoute and L7 AuthorizationPolicy are Beta; the classic APIs (VirtualService, DestinationRule…) remain Alpha on ambient; mixing them with HTTPRoute is undefined" };
const MIGRATE: Source = { ref: `${DOCS}/migrate/migrate-policies/`, says: "DestinationRule traffic policies work unchanged on a waypoint; VirtualService on waypoints is Alpha, migrate to HTTPRoute; EnvoyFilter is not supported on waypoints (silently ignored); L7 AuthorizationPolicies must use targetRefs" };
const WAYPOINT: Source = { ref: `${DOCS}/usage/waypoint/`, says: "a waypoint is a Gateway of class istio-waypoint (listener mesh, 15008, HBONE); services use it with istio.io/use-waypoint" };
const INGRESS: Source = { ref: `istio/istio pilot/pkg/features/ambient.go (ENABLE_INGRESS_WAYPOINT_ROUTING), ${DOCS}/usage/waypoint/`, says: "the ingress gateway is an Envoy that routes L7 itself; it skips the service's waypoint unless istio.io/ingress-use-waypoint is set" };
const GATEWAY_API_B4: Source = { ref: "kubernetes-sigs/gateway-api v1.5.1 geps (GEP-1742 timeouts Standard, GEP-1731 retries Experimental); istio/istio pilot/pkg/config/kube/gateway/conversion.go (1.30.3)", says: "HTTPRoute has weighted backendRefs (one Service per version), timeouts, and retry on the experimental channel; no load-balancing API, so DestinationRules stay" };

export const FEATURES: readonly Feature[] = [
    {
        key: "mtls",
        title: "mTLS (PeerAuthentication STRICT)",
        objects: { sidecar: "PeerAuthentication", ambient: "PeerAuthentication (no waypoint)" },
        enforcedBy: { sidecar: "sidecar", ambient: "ztunnel" },
        ambient: "supported",
        note: "HBONE between ambient pods is always mTLS; STRICT makes the destination's ztunnel refuse plain text from outside the mesh. DISABLE is ignored (remove the ambient label to drop mTLS).",
        lessons: ["18-security"],
        sources: [L4_POLICY, { ref: `${DOCS}/usage/verify-mtls-enabled/ (063b842a)`, says: "ztunnel's TCP metrics carry connection_security_policy=\"mutual_tls\"; workloads show PROTOCOL HBONE" }],
    },
    {
        key: "l4Authorization",
        title: "Who may call a service (AuthorizationPolicy on identities)",
        objects: { sidecar: "AuthorizationPolicy with selector", ambient: "AuthorizationPolicy with selector (ztunnel), or targetRefs to the Service once it has a waypoint" },
        enforcedBy: { sidecar: "sidecar", ambient: "ztunnel" },
        ambient: "supported",
        note: "ztunnel enforces it; a denied caller's connection is closed (no HTTP 403). Once the service has a waypoint, ztunnel sees the waypoint's identity, so the policy moves to the waypoint (targetRefs) and a denied call gets 403 there.",
        lessons: ["18-security"],
        sources: [L4_POLICY, MIGRATE],
    },
    {
        key: "l7Authorization",
        title: "Authorization on methods, paths or headers",
        objects: { sidecar: "AuthorizationPolicy with selector", ambient: "AuthorizationPolicy with targetRefs to the Service, plus a waypoint" },
        enforcedBy: { sidecar: "sidecar", ambient: "waypoint" },
        ambient: "supported",
        note: "Only a waypoint reads HTTP; with a selector, ztunnel turns the L7 rule into deny-all.",
        lessons: [],
        sources: [L4_POLICY, L7_FEATURES, MIGRATE],
    },
    {
        key: "weightedRouting",
        title: "Canary split by weight",
        objects: { sidecar: "VirtualService + DestinationRule subsets", ambient: "HTTPRoute with weighted backendRefs to one Service per version, plus a waypoint" },
        enforcedBy: { sidecar: "sidecar", ambient: "waypoint" },
        ambient: "supported",
        note: "ztunnel only spreads connections over endpoints; the split is the waypoint's.",
        lessons: ["09-canary-90-10", "09-canary-75-25", "09-canary-20-80", "11-sticky-canary"],
        sources: [L7_FEATURES, GATEWAY_API_B4, { ref: `${DOCS}/usage/traffic-distribution/ (234bf2a3)`, says: "without a waypoint, only PreferSameZone/PreferSameNode distribution" }],
    },
    {
        key: "loadBalancing",
        title: "Load-balancing algorithm (ROUND_ROBIN, RANDOM, LEAST_REQUEST)",
        objects: { sidecar: "DestinationRule trafficPolicy.loadBalancer", ambient: "the same DestinationRule, applied by the waypoint" },
        enforcedBy: { sidecar: "sidecar", ambient: "waypoint" },
        ambient: "supported",
        note: "The Gateway API has no load-balancing API; the waypoint applies the DestinationRule.",
        lessons: ["10-load-balancer", "10-load-balancer-random"],
        sources: [MIGRATE, GATEWAY_API_B4],
    },
    {
        key: "consistentHash",
        title: "Sticky sessions (consistent hash)",
        objects: { sidecar: "DestinationRule consistentHash", ambient: "the same DestinationRule, applied by the waypoint" },
        enforcedBy: { sidecar: "sidecar", ambient: "waypoint" },
        ambient: "supported",
        note: "HTTPRoute sessionPersistence is experimental and not implemented by Istio (backend_policies.go, istio#55839); the DestinationRule stays.",
        lessons: ["11-sticky-sessions"],
        sources: [MIGRATE, GATEWAY_API_B4],
    },
    {
        key: "stickyCanary",
        title: "Sticky canary (a cookie pins the version)",
        objects: { sidecar: "VirtualService cookie match + response header", ambient: "HTTPRoute Cookie header match + ResponseHeaderModifier, plus a waypoint" },
        enforcedBy: { sidecar: "sidecar", ambient: "waypoint" },
        ambient: "supported",
        note: "Header matches and per-backend header modifiers are HTTPRoute's (Istio's buildHTTPDestination).",
        lessons: ["11-sticky-canary"],
        sources: [L7_FEATURES, GATEWAY_API_B4],
    },
    {
        key: "faultInjection",
        title: "Fault injection (delay, abort)",
        objects: { sidecar: "VirtualService fault", ambient: "none supported: only a VirtualService on a waypoint (Alpha)" },
        enforcedBy: { sidecar: "sidecar", ambient: "nowhere" },
        ambient: "none",
        note: "HTTPRoute has no fault filter (no GEP; kubernetes-sigs/gateway-api#3575 closed, istio/istio#54196 closed as stale); a waypoint runs VirtualService faults, but that API is Alpha on ambient.",
        alternative: "run the fault lessons on a sidecar stack; or, knowingly on an Alpha path, set istio-mesh:trafficApi: istio and accept MESH022 as a warning",
        lessons: ["12-fault-delay", "12-fault-delay-50", "12-fault-delay-0", "12-fault-abort"],
        sources: [L7_FEATURES, MIGRATE, { ref: "istio/istio pilot/pkg/networking/core/listener_waypoint.go (1.30.3): waypointInboundRoute → TranslateRoute", says: "the waypoint translates VirtualService HTTP routes, faults included, as a sidecar does" }],
    },
    {
        key: "circuitBreaker",
        title: "Circuit breaker (outlier detection)",
        objects: { sidecar: "DestinationRule outlierDetection", ambient: "the same DestinationRule, applied by the waypoint" },
        enforcedBy: { sidecar: "sidecar", ambient: "waypoint" },
        ambient: "supported",
        note: "The waypoint ejects the failing pod, for every caller of the service at once.",
        lessons: ["13-circuit-breaker", "13-circuit-breaker-10-errors"],
        sources: [MIGRATE],
    },
    {
        key: "retriesTimeouts",
        title: "Retries and timeouts",
        objects: { sidecar: "VirtualService retries/timeout", ambient: "HTTPRoute timeouts (standard) and retry (experimental channel), plus a waypoint" },
        enforcedBy: { sidecar: "sidecar", ambient: "waypoint" },
        ambient: "supported",
        note: "The caller's sidecar retried before; now the service's waypoint does.",
        lessons: ["14-retries-timeout"],
        sources: [L7_FEATURES, GATEWAY_API_B4],
    },
    {
        key: "ingressRouting",
        title: "Ingress gateway routing (split, prefix, host)",
        objects: { sidecar: "Istio Gateway + VirtualService", ambient: "Gateway API Gateway + HTTPRoute (or the Istio Gateway and VirtualService)" },
        enforcedBy: { sidecar: "ingress gateway", ambient: "ingress gateway" },
        ambient: "supported",
        note: "Unchanged: the ingress gateway is an Envoy and routes itself, then reaches the pods over HBONE.",
        lessons: ["09-canary-75-25", "15-ingress-gateway", "16-prefix-routing", "17-host-routing"],
        sources: [INGRESS],
    },
    {
        key: "localRateLimit",
        title: "Local rate limit (EnvoyFilter)",
        objects: { sidecar: "EnvoyFilter on the pods' inbound listener", ambient: "none supported" },
        enforcedBy: { sidecar: "sidecar", ambient: "nowhere" },
        ambient: "none",
        note: "There is no sidecar to patch, and the newest migration guide says EnvoyFilter is not supported on waypoints and is silently ignored (the waypoint page still lists it as Alpha; istio/istio#57350 reports rate limits not taking effect).",
        alternative: "run the rate-limit part on a sidecar stack; on ambient the lab applies lesson 18 without it (its other parts carry over)",
        lessons: ["18-security"],
        sources: [MIGRATE, WAYPOINT, { ref: "istio/istio#57350 (open), #54391", says: "EnvoyFilter rate limiting in ambient did not take effect; waypoint xDS differs from a sidecar's" }],
    },
    {
        key: "egressTimeout",
        title: "Timeout on an external API (ServiceEntry)",
        objects: { sidecar: "ServiceEntry + VirtualService timeout", ambient: "ServiceEntry using the waypoint + HTTPRoute (parent: the ServiceEntry) or VirtualService timeout" },
        enforcedBy: { sidecar: "sidecar", ambient: "waypoint" },
        ambient: "supported",
        note: "A waypoint is ambient's egress gateway: with istio.io/use-waypoint on the ServiceEntry, calls to the external host pass through it.",
        lessons: ["18-security"],
        sources: [{ ref: `${DOCS}/usage/egress-gateway/`, says: "in ambient mode, a waypoint proxy naturally acts as an egress gateway" }, GATEWAY_API_B4],
    },
    {
        key: "sourceLabels",
        title: "Routes matched on the caller's labels (sourceLabels)",
        objects: { sidecar: "VirtualService match.sourceLabels", ambient: "none supported" },
        enforcedBy: { sidecar: "sidecar", ambient: "nowhere" },
        ambient: "none",
        note: "A waypoint does not know the caller's pod labels: it drops sourceLabels matches (comment in listener_waypoint.go citing istio/istio#51565).",
        alternative: "match on something the request carries (a header) or keep the route on a sidecar stack",
        lessons: [],
        sources: [{ ref: "istio/istio pilot/pkg/networking/core/listener_waypoint.go (1.30.3), istio/istio#51565", says: "sourceLabels matches are dropped in waypoint routes" }],
    },
];

export function feature(key: FeatureKey): Feature {
    const f = FEATURES.find((x) => x.key === key);
    if (!f) throw new Error(`no feature ${key}`);
    return f;
}

/** `lessons 12-fault-delay, 12-fault-abort` / `lesson 18-security` / `no lesson of the course`. */
export function lessonsText(f: Feature): string {
    if (f.lessons.length === 0) return "no lesson of the course";
    return `${f.lessons.length === 1 ? "lesson" : "lessons"} ${f.lessons.join(", ")}`;
}
