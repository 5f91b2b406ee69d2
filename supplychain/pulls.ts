/**
 * How many image pulls a cold dev `up` (a new k3d cluster) makes, per registry. Each k3d node is a
 * container with its own containerd and image store, so an image that runs on three nodes is pulled
 * three times, all from this machine's address; the host's Docker pulls the k3s, k3d and base images
 * once. A registry behind a pull-through cache is fetched from upstream once per image. Pure.
 */
import { Artifact, DOCKER_HUB } from "./artifacts";

export interface ClusterShape {
    servers: number;
    agents: number;
}

/** Docker Hub's limit for anonymous pulls: 10 per hour per IPv4 address or IPv6 /64 (docker/docs usage/_index.md, read 2026-12). */
export const DOCKER_HUB_ANONYMOUS_PULLS_PER_HOUR = 10;

/**
 * Docker Hub's limit for a free Personal account, logged in: 100 pulls per hour, per account (docker/docs
 * content/manuals/docker-hub/usage/_index.md @0d14e0d9, read 2026-12; an older revision said 40, and
 * before 2025 it was 200 per 6 hours). Pro, Team and Business accounts have no hourly limit.
 */
export const DOCKER_HUB_PERSONAL_PULLS_PER_HOUR = 100;

export interface ImagePulls {
    ref: string;
    registry: string;
    /** Upper bound: each node that may run one of its pods pulls it once. */
    pulls: number;
    by: "nodes" | "host" | "cache";
}

export interface PullCount {
    nodes: number;
    images: ImagePulls[];
    byRegistry: Record<string, number>;
    dockerHub: number;
    others: number;
    total: number;
}

/**
 * Upper bound of the pulls: a cluster image is pulled by at most min(its pods, nodes) nodes (every
 * node for the pause image and DaemonSets). Where the scheduler packs pods onto fewer nodes, fewer.
 */
export function coldUpPulls(artifacts: Artifact[], shape: ClusterShape, cachedRegistries: string[] = []): PullCount {
    const nodes = shape.servers + shape.agents;
    const cached = new Set(cachedRegistries.map((r) => (["index.docker.io", "registry-1.docker.io"].includes(r) ? DOCKER_HUB : r)));
    const images: ImagePulls[] = [];
    for (const a of artifacts) {
        const img = a.image;
        if (a.kind !== "image" || !img) continue;
        const ref = `${a.name}${a.version.includes(":") ? "@" : ":"}${a.version}`;
        if (img.puller === "host") images.push({ ref, registry: img.registry, pulls: 1, by: "host" });
        else if (cached.has(img.registry)) images.push({ ref, registry: img.registry, pulls: 1, by: "cache" });
        else {
            const pulls = img.pods === "every-node" ? nodes : Math.min(img.pods, nodes);
            if (pulls > 0) images.push({ ref, registry: img.registry, pulls, by: "nodes" });
        }
    }
    const byRegistry: Record<string, number> = {};
    for (const i of images) byRegistry[i.registry] = (byRegistry[i.registry] ?? 0) + i.pulls;
    const dockerHub = byRegistry[DOCKER_HUB] ?? 0;
    const total = images.reduce((n, i) => n + i.pulls, 0);
    return { nodes, images, byRegistry, dockerHub, others: total - dockerHub, total };
}

/** The line `up` prints before it starts: the Docker Hub figure against the anonymous limit, then the rest. */
export function pullsLine(stack: string, count: PullCount, cachedRegistries: string[] = [], dockerHubLogin = false): string {
    const others = Object.entries(count.byRegistry)
        .filter(([r]) => r !== DOCKER_HUB)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([r, n]) => `${r} ${n}`)
        .join(", ");
    const cache = cachedRegistries.length ? ` (through the pull-through cache: ${cachedRegistries.join(", ")})` : "";
    // Only the cache pulls with a login: the nodes' own pulls (no cache) are anonymous whatever docker login says.
    const login = dockerHubLogin && cachedRegistries.includes(DOCKER_HUB);
    const limit = login ? DOCKER_HUB_PERSONAL_PULLS_PER_HOUR : DOCKER_HUB_ANONYMOUS_PULLS_PER_HOUR;
    let line =
        `istio-mesh: a cold up of stack "${stack}" (a new cluster of ${count.nodes} node${count.nodes === 1 ? "" : "s"}) pulls up to ${count.dockerHub} image${count.dockerHub === 1 ? "" : "s"} from Docker Hub${cache} ` +
        (login ? `(logged in: a free account's limit is ${limit} an hour)` : `(anonymous limit: ${limit} an hour per IP address)`) +
        (count.others ? ` and ${count.others} from other registries (${others})` : "");
    if (count.dockerHub > limit) {
        line += cachedRegistries.includes(DOCKER_HUB)
            ? `. Beyond the limit the cache's pulls wait (toomanyrequests) until the hour has passed, unless the cache has a Docker Hub login (docs/cluster-registry-cache.md); a warm cache pulls none of them again`
            : `. Beyond the limit pods wait in ImagePullBackOff (toomanyrequests) until the hour has passed; the k3d nodes pull anonymously even after 'docker login' here (docs/pins.md)`;
    }
    return `${line}.\n`;
}
