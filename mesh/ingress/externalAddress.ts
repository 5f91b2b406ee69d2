/**
 * Where the ingress gateway answers from outside the cluster. On k3d: the host port k3d's load balancer
 * forwards to the gateway's nodePort. On a cloud cluster: the gateway Service's own HTTP port on the
 * cloud load balancer, whose hostname or IP is known only once the cloud has assigned it.
 */
import type { MeshConfig } from "../../config/types";
import { gatewayServicePorts } from "../istio/charts";

/**
 * The port a browser uses for the gateway's plain-HTTP listener: k3d's host port; on an existing
 * cluster the nodePort or the port-forward's local port; on a load balancer the Service's own port.
 */
export function externalHttpPort(cfg: MeshConfig): number {
    if (cfg.cluster.kind === "k3d") return cfg.cluster.ingress.hostPort;
    const svc = cfg.istio.gatewayService;
    if (svc.type === "NodePort") return svc.httpNodePort;
    if (svc.type === "ClusterIP" && cfg.cluster.kind === "kubeconfig") return cfg.cluster.ingress.localPort;
    const http = gatewayServicePorts(cfg).find((p) => p.name === "http2");
    if (!http) throw new Error("the ingress gateway Service has no http2 port");
    return http.port as number;
}

/** `kubectl port-forward` to the gateway Service's HTTP port, for a ClusterIP gateway (undefined otherwise). */
export function ingressPortForward(cfg: MeshConfig, kubeContext: string): string | undefined {
    if (cfg.istio.gatewayService.type !== "ClusterIP") return undefined;
    const http = gatewayServicePorts(cfg).find((p) => p.name === "http2")!;
    return `kubectl --context ${kubeContext} -n ${cfg.istio.namespace} port-forward svc/${cfg.istio.gatewayRelease} ${externalHttpPort(cfg)}:${http.port}`;
}

/** `http://host[:port]path`, leaving out the default port 80. */
export function httpUrl(host: string, port: number, path = ""): string {
    return `http://${host}${port === 80 ? "" : `:${port}`}${path}`;
}

/** The part of a Service's status a LoadBalancer fills in (core/v1 LoadBalancerStatus). */
export interface LoadBalancerStatus {
    loadBalancer?: { ingress?: { hostname?: string; ip?: string }[] };
}

/**
 * The ingress URL from the gateway Service's status: AWS gives a hostname, most other clouds an IP.
 * Undefined while the load balancer is still being provisioned.
 */
export function ingressUrlFromStatus(status: LoadBalancerStatus | undefined, port: number): string | undefined {
    const first = status?.loadBalancer?.ingress?.[0];
    const host = first?.hostname ?? first?.ip;
    return host ? httpUrl(host, port) : undefined;
}
