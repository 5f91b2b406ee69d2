import { Node, show } from "../reader";
import { DEFAULT_VERSIONS, Versions } from "../versions";

/** `istio-mesh:versions`: per-stack overrides of the pinned versions. */
export function parseVersions(n: Node): Versions {
    n.object(Object.keys(DEFAULT_VERSIONS));
    const istio = n.child("istio").string(DEFAULT_VERSIONS.istio);
    if (!/^1\.\d+\.\d+$/.test(istio)) n.problems.add(`${n.path}.istio`, `${show(istio)} is not an Istio release; expected an exact version such as ${DEFAULT_VERSIONS.istio}`);
    return {
        istio,
        k3sImage: n.child("k3sImage").image(DEFAULT_VERSIONS.k3sImage),
        nginxImage: n.child("nginxImage").image(DEFAULT_VERSIONS.nginxImage),
    };
}
