/** The course's fortio runs (scenarios 8 and 13) as ready-to-paste commands for the stack's context and namespace. */
import type { MeshConfig, ServiceConfig } from "../config/types";

/** `http://<service>[:port]`, as the course typed it (port 80 left out). */
function url(s: ServiceConfig): string {
    return `http://${s.name}${s.port === 80 ? "" : `:${s.port}`}`;
}

/** Empty when the stack runs no fortio (a workload labelled `app: fortio`). */
export function fortioCommands(cfg: MeshConfig, kubeContext: string): Record<string, string> {
    const fortio = cfg.workloads.find((w) => w.labels.app === "fortio");
    if (!fortio) return {};
    const k = `kubectl --context ${kubeContext} -n ${cfg.namespace.name}`;
    const load = (args: string, s: ServiceConfig) => `${k} exec "$FORTIO_POD" -c ${fortio.containerName ?? fortio.name} -- /usr/bin/fortio load ${args} -loglevel Warning ${url(s)}`;
    const service = (name: string) => cfg.services.find((s) => s.name === name);
    const nginx = service("nginx-service");
    const servicex = service("servicex-service");
    return {
        fortioPod: `export FORTIO_POD=$(${k} get pods -l app=${fortio.labels.app} -o 'jsonpath={.items[0].metadata.name}')`,
        // 200 s of load at max qps over 2 connections: canary split, load balancing, faults.
        ...(nginx ? { fortioLoadNginx: load("-c 2 -qps 0 -t 200s", nginx) } : {}),
        // 200 calls: with the breaker, the 504 pod is ejected after consecutiveGatewayErrors failures.
        ...(servicex ? { fortioLoadServicex: load("-c 2 -qps 0 -n 200", servicex) } : {}),
    };
}
