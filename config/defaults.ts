/** servicex is a small node process: requests for scheduling, limits against a runaway. */
const SERVICEX_RESOURCES = { requests: { cpu: "10m", memory: "48Mi" }, limits: { cpu: "200m", memory: "128Mi" } } as const;

/** Istio's fortio sample: Envoy also serves these stats on :15000/stats (circuit-breaker counters). */
const FORTIO_PROXY_CONFIG = ["proxyStatsMatcher:", "  inclusionPrefixes:", ...["cluster.outbound", "cluster_manager", "listener_manager", "server", "cluster.xds-grpc"].map((p) => `  - "${p}"`)].join("\n");

/**
 * The course's lab, written in the same shape a user writes in `Pulumi.<stack>.yaml`. With no
 * `istio-mesh:*` config at all, a stack deploys exactly this. User config is merged over it one
 * level deep: a workload or service entry the user sets replaces the default entry's fields one by
 * one (a field the user sets replaces that field whole), and `null` removes a default entry.
 */
export const COURSE_DEFAULTS = {
    cluster: {
        kind: "k3d",
        name: "istio-mesh",
        agents: 2,
        ingress: { hostPort: 8000, nodePort: 30000, bindAddress: "127.0.0.1" },
        apiPort: 6550,
        // Docker Hub pull-through cache for the nodes (docs/cluster-registry-cache.md). 5111 is the port of
        // k3d's own `registry create --port` example; the name and volume are shared by every dev stack.
        registryCache: { enabled: true, name: "istio-mesh-cache", hostPort: 5111, volume: "istio-mesh-cache" },
    },
    namespace: { name: "default" },
    workloads: {
        nginx: { labels: { app: "nginx", version: "A" }, replicas: 1, containerPort: 80, indexHtml: "Full Cycle A" },
        "nginx-b": { labels: { app: "nginx", version: "B" }, replicas: 1, containerPort: 80, indexHtml: "Full Cycle B" },
        // Circuit-breaker lab (scenario 7): the same app twice, healthy and failing, behind servicex-service.
        servicex: { appImage: "servicex", labels: { app: "servicex", version: "200" }, replicas: 1, containerPort: 8000, probePath: "/healthz", resources: SERVICEX_RESOURCES },
        "servicex-error": {
            appImage: "servicex",
            labels: { app: "servicex", version: "504" },
            replicas: 1,
            containerPort: 8000,
            // Waits 5 s, then 504 (apps/servicex); MESH003 reads this env.
            env: { error: "yes" },
            probePath: "/healthz",
            resources: SERVICEX_RESOURCES,
        },
        // Load client inside the mesh (scenario 8), as Istio's samples/httpbin/sample-client/fortio-deploy.yaml.
        "fortio-deploy": {
            labels: { app: "fortio" },
            replicas: 1,
            containerName: "fortio",
            containerPort: 8080,
            // The image's default command, explicit so the pod runs the same whatever the image's CMD.
            args: ["server"],
            annotations: { "proxy.istio.io/config": FORTIO_PROXY_CONFIG },
            // Unthrottled enough for `fortio load -qps 0`.
            resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "1", memory: "256Mi" } },
        },
    },
    services: {
        "nginx-service": {
            selector: { app: "nginx" },
            port: 8000,
            targetPort: 80,
            destinationRule: "nginx-dr",
            subsets: { v1: { version: "A" }, v2: { version: "B" } },
            virtualService: "nginx-vs",
            weights: { v1: 90, v2: 10 },
        },
        // Scenario 13: the course's DestinationRule circuit-breaker-servicex. The host follows the
        // configured namespace (courseServices); `trafficPolicy: null` replays the run without a breaker.
        "servicex-service": {
            selector: { app: "servicex" },
            port: 80,
            targetPort: 8000,
            destinationRule: { name: "circuit-breaker-servicex", host: "servicex-service.default.svc.cluster.local" },
            trafficPolicy: { outlierDetection: { consecutiveGatewayErrors: 5, interval: "20s", baseEjectionTime: "30s", maxEjectionPercent: 100 } },
        },
        fortio: { selector: { app: "fortio" }, port: 8080, targetPort: 8080 },
    },
    ingress: {
        gateway: "ingress-gateway-k3d",
        port: 80,
        hosts: ["*"],
        virtualServices: {
            "nginx-ingress": { hosts: ["*"], service: "nginx-service" },
        },
    },
} as const;

/**
 * The default services for a workload namespace: the course applied everything to `default`, so a
 * default DestinationRule host written as an FQDN in `default` is moved to the configured namespace.
 */
export function courseServices(namespace: string): Record<string, unknown> {
    const suffix = ".default.svc.cluster.local";
    return Object.fromEntries(
        Object.entries(COURSE_DEFAULTS.services).map(([name, s]) => {
            const dr = (s as { destinationRule?: unknown }).destinationRule;
            if (typeof dr !== "object" || dr === null || !("host" in dr) || typeof dr.host !== "string" || !dr.host.endsWith(suffix)) return [name, s];
            return [name, { ...s, destinationRule: { ...dr, host: `${dr.host.slice(0, -suffix.length)}.${namespace}.svc.cluster.local` } }];
        }),
    );
}

/** Workloads whose image is a pinned version other than nginx's (istio-mesh:versions). */
export const DEFAULT_WORKLOAD_IMAGES: Record<string, "fortioImage"> = { "fortio-deploy": "fortioImage" };

export const DEFAULT_RESOURCES = {
    requests: { cpu: "50m", memory: "32Mi" },
    // The course's limits for nginx.
    limits: { cpu: "500m", memory: "128Mi" },
} as const;
