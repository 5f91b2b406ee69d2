import { parseImageReference } from "../../config/imageReference";
import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { apiFinding, ApiRule, containersOf } from "./rule";

const parsed = new Map<string, ReturnType<typeof parseImageReference>>();
function parseCached(image: string): ReturnType<typeof parseImageReference> {
    let r = parsed.get(image);
    if (!r) {
        if (parsed.size > 10_000) parsed.clear();
        r = parseImageReference(image);
        parsed.set(image, r);
    }
    return r;
}

/** A container image the kubelet can parse (Docker's reference grammar); the API server requires it set. */
export const containerImages: ApiRule = {
    code: "K8S007",
    name: "container images",
    kinds: ["Deployment"],
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        for (const [c, cPath] of containersOf(o)) {
            const image = c.image;
            if (typeof image !== "string" || image === "") {
                out.push(apiFinding(this, o, `${cPath}.image`, `container ${c.name} has no image`, `set the image`));
                continue;
            }
            const r = parseCached(image);
            if ("problem" in r) out.push(apiFinding(this, o, `${cPath}.image`, `image ${JSON.stringify(image)} ${r.problem}; the kubelet could not pull it`, `write [registry/]repository:tag, e.g. nginx:1.28.0-alpine`));
        }
        return out;
    },
};
