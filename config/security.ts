/** Mesh security settings: mTLS, who may call whom, local rate limits, and egress to external APIs. */

export type MtlsMode = "STRICT" | "PERMISSIVE" | "DISABLE";

export interface AuthorizationRule {
    /** Target Service; the policy selects its pods. */
    service: string;
    /** Callers as written in config (workload names, app labels, or `istio-ingressgateway`). */
    allowFrom: string[];
    /** Their mTLS identities, `cluster.local/ns/<ns>/sa/<serviceAccount>`. */
    principals: string[];
    /** L7: only these HTTP methods (e.g. GET) and paths (`/exact`, `/prefix*`) are allowed; the rest is denied. */
    methods?: string[];
    paths?: string[];
}

export interface RateLimitRule {
    service: string;
    /** Per pod of the service, enforced by its sidecar (Envoy local rate limit). */
    requestsPerSecond: number;
}

export interface ServiceEntryConfig {
    name: string;
    host: string;
    port: number;
    protocol: "HTTP" | "HTTPS" | "TLS";
    /** Timeout for calls from the mesh to this external API (HTTP only: a VirtualService timeout). */
    timeout?: string;
}

export interface SecurityConfig {
    /** PeerAuthentication `default` in the workload namespace; undefined = none (Istio's PERMISSIVE). */
    mtls?: MtlsMode;
    authorization: AuthorizationRule[];
    rateLimits: RateLimitRule[];
    egress: { gateway: boolean; serviceEntries: ServiceEntryConfig[] };
}
