import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type { K8sObject } from "../../mesh/objects";

/** Normalises a course manifest to what the program emits: networking.istio.io/v1, upper-case protocol, LEAST_REQUEST, namespace. */
function normalise(value: unknown, key?: string): unknown {
    if (typeof value === "string") {
        if (key === "apiVersion" && value.startsWith("networking.istio.io/")) return "networking.istio.io/v1";
        if (key === "protocol") return value.toUpperCase();
        // Istio deprecated LEAST_CONN; the program writes LEAST_REQUEST (what LEAST_CONN meant).
        if (key === "simple" && value === "LEAST_CONN") return "LEAST_REQUEST";
        return value;
    }
    if (Array.isArray(value)) return value.map((v) => normalise(v));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
    return value;
}

export function courseManifests(file: string, namespace = "default"): K8sObject[] {
    const text = fs.readFileSync(path.join(__dirname, "..", "fixtures", "course", file), "utf8");
    return yaml.loadAll(text).map((d) => {
        const o = normalise(d) as K8sObject;
        return { ...o, metadata: { ...o.metadata, namespace } };
    });
}

export function courseManifest(file: string, kind: string, name: string): K8sObject {
    const o = courseManifests(file).find((m) => m.kind === kind && m.metadata.name === name);
    if (!o) throw new Error(`${file} has no ${kind} ${name}`);
    return o;
}
