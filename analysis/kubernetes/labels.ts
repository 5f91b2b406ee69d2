import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { apiFinding, ApiRule, Spec } from "./rule";
import { labelValue, qualifiedName } from "./validation";

/** Total size of an object's annotations (keys + values), ValidateAnnotations' limit. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** Every label map of an object: its own, a selector's, a pod template's. */
function labelMaps(o: K8sObject): [Record<string, unknown>, string][] {
    const spec = (o.spec ?? {}) as Spec;
    const maps: [unknown, string][] = [
        [o.metadata?.labels, "metadata.labels"],
        [o.kind === "Service" ? spec.selector : undefined, "spec.selector"],
        [spec.selector?.matchLabels, "spec.selector.matchLabels"],
        [spec.template?.metadata?.labels, "spec.template.metadata.labels"],
    ];
    return maps.filter((m): m is [Record<string, unknown>, string] => !!m[0] && typeof m[0] === "object");
}

function annotationMaps(o: K8sObject): [Record<string, unknown>, string][] {
    const maps: [unknown, string][] = [
        [o.metadata?.annotations, "metadata.annotations"],
        [(o.spec as Spec | undefined)?.template?.metadata?.annotations, "spec.template.metadata.annotations"],
    ];
    return maps.filter((m): m is [Record<string, unknown>, string] => !!m[0] && typeof m[0] === "object");
}

export const labelsAndAnnotations: ApiRule = {
    code: "K8S003",
    name: "labels and annotations",
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        for (const [map, path] of labelMaps(o)) {
            for (const k in map) {
                const v = map[k];
                const kp = qualifiedName(k);
                if (kp) out.push(apiFinding(this, o, `${path}.${k}`, `label key ${JSON.stringify(k)} ${kp}`, `use a key like app or example.com/team`));
                const vp = typeof v !== "string" ? "must be a string" : labelValue(v);
                if (vp) out.push(apiFinding(this, o, `${path}.${k}`, `label value ${JSON.stringify(v)} ${vp}`, `use a short value like v1 or canary`));
            }
        }
        for (const [map, path] of annotationMaps(o)) {
            let bytes = 0;
            for (const k in map) {
                const v = map[k];
                const kp = qualifiedName(k);
                if (kp) out.push(apiFinding(this, o, `${path}.${k}`, `annotation key ${JSON.stringify(k)} ${kp}`, `use a key like example.com/note`));
                if (typeof v !== "string") out.push(apiFinding(this, o, `${path}.${k}`, `annotation value must be a string`, `quote the value`));
                // UTF-8 is at most 3 bytes per UTF-16 unit: count exactly only when that bound could pass the limit.
                bytes += k.length + String(v).length;
            }
            if (bytes * 3 > ANNOTATIONS_MAX_BYTES) bytes = Object.entries(map).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
            if (bytes > ANNOTATIONS_MAX_BYTES) out.push(apiFinding(this, o, path, `annotations total ${bytes} bytes, more than the 256 KiB the API server allows`, `keep annotations small; put large data in a ConfigMap`));
        }
        return out;
    },
};
