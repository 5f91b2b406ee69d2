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
    },
    namespace: { name: "default" },
    workloads: {
        nginx: { labels: { app: "nginx", version: "A" }, replicas: 1, containerPort: 80, indexHtml: "Full Cycle A" },
        "nginx-b": { labels: { app: "nginx", version: "B" }, replicas: 1, containerPort: 80, indexHtml: "Full Cycle B" },
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

export const DEFAULT_RESOURCES = {
    requests: { cpu: "50m", memory: "32Mi" },
    // The course's limits for nginx.
    limits: { cpu: "500m", memory: "128Mi" },
} as const;
