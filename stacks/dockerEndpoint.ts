/**
 * Which Docker daemon the program builds images with: the one the Docker CLI talks to, so that the
 * build, the preflight (`docker info`) and k3d all use the same daemon. @pulumi/docker's Image does not
 * read Docker contexts (pulumi-docker provider/image.go configureDockerClient: the `host` config or
 * DOCKER_HOST, else /var/run/docker.sock and Docker Desktop's two user sockets; read 2026-12), so on
 * Colima, Rancher Desktop or Podman, where only the context names the socket, it found no daemon.
 */
import { spawnSync } from "child_process";
import * as path from "path";

export interface DockerEndpoint {
    /** e.g. unix:///Users/me/.colima/default/docker.sock, tcp://…, ssh://… */
    host: string;
    /** Directory with ca.pem, cert.pem and key.pem, for a context that stores TLS material. */
    certPath?: string;
    /** Where it came from, for messages: `DOCKER_HOST` or `context <name>`. */
    source: string;
}

export type RunCommand = (command: string, args: string[]) => { status: number | null; stdout: string; error?: string };

/** The fields of `docker context inspect` this reads (docker/cli context store metadata). */
interface ContextInspect {
    Name?: string;
    Endpoints?: { docker?: { Host?: string } };
    TLSMaterial?: { docker?: string[] };
    Storage?: { TLSPath?: string };
}

/**
 * As the Docker CLI resolves it: DOCKER_HOST wins over any context (docker/cli resolveContextName);
 * otherwise the context DOCKER_CONTEXT names, else the current one, which `docker context inspect`
 * with no name reports. Undefined when there is no docker CLI to ask: the provider then keeps its own
 * defaults, and the prerequisites step says what to install.
 */
export function dockerEndpoint(env: Record<string, string | undefined>, run: RunCommand): DockerEndpoint | undefined {
    if (env.DOCKER_HOST) return { host: env.DOCKER_HOST, source: "DOCKER_HOST" };
    const r = run("docker", ["context", "inspect"]);
    if (r.error || r.status !== 0) return undefined;
    let contexts: ContextInspect[];
    try {
        contexts = JSON.parse(r.stdout) as ContextInspect[];
    } catch {
        return undefined;
    }
    const c = Array.isArray(contexts) ? contexts[0] : undefined;
    const host = c?.Endpoints?.docker?.Host;
    if (!host) return undefined;
    const tls = (c.TLSMaterial?.docker?.length ?? 0) > 0 && c.Storage?.TLSPath ? { certPath: path.join(c.Storage.TLSPath, "docker") } : {};
    return { host, ...tls, source: `context ${c.Name ?? "(current)"}` };
}

/** `dockerEndpoint` on this machine (the `docker` on PATH, at most 10 s). */
export function dockerEndpointHere(env: Record<string, string | undefined> = process.env): DockerEndpoint | undefined {
    return dockerEndpoint(env, (command, args) => {
        const r = spawnSync(command, args, { encoding: "utf8", timeout: 10000, env: env as NodeJS.ProcessEnv });
        return { status: r.status, stdout: r.stdout ?? "", ...(r.error ? { error: r.error.message } : {}) };
    });
}
