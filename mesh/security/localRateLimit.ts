import type { RateLimitRule } from "../../config/security";
import type { ServiceConfig } from "../../config/types";
import { K8sObject } from "../objects";

/**
 * Envoy's local rate limit on the service's inbound sidecar listener, as Istio documents it
 * (tasks/policy-enforcement/rate-limit, "Local rate limit"): a token bucket refilled every second
 * with `requestsPerSecond` tokens, per pod. Over the limit the sidecar answers 429.
 * EnvoyFilter is only served as v1alpha3.
 */
export function localRateLimit(rule: RateLimitRule, service: ServiceConfig, namespace: string): K8sObject {
    const rps = rule.requestsPerSecond;
    const always = (key: string) => ({ runtime_key: key, default_value: { numerator: 100, denominator: "HUNDRED" } });
    return {
        apiVersion: "networking.istio.io/v1alpha3",
        kind: "EnvoyFilter",
        metadata: { name: `${rule.service}-local-ratelimit`, namespace },
        spec: {
            workloadSelector: { labels: { ...service.selector } },
            configPatches: [
                {
                    applyTo: "HTTP_FILTER",
                    match: { context: "SIDECAR_INBOUND", listener: { filterChain: { filter: { name: "envoy.filters.network.http_connection_manager" } } } },
                    patch: {
                        operation: "INSERT_BEFORE",
                        value: {
                            name: "envoy.filters.http.local_ratelimit",
                            typed_config: {
                                "@type": "type.googleapis.com/udpa.type.v1.TypedStruct",
                                type_url: "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit",
                                value: {
                                    stat_prefix: "http_local_rate_limiter",
                                    token_bucket: { max_tokens: rps, tokens_per_fill: rps, fill_interval: "1s" },
                                    filter_enabled: always("local_rate_limit_enabled"),
                                    filter_enforced: always("local_rate_limit_enforced"),
                                    response_headers_to_add: [{ append_action: "OVERWRITE_IF_EXISTS_OR_ADD", header: { key: "x-local-rate-limit", value: "true" } }],
                                },
                            },
                        },
                    },
                },
            ],
        },
    };
}
