/**
 * Mesh policies in Istio's own field names, so a reader of Istio's docs recognises them. Values are
 * validated when read (config/sections/trafficPolicy.ts, httpPolicy.ts) and rendered almost verbatim.
 */

export type SimpleLB = "ROUND_ROBIN" | "RANDOM" | "LEAST_REQUEST" | "PASSTHROUGH";

export interface ConsistentHashConfig {
    httpHeaderName?: string;
    httpCookie?: { name: string; path?: string; ttl?: string };
    useSourceIp?: boolean;
    httpQueryParameterName?: string;
    ringHash?: { minimumRingSize?: number };
    maglev?: { tableSize?: number };
}

/** DestinationRule `trafficPolicy.loadBalancer`: `simple` or `consistentHash`. */
export interface LoadBalancerConfig {
    simple?: SimpleLB;
    consistentHash?: ConsistentHashConfig;
}

/** DestinationRule `trafficPolicy.outlierDetection`: the circuit breaker. */
export interface OutlierDetectionConfig {
    consecutive5xxErrors?: number;
    consecutiveGatewayErrors?: number;
    interval?: string;
    baseEjectionTime?: string;
    maxEjectionPercent?: number;
    minHealthPercent?: number;
}

/** DestinationRule `trafficPolicy.connectionPool`. */
export interface ConnectionPoolConfig {
    tcp?: { maxConnections?: number; connectTimeout?: string };
    http?: { http1MaxPendingRequests?: number; http2MaxRequests?: number; maxRequestsPerConnection?: number; maxRetries?: number; idleTimeout?: string };
}

export interface TrafficPolicyConfig {
    loadBalancer?: LoadBalancerConfig;
    connectionPool?: ConnectionPoolConfig;
    outlierDetection?: OutlierDetectionConfig;
}

/** VirtualService `http[].fault`; percentages are 0–100 (rendered as `percentage: {value}`). */
export interface FaultConfig {
    delay?: { fixedDelay: string; percentage: number };
    abort?: { httpStatus: number; percentage: number };
}

/** VirtualService `http[].retries`. */
export interface RetriesConfig {
    attempts: number;
    perTryTimeout?: string;
    retryOn?: string;
}

/** What a VirtualService http route may add to its destinations. */
export interface HttpPolicyConfig {
    fault?: FaultConfig;
    retries?: RetriesConfig;
    timeout?: string;
}

/**
 * Opt-in sticky canary (istio/istio#9764: consistent hashing cannot keep a user on one of several
 * weighted subsets). First requests are split by weight; the response pins the chosen subset in a
 * cookie (or header) and later requests carrying it are routed to that subset.
 */
export interface StickyCanaryConfig {
    cookie?: string;
    header?: string;
    /** Cookie lifetime, e.g. "1h". */
    ttl: string;
}
