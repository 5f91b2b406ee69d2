/** The k3d cluster as a k3d config file (k3d.io/v1alpha5, kind Simple) and the shell that drives k3d. */
import * as yaml from "js-yaml";
import type { K3dClusterConfig } from "../../config/types";
import type { Versions } from "../../config/versions";
import { k3dRegistries } from "./registryCache";

export function k3dConfig(c: K3dClusterConfig, versions: Versions): Record<string, unknown> {
    const registries = k3dRegistries(c);
    return {
        apiVersion: "k3d.io/v1alpha5",
        kind: "Simple",
        metadata: { name: c.name },
        servers: c.servers,
        agents: c.agents,
        image: versions.k3sImage,
        // The API listens on loopback only, at a fixed port, so the kubeconfig is stable.
        kubeAPI: { hostIP: "127.0.0.1", hostPort: String(c.apiPort) },
        // Host port → the gateway's nodePort, through k3d's load balancer (course: -p "8000:30000@loadbalancer").
        ports: [{ port: `${c.ingress.bindAddress}:${c.ingress.hostPort}:${c.ingress.nodePort}`, nodeFilters: ["loadbalancer"] }],
        options: {
            k3d: { wait: true, timeout: "300s" },
            // k3s's Traefik holds 80/443 on every node; the Istio gateway is the only ingress here.
            k3s: { extraArgs: [{ arg: "--disable=traefik", nodeFilters: ["server:*"] }] },
            // Like `k3d cluster create`: the course's kubectl commands work in context k3d-<name>.
            kubeconfig: { updateDefaultKubeconfig: true, switchCurrentContext: true },
        },
        // Docker Hub through the pull-through cache (or the user's mirror): one pull per image, not per node.
        ...(registries ? { registries } : {}),
    };
}

export function k3dConfigYaml(c: K3dClusterConfig, versions: Versions): string {
    return yaml.dump(k3dConfig(c, versions), { lineWidth: -1, noRefs: true });
}

/** Fails with what to install, and where, before k3d creates anything. */
export const PREFLIGHT = [
    `command -v docker >/dev/null 2>&1 || { echo "istio-mesh: 'docker' is not installed (or not on PATH). Install Docker Engine or Docker Desktop: https://docs.docker.com/get-docker/" >&2; exit 1; }`,
    `command -v k3d >/dev/null 2>&1 || { echo "istio-mesh: 'k3d' is not installed (or not on PATH). Install k3d v5: https://k3d.io/#installation" >&2; exit 1; }`,
    `docker info >/dev/null 2>&1 || { echo "istio-mesh: the Docker daemon does not answer ('docker info' failed). Start Docker (Docker Desktop, or 'sudo systemctl start docker') and check that your user may use it." >&2; exit 1; }`,
].join("\n");

/** The prerequisites alone (a step of their own that the image build waits for, as the cluster does). */
export function k3dPrerequisitesScript(): string {
    return `set -eu\n${PREFLIGHT}\n`;
}

/**
 * Reads the config from stdin. Creating an existing cluster name is fatal in k3d, hence replace = delete first.
 * `before` runs after the prerequisites, e.g. making sure the registry cache the config uses exists.
 */
export function k3dCreateScript(before = ""): string {
    return `set -eu\n${PREFLIGHT}\n${before}k3d cluster create --config -\n`;
}

/**
 * Runs when the command's scripts change but the cluster config does not (a config change replaces
 * the cluster instead). Without it @pulumi/command would re-run `create`, which k3d refuses for an
 * existing name; this only checks the cluster is still there. A missing one is recreated by
 * `npm run up`, which sees it before the engine runs (engine/k3dLifecycle.ts).
 */
export function k3dUpdateScript(c: K3dClusterConfig): string {
    return `k3d cluster get ${c.name} >/dev/null 2>&1 || { echo "istio-mesh: the k3d cluster '${c.name}' no longer exists (deleted outside Pulumi?). Run 'npm run up': it recreates the cluster and everything in it." >&2; exit 1; }\n`;
}

/** Pulumi name of the `k3d cluster create` command: the URN `npm run up` looks for in the state. */
export function clusterResourceName(c: K3dClusterConfig): string {
    return `${c.name}-cluster`;
}

/** Deleting a missing cluster exits 0 in k3d, so destroy is idempotent. */
export function k3dDeleteScript(c: K3dClusterConfig): string {
    return `k3d cluster delete ${c.name}\n`;
}

export function k3dKubeconfigScript(c: K3dClusterConfig): string {
    return `k3d kubeconfig get ${c.name}\n`;
}

export function kubeContext(c: K3dClusterConfig): string {
    return `k3d-${c.name}`;
}
