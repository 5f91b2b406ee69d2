/**
 * The registry cache's host port, checked with the cluster's before `up` creates anything
 * (preflight/preflight.ts). A cache that already runs on that port holds it itself.
 */
import type { MeshConfig } from "../config/types";
import { cacheContainer } from "../mesh/k3d/registryCache";
import type { System } from "./system";

const KEY = "istio-mesh:cluster.registryCache.hostPort";

export async function registryCachePortProblems(cfg: MeshConfig, sys: System): Promise<string[]> {
    if (cfg.cluster.kind !== "k3d" || !cfg.cluster.registryCache) return [];
    const { hostPort } = cfg.cluster.registryCache;
    // The host port(s) the existing cache container publishes, if there is one.
    const r = sys.exec("docker", ["container", "inspect", "-f", "{{range $p, $b := .HostConfig.PortBindings}}{{range $b}}{{.HostPort}} {{end}}{{end}}", cacheContainer(cfg.cluster.registryCache)], 15000);
    if (!r.error && r.status === 0 && r.stdout.trim().split(/\s+/).includes(String(hostPort))) return [];
    const busy = await sys.portBusy("127.0.0.1", hostPort);
    if (!busy) return [];
    return [
        `port 127.0.0.1:${hostPort} (${KEY}, for the Docker Hub registry cache) is ${busy} on this machine: stop what listens there (e.g. 'lsof -i :${hostPort}'), ` +
            `or choose another port with pulumi config set --path '${KEY}' <port>`,
    ];
}
