/**
 * What the lab downloads, as plain data: Helm charts, container images, the Pulumi CLI and its
 * provider plugins. The inventory (inventory.ts) lists them; the checks (check.ts) ask whether each
 * is still where the pins say; the pull count (pulls.ts) counts the image pulls of a cold `up`. Pure.
 */
import { parseImageReference } from "../config/imageReference";

/** `manifest`: a YAML file applied as it is downloaded (the Gateway API CRDs' release manifest). */
export type ArtifactKind = "chart" | "image" | "cli" | "plugin" | "manifest";

/** Who fetches an image: a k3d/EKS node's containerd (`cluster`), or the Docker daemon of this machine (`host`). */
export type Puller = "cluster" | "host";

/** How many pods run an image: a number (at most one pull per node each), or every node of the cluster. */
export type PodCount = number | "every-node";

export interface ImageDetails {
    /** `docker.io`, `ghcr.io`, `quay.io`, … (Docker Hub is always `docker.io`). */
    registry: string;
    /** Repository under the registry, with `library/` for Docker Hub's official images. */
    repository: string;
    /** Tag or `sha256:…` digest. */
    reference: string;
    puller: Puller;
    /** Pods that run it (cluster images only). */
    pods: PodCount;
}

export interface Artifact {
    kind: ArtifactKind;
    /** Chart name; image `registry/repository`; `pulumi`; plugin name. */
    name: string;
    /** Chart version; image tag or digest; CLI or plugin version. */
    version: string;
    /** Chart repository URL or `oci://` ref without the chart name; image registry; download URL. */
    location: string;
    /** Why the lab needs it (one sentence, for the table). */
    why: string;
    /** Stacks that need it. */
    stacks: string[];
    image?: ImageDetails;
    /**
     * Set when the table of what a chart or k3s version deploys did not have this exact version and a
     * neighbour's entry was used (its version named here), or when nothing is known at all.
     */
    approximate?: string;
}

/** One line of an inventory that is not an artifact but a gap in what istio-mesh knows. */
export interface InventoryNote {
    stack: string;
    text: string;
}

/** `chart base 1.30.4 @ https://…` identity: the same artifact from two stacks is one row. */
export function artifactKey(a: Pick<Artifact, "kind" | "name" | "version" | "location">): string {
    return `${a.kind} ${a.location} ${a.name} ${a.version}`;
}

/** How the artifact is usually written: `docker.io/istio/pilot:1.30.4`, `base 1.30.4`, `pulumi v3.248.0`. */
export function artifactLabel(a: Pick<Artifact, "kind" | "name" | "version">): string {
    if (a.kind === "image") return `${a.name}${a.version.includes(":") ? "@" : ":"}${a.version}`;
    if (a.kind === "chart" || a.kind === "manifest") return `${a.name} ${a.version}`;
    return `${a.name} v${a.version}`;
}

export const DOCKER_HUB = "docker.io";

/**
 * An image reference as containerd resolves it: no domain → Docker Hub, a one-part Docker Hub name →
 * `library/<name>`, Docker Hub's other spellings → `docker.io`. Undefined when it is no reference.
 */
export function normalizeImage(ref: string): { registry: string; repository: string; reference: string; ref: string } | undefined {
    const r = parseImageReference(ref);
    if ("problem" in r) return undefined;
    // distribution/reference: a first part without a dot or port (and not `localhost`) is a path on Docker Hub.
    const isDomain = r.domain !== undefined && (/[.:]/.test(r.domain) || r.domain === "localhost");
    const path = r.domain !== undefined && !isDomain ? `${r.domain}/${r.path}` : r.path;
    let registry = isDomain ? r.domain! : DOCKER_HUB;
    if (["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"].includes(registry.toLowerCase())) registry = DOCKER_HUB;
    const repository = registry === DOCKER_HUB && !path.includes("/") ? `library/${path}` : path;
    const reference = r.digest ?? r.tag ?? "latest";
    return { registry, repository, reference, ref: `${registry}/${repository}${r.digest ? `@${r.digest}` : `:${reference}`}` };
}
