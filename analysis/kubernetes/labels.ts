import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { apiFinding, ApiRule, Spec } from "./rule";
import { labelValue, qualifiedName } from "./validation";

/** Total size of an object's annotations (keys + values), ValidateAnnotations' limit. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const isMap = (m: unknown): m is Record<string, unknown> => !!m && typeof m === "object";

function checkLabels(rule: { code: string }, o: K8sObject, map: unknown, path: string, out: Finding[]): void {
    if (!isMap(map)) return;
    for (const k in map) {
        const v = map[k];
        const kp = qualifiedName(k);
        if (kp) out.push(apiFinding(rule, o, `${path}.${k}`, `label key ${JSON.stringify(k)} ${kp}`, `use a key like app or example.com/team`));
        const vp = typeof v !== "string" ? "must be a string" : labelValue(v);
        if (vp) out.push(apiFinding(rule, o, `${path}.${k}`, `label value ${JSON.stringify(v)} ${vp}`, `use a short value like v1 or canary`));
    }
}

function checkAnnotations(rule: { code: string }, o: K8sObject, map: unknown, path: string, out: Finding[]): void {
    if (!isMap(map)) return;
    let bytes = 0;
    for (const k in map) {
        const v = map[k];
        const kp = qualifiedName(k);
        if (kp) out.push(apiFinding(rule, o, `${path}.${k}`, `annotation key ${JSON.stringify(k)} ${kp}`, `use a key like example.com/note`));
        if (typeof v !== "string") out.push(apiFinding(rule, o, `${path}.${k}`, `annotation value must be a string`, `quote the value`));
        // UTF-8 is at most 3 bytes per UTF-16 unit: count exactly only when that bound could pass the limit.
        bytes += k.length + String(v).length;
    }
    if (bytes * 3 > ANNOTATIONS_MAX_BYTES) bytes = Object.entries(map).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
    if (bytes > ANNOTATIONS_MAX_BYTES) out.push(apiFinding(rule, o, path, `annotations total ${bytes} bytes, more than the 256 KiB the API server allows`, `keep annotations small; put large data in a ConfigMap`));
}

/**
 * Every label map of an object (its own, a Service's selector, a selector's matchLabels, a pod
 * template's) and its annotation maps, checked in place: no list of maps per object (70,000 objects).
 */
export const labelsAndAnnotations: ApiRule = {
    code: "K8S003",
    name: "labels and annotations",
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        const spec = (o.spec ?? {}) as Spec;
        checkLabels(this, o, o.metadata?.labels, "metadata.labels", out);
        checkLabels(this, o, o.kind === "Service" ? spec.selector : undefined, "spec.selector", out);
        checkLabels(this, o, spec.selector?.matchLabels, "spec.selector.matchLabels", out);
        checkLabels(this, o, spec.template?.metadata?.labels, "spec.template.metadata.labels", out);
        checkAnnotations(this, o, o.metadata?.annotations, "metadata.annotations", out);
        checkAnnotations(this, o, (o.spec as Spec | undefined)?.template?.metadata?.annotations, "spec.template.metadata.annotations", out);
        return out;
    },
};
