/**
 * Container image references in Docker's reference grammar (distribution/reference, which the
 * kubelet and containerd parse): `[domain[:port]/]path[:tag][@digest]`, the path lower-case.
 */
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_MAX = 255;

export interface ImageReference {
    domain?: string;
    path: string;
    tag?: string;
    digest?: string;
}

/** The parts of `ref`, or why it is not a reference the container runtime can pull. */
export function parseImageReference(ref: string): ImageReference | { problem: string } {
    if (ref !== ref.trim() || /\s/.test(ref)) return { problem: "contains white space" };
    if (ref.endsWith(":")) return { problem: "has an empty tag (nothing after ':')" };
    if (ref.endsWith("@")) return { problem: "has an empty digest (nothing after '@')" };
    const m = REFERENCE.exec(ref);
    if (!m) {
        // The commonest mistake, named: Docker repositories are lower-case (a domain may not be).
        const name = ref.split("@")[0].replace(/:[^/]*$/, "");
        const parts = name.split("/");
        if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost")) parts.shift();
        if (parts.some((c) => /[A-Z]/.test(c))) return { problem: "has upper-case letters in the repository name (Docker repositories are lower-case)" };
        return { problem: "is not an image reference ([registry/]repository[:tag][@sha256:digest], lower-case repository)" };
    }
    const [, domain, path, tag, digest] = m;
    // A first component without a dot or port is a path component (docker.io/library/…), not a domain.
    if (domain !== undefined && !/[.:]/.test(domain) && domain !== "localhost" && /[A-Z]/.test(domain)) {
        return { problem: "has upper-case letters in the repository name (Docker repositories are lower-case)" };
    }
    if ((domain ? domain.length + 1 : 0) + path.length > NAME_MAX) return { problem: `has a name longer than ${NAME_MAX} characters` };
    return { ...(domain !== undefined ? { domain } : {}), path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Why `ref` is not a valid, pinned image (an explicit tag other than `latest`, or a digest), or undefined. */
export function imageProblem(ref: string): string | undefined {
    const r = parseImageReference(ref);
    if ("problem" in r) return r.problem;
    if (r.digest === undefined && (r.tag === undefined || r.tag === "latest")) return `is not pinned; give an explicit tag other than "latest" (e.g. nginx:1.28.0-alpine) or a @sha256 digest`;
    return undefined;
}
