/**
 * A lab's footprint on the ambient data plane: the demo profile's requests for the node agents and
 * the waypoints (istio/istio manifests/helm-profiles/demo.yaml, release-1.30, read 2026-12: 10m CPU,
 * 40Mi memory) instead of the charts' production defaults (ztunnel 200m/512Mi per node, istio-cni
 * 100m/100Mi, a waypoint 100m/128Mi). Requests only: the charts' limits (a waypoint's 2 CPU / 1Gi) stay.
 */
export const AMBIENT_REQUESTS = { cpu: "10m", memory: "40Mi" } as const;
