/**
 * Mesh-wide tracing into Jaeger: istiod's meshConfig declares the Jaeger collector as an OpenTelemetry
 * extension provider, and the root-namespace Telemetry `mesh-default` selects it with the stack's
 * sampling percentage. Without the Telemetry resource the provider is declared but never used.
 */
import type { MeshConfig } from "../../config/types";
import type { K8sObject } from "../objects";
import { endpointOf, serviceFqdn } from "./endpoints";
import { jaegerObjects } from "./Jaeger";

export const TELEMETRY_API = "telemetry.istio.io/v1";
export const TRACING_PROVIDER = "jaeger";

export interface OpenTelemetryProvider {
    name: string;
    opentelemetry: { service: string; port: number };
}

/** The extension provider, pointed at the OTLP gRPC port of the rendered `jaeger-collector` Service. */
export function tracingProvider(collector: K8sObject): OpenTelemetryProvider {
    const e = endpointOf(collector, "grpc-otel");
    return { name: TRACING_PROVIDER, opentelemetry: { service: serviceFqdn(e), port: e.port } };
}

/** What istiodChart() merges into its values: nothing when Jaeger is off (no provider to send spans to). */
export function istiodTracingValues(cfg: MeshConfig): Record<string, unknown> {
    if (!cfg.addons.jaeger.enabled) return {};
    return { meshConfig: { enableTracing: true, extensionProviders: [tracingProvider(jaegerObjects(cfg).collector)] } };
}

/** `mesh-default` in the root namespace applies to every proxy that has no Telemetry of its own. */
export function meshDefaultTelemetry(cfg: MeshConfig, provider: OpenTelemetryProvider): K8sObject {
    return {
        apiVersion: TELEMETRY_API,
        kind: "Telemetry",
        metadata: { name: "mesh-default", namespace: cfg.istio.namespace },
        spec: { tracing: [{ providers: [{ name: provider.name }], randomSamplingPercentage: cfg.addons.tracing.samplingPercentage }] },
    };
}
