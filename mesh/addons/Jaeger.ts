/**
 * Jaeger v2 all-in-one as typed objects (no official chart fits a one-pod lab): the same Services
 * Istio's samples/addons/jaeger.yaml creates — `tracing` (UI 80 → 16686, gRPC query 16685), `zipkin`
 * (9411) and `jaeger-collector` (OTLP 4317/4318, Jaeger and Zipkin receivers) — so Istio's docs,
 * `istioctl dashboard jaeger` and Kiali's defaults all find it.
 */
import * as yaml from "js-yaml";
import type { MeshConfig } from "../../config/types";
import { K8sObject, MANAGED_BY } from "../objects";
import { NO_SIDECAR } from "./endpoints";

export const JAEGER_NAME = "jaeger";
const LABELS = { app: JAEGER_NAME };

export const JAEGER_PORTS = {
    queryHttp: 16686,
    queryGrpc: 16685,
    otlpGrpc: 4317,
    otlpHttp: 4318,
    zipkin: 9411,
    jaegerGrpc: 14250,
    jaegerThriftHttp: 14268,
    health: 13133,
    metrics: 8888,
} as const;

/** Jaeger's UI and query API live under this path (as in Istio's sample), which Kiali's URL must carry. */
export const JAEGER_BASE_PATH = "/jaeger";

/** In-memory storage bounded by trace count: a laptop lab keeps recent traces, never fills a disk. */
const MAX_TRACES = 20000;

const RESOURCES = { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

const listen = (port: number) => `0.0.0.0:${port}`;

/** The collector config: OpenTelemetry Collector format, as Jaeger v2 reads it. */
export function jaegerConfig(): Record<string, unknown> {
    return {
        service: {
            extensions: ["jaeger_storage", "jaeger_query", "healthcheckv2"],
            pipelines: { traces: { receivers: ["otlp", "jaeger", "zipkin"], processors: ["batch"], exporters: ["jaeger_storage_exporter"] } },
            // Its own metrics on 8888, scraped through the pod's prometheus.io annotations.
            telemetry: { resource: { "service.name": JAEGER_NAME }, metrics: { level: "detailed", readers: [{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: JAEGER_PORTS.metrics } } } }] } },
        },
        extensions: {
            jaeger_storage: { backends: { memstore: { memory: { max_traces: MAX_TRACES } } } },
            jaeger_query: { base_path: JAEGER_BASE_PATH, storage: { traces: "memstore" } },
            healthcheckv2: { use_v2: true, http: { endpoint: listen(JAEGER_PORTS.health) } },
        },
        receivers: {
            otlp: { protocols: { grpc: { endpoint: listen(JAEGER_PORTS.otlpGrpc) }, http: { endpoint: listen(JAEGER_PORTS.otlpHttp) } } },
            jaeger: { protocols: { grpc: { endpoint: listen(JAEGER_PORTS.jaegerGrpc) }, thrift_http: { endpoint: listen(JAEGER_PORTS.jaegerThriftHttp) } } },
            zipkin: { endpoint: listen(JAEGER_PORTS.zipkin) },
        },
        processors: { batch: {} },
        exporters: { jaeger_storage_exporter: { trace_storage: "memstore" } },
    };
}

function svc(name: string, namespace: string, ports: { name: string; port: number; targetPort: number }[]): K8sObject {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace, labels: { ...LABELS, ...MANAGED_BY } },
        spec: { type: "ClusterIP", selector: { ...LABELS }, ports: ports.map((p) => ({ ...p, protocol: "TCP" })) },
    };
}

export interface JaegerObjects {
    configMap: K8sObject;
    deployment: K8sObject;
    /** UI and query API; Kiali reads traces from its gRPC port. */
    tracing: K8sObject;
    /** Jaeger speaks the Zipkin API; the name lets a Zipkin client find it. */
    zipkin: K8sObject;
    /** Where the proxies send spans (OTLP gRPC 4317, see Telemetry.ts). */
    collector: K8sObject;
}

export function jaegerObjects(cfg: MeshConfig): JaegerObjects {
    const ns = cfg.istio.namespace;
    const P = JAEGER_PORTS;
    const configMap: K8sObject = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: JAEGER_NAME, namespace: ns, labels: { ...LABELS, ...MANAGED_BY } },
        data: { "config.yaml": yaml.dump(jaegerConfig(), { lineWidth: -1, noRefs: true }) },
    };
    const probe = { httpGet: { path: "/status", port: P.health } };
    const deployment: K8sObject = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: JAEGER_NAME, namespace: ns, labels: { ...LABELS, ...MANAGED_BY } },
        spec: {
            replicas: 1,
            selector: { matchLabels: { ...LABELS } },
            template: {
                metadata: { labels: { ...LABELS, ...NO_SIDECAR }, annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(P.metrics) } },
                spec: {
                    containers: [
                        {
                            name: JAEGER_NAME,
                            image: cfg.versions.jaegerImage,
                            imagePullPolicy: "IfNotPresent",
                            args: ["--config", "/etc/jaeger/config.yaml"],
                            ports: [
                                { name: "http-query", containerPort: P.queryHttp },
                                { name: "grpc-query", containerPort: P.queryGrpc },
                                { name: "grpc-otel", containerPort: P.otlpGrpc },
                                { name: "http-otel", containerPort: P.otlpHttp },
                                { name: "http-zipkin", containerPort: P.zipkin },
                                { name: "grpc-jaeger", containerPort: P.jaegerGrpc },
                                { name: "http-jaeger", containerPort: P.jaegerThriftHttp },
                                { name: "http-health", containerPort: P.health },
                                { name: "http-metrics", containerPort: P.metrics },
                            ],
                            readinessProbe: probe,
                            livenessProbe: probe,
                            resources: { requests: { ...RESOURCES.requests }, limits: { ...RESOURCES.limits } },
                            volumeMounts: [{ name: "config", mountPath: "/etc/jaeger", readOnly: true }],
                        },
                    ],
                    volumes: [{ name: "config", configMap: { name: JAEGER_NAME } }],
                },
            },
        },
    };
    return {
        configMap,
        deployment,
        tracing: svc("tracing", ns, [
            { name: "http-query", port: 80, targetPort: P.queryHttp },
            { name: "grpc-query", port: P.queryGrpc, targetPort: P.queryGrpc },
        ]),
        zipkin: svc("zipkin", ns, [{ name: "http-zipkin", port: P.zipkin, targetPort: P.zipkin }]),
        collector: svc("jaeger-collector", ns, [
            { name: "jaeger-collector-http", port: P.jaegerThriftHttp, targetPort: P.jaegerThriftHttp },
            { name: "jaeger-collector-grpc", port: P.jaegerGrpc, targetPort: P.jaegerGrpc },
            { name: "http-zipkin", port: P.zipkin, targetPort: P.zipkin },
            { name: "grpc-otel", port: P.otlpGrpc, targetPort: P.otlpGrpc },
            { name: "http-otel", port: P.otlpHttp, targetPort: P.otlpHttp },
        ]),
    };
}
