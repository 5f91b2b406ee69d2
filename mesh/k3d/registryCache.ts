/**
 * The dev cluster's Docker Hub pull-through cache and mirror, as k3d config and shell (pure; read from
 * k3d v5.9.0's sources, 2026-12: cmd/registry/registryCreate.go, pkg/client/registry.go, pkg/client/cluster.go).
 *
 * - `k3d registry create <name>` runs `docker.io/library/registry` in proxy mode as container `k3d-<name>`,
 *   listening on port 5000 inside, published on the host port given with `--port`.
 * - `registries.use: [k3d-<name>:5000]` in the cluster config makes k3d find that container by name and
 *   connect it to the cluster's network (ClusterPrep → RegistryConnectNetworks): the nodes reach it as
 *   `k3d-<name>:5000`, never through the host port. k3d reads the port from the container, not from this
 *   reference; 5000 is what its docs write and the port the nodes use.
 * - `registries.config` (a registries.yaml text, merged over what k3d generates) points the nodes'
 *   containerd at the cache (or the user's mirror) for `docker.io`. containerd still falls back to Docker
 *   Hub itself when the endpoint fails (k3s "Default Endpoint Fallback").
 * - `k3d cluster delete` leaves a registry that was not created with the cluster (no `k3d.cluster` label):
 *   it only disconnects it from the cluster's network. Its named volume survives `k3d registry delete` too.
 */
import type { K3dClusterConfig, MeshConfig, RegistryCacheConfig, RegistryMirrorConfig } from "../../config/types";

/** The registry's port inside its container (k3d `DefaultRegistryPort`). */
export const REGISTRY_PORT = 5000;
/** Docker Hub's registry API; `docker.io` images are pulled from here. */
export const DOCKER_HUB_REMOTE = "https://registry-1.docker.io";
/** Where the registry image keeps blobs (k3d `DefaultRegistryMountPath`). */
export const REGISTRY_DATA = "/var/lib/registry";

/** Environment of the commands: values never appear in a script or on the command line of the script itself. */
export const CACHE_USERNAME_ENV = "ISTIO_MESH_CACHE_USERNAME";
export const CACHE_PASSWORD_ENV = "ISTIO_MESH_CACHE_PASSWORD";
/** The engine's environment the program reads the host's own Docker Hub login from (engine/dockerHubLogin.ts → stacks/machine.ts). */
export const HOST_LOGIN_ENV = { username: "ISTIO_MESH_HOST_DOCKERHUB_USERNAME", password: "ISTIO_MESH_HOST_DOCKERHUB_PASSWORD" } as const;
export const MIRROR_USERNAME_ENV = "ISTIO_MESH_MIRROR_USERNAME";
export const MIRROR_PASSWORD_ENV = "ISTIO_MESH_MIRROR_PASSWORD";

/** k3d prefixes every object it names. */
export const cacheContainer = (cache: RegistryCacheConfig): string => `k3d-${cache.name}`;

/** The endpoint the nodes' containerd pulls through: the container on the cluster network, plain http. */
export const cacheEndpoint = (cache: RegistryCacheConfig): string => `http://${cacheContainer(cache)}:${REGISTRY_PORT}`;

/**
 * The registries.yaml text of the nodes. Values are JSON strings (valid YAML double-quoted scalars); a
 * mirror's login is written as `${VAR}`, which `k3d cluster create --config -` expands from the command's
 * environment (cmd/util/config/config.go: os.ExpandEnv over the whole file), where it is JSON-encoded too,
 * so any character of a password survives both YAML readings.
 */
function registriesYaml(endpoint: string, auth?: { host: string }): string {
    const lines = ["mirrors:", "  docker.io:", "    endpoint:", `      - ${JSON.stringify(endpoint)}`];
    if (auth) lines.push("configs:", `  ${JSON.stringify(auth.host)}:`, "    auth:", `      username: \${${MIRROR_USERNAME_ENV}}`, `      password: \${${MIRROR_PASSWORD_ENV}}`);
    return lines.join("\n") + "\n";
}

/** The `registries:` block of the k3d config, or undefined when the nodes pull Docker Hub directly. */
export function k3dRegistries(c: K3dClusterConfig): { use?: string[]; config: string } | undefined {
    if (c.registryMirror) return { config: registriesYaml(c.registryMirror.url, c.registryMirror.password !== undefined ? c.registryMirror : undefined) };
    if (c.registryCache) return { use: [`${cacheContainer(c.registryCache)}:${REGISTRY_PORT}`], config: registriesYaml(cacheEndpoint(c.registryCache)) };
    return undefined;
}

/**
 * The environment `k3d cluster create` needs for the `${VAR}`s of its config: the mirror's login, each a
 * JSON string (see registriesYaml). The caller marks the password secret.
 */
export function mirrorEnvironment(m: RegistryMirrorConfig): Record<string, string> {
    if (m.username === undefined || m.password === undefined) return {};
    return { [MIRROR_USERNAME_ENV]: JSON.stringify(m.username), [MIRROR_PASSWORD_ENV]: JSON.stringify(m.password) };
}

/** The cache's Docker Hub login for `k3d registry create`, plain (the shell quotes it). The caller marks the password secret. */
export function cacheEnvironment(cache: RegistryCacheConfig): Record<string, string> {
    if (cache.username === undefined || cache.password === undefined) return {};
    return { [CACHE_USERNAME_ENV]: cache.username, [CACHE_PASSWORD_ENV]: cache.password };
}

/** Single-quoted for sh; config validation already keeps these names to plain characters. */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** What `docker container inspect -f` prints for a cache created as configured (image, host port, volume). */
const SETTINGS_FORMAT =
    `image={{.Config.Image}} port={{range $p, $b := .HostConfig.PortBindings}}{{$p}}={{range $b}}{{.HostIp}}:{{.HostPort}}{{end}}{{end}} ` +
    `volume={{range .Mounts}}{{if eq .Destination "${REGISTRY_DATA}"}}{{.Name}}:{{.Destination}}{{end}}{{end}}`;

export function cacheSettings(cache: RegistryCacheConfig, image: string): string {
    return `image=${image} port=${REGISTRY_PORT}/tcp=127.0.0.1:${cache.hostPort} volume=${cache.volume}:${REGISTRY_DATA}`;
}

/**
 * Makes sure the cache runs as configured, idempotently (k3d refuses a second `registry create` of a name):
 * - none yet → pull its image with the docker CLI (which, unlike k3d's own pull, uses the host's `docker
 *   login`), then `k3d registry create`;
 * - one with these settings → start it if stopped, reuse it;
 * - one of ours with other settings (image, host port, volume, login) → delete and create it again: the
 *   named volume, and so every cached image, stays;
 * - a container of that name that is not a Docker Hub cache → refuse, touching nothing.
 * Then, if the cluster's network exists (a cache re-created under a running cluster), connect it there.
 * The password reaches k3d as `--proxy-password "$VAR"`: k3d v5.9.0 takes it only as a flag (no env,
 * no file), so it is on k3d's command line while `registry create` runs, and in the registry container's
 * environment (REGISTRY_PROXY_PASSWORD), as k3d passes it to the registry. It is in no script or log.
 * Runs in a subshell with stdin closed, so it can precede `k3d cluster create --config -`.
 */
export function registryCacheEnsureScript(cache: RegistryCacheConfig, clusterName: string, image: string): string {
    const name = cacheContainer(cache);
    const withLogin = cache.username !== undefined && cache.password !== undefined;
    const fix = `remove it ('k3d registry delete ${name}') or set another istio-mesh:cluster.registryCache.name`;
    return [
        "(",
        "set -eu",
        `name=${q(name)}`,
        `net=${q(`k3d-${clusterName}`)}`,
        `want=${q(cacheSettings(cache, image))}`,
        `want_user=${withLogin ? `"$${CACHE_USERNAME_ENV}"` : "''"}`,
        `want_password=${withLogin ? `"$${CACHE_PASSWORD_ENV}"` : "''"}`,
        // One variable of the container's environment, without putting any value on a command line.
        `env_of() { docker container inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$name" | sed -n "s/^$1=//p"; }`,
        `connect() {`,
        `  docker network inspect "$net" >/dev/null 2>&1 || return 0`,
        `  case " $(docker container inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$name") " in *" $net "*) ;; *) docker network connect "$net" "$name" ;; esac`,
        `}`,
        `create=yes`,
        `if docker container inspect "$name" >/dev/null 2>&1; then`,
        `  if [ "$(docker container inspect -f '{{index .Config.Labels "k3d.role"}}' "$name")" != registry ] || [ "$(env_of REGISTRY_PROXY_REMOTEURL)" != ${q(DOCKER_HUB_REMOTE)} ]; then`,
        `    echo "istio-mesh: the container $name exists but is not a k3d pull-through cache of Docker Hub; nothing was changed: ${fix}" >&2`,
        `    exit 1`,
        `  fi`,
        `  if [ "$(docker container inspect -f ${q(SETTINGS_FORMAT)} "$name")" = "$want" ] && [ "$(env_of REGISTRY_PROXY_USERNAME)" = "$want_user" ] && [ "$(env_of REGISTRY_PROXY_PASSWORD)" = "$want_password" ]; then`,
        `    create=no`,
        `    docker start "$name" >/dev/null`,
        `    echo "istio-mesh: reusing the registry cache $name (volume ${cache.volume})"`,
        `  else`,
        `    echo "istio-mesh: the registry cache $name has other settings than the stack's (image, port, volume or login): creating it again; its volume ${cache.volume}, and the images in it, stay" >&2`,
        `    k3d registry delete "$name"`,
        `  fi`,
        `fi`,
        `if [ "$create" = yes ]; then`,
        `  docker image inspect ${q(image)} >/dev/null 2>&1 || docker pull ${q(image)}`,
        `  k3d registry create ${q(cache.name)} --image ${q(image)} --port ${q(`127.0.0.1:${cache.hostPort}`)} --volume ${q(`${cache.volume}:${REGISTRY_DATA}`)} ` +
            `--proxy-remote-url ${q(DOCKER_HUB_REMOTE)}${withLogin ? ` --proxy-username "$${CACHE_USERNAME_ENV}" --proxy-password "$${CACHE_PASSWORD_ENV}"` : ""} --no-help`,
        `fi`,
        `connect`,
        ") </dev/null",
        "",
    ].join("\n");
}

/**
 * Registries whose images a cold `up` pulls once (through the cache or the user's mirror) instead of once
 * per node: `["docker.io"]` when the k3d nodes pull Docker Hub through either, else none.
 */
export function cachedRegistries(cfg: Pick<MeshConfig, "cluster">): string[] {
    const c = cfg.cluster;
    return c.kind === "k3d" && (c.registryCache || c.registryMirror) ? ["docker.io"] : [];
}

/** What `down` leaves behind on purpose, and how to remove it; undefined when there is no cache. */
export function registryCacheKeptNotice(cfg: Pick<MeshConfig, "cluster">): string | undefined {
    const c = cfg.cluster;
    if (c.kind !== "k3d" || !c.registryCache) return undefined;
    const name = cacheContainer(c.registryCache);
    return (
        `istio-mesh: the registry cache ${name} and its volume ${c.registryCache.volume} were kept, so the next up pulls nothing Docker Hub already sent. ` +
        `To remove them: k3d registry delete ${name} && docker volume rm ${c.registryCache.volume}\n`
    );
}
