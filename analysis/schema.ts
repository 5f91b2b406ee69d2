/**
 * Layer 1: every Istio object against Istio's CRD schemas, with a maintained validator
 * (@kubernetes-models/istio, generated from Istio's CRDs). It is ESM-only, hence the dynamic import,
 * which `module: node16` keeps as a real import() in the CommonJS build.
 */
import type { K8sObject } from "../mesh/objects";
import { Finding, resourceName } from "./finding";

type Model = new (o: unknown) => { validate(): void };

const KINDS: Record<string, string> = {
    "networking.istio.io/v1/VirtualService": "networking.istio.io/v1/VirtualService",
    "networking.istio.io/v1/DestinationRule": "networking.istio.io/v1/DestinationRule",
    "networking.istio.io/v1/Gateway": "networking.istio.io/v1/Gateway",
    "networking.istio.io/v1/ServiceEntry": "networking.istio.io/v1/ServiceEntry",
    "networking.istio.io/v1alpha3/EnvoyFilter": "networking.istio.io/v1alpha3/EnvoyFilter",
    "security.istio.io/v1/PeerAuthentication": "security.istio.io/v1/PeerAuthentication",
    "security.istio.io/v1/AuthorizationPolicy": "security.istio.io/v1/AuthorizationPolicy",
    "telemetry.istio.io/v1/Telemetry": "telemetry.istio.io/v1/Telemetry",
};

/**
 * The model's validate() on the plain object itself: constructing a model deep-copies the object
 * (dropping undefined fields), which costs more than validating at 10,000 services. Only when that
 * fails is the model built, so an undefined field is judged as the model would judge it.
 */
export function validateModel(Model: new (o: unknown) => { validate(): void }, o: object): void {
    try {
        Model.prototype.validate.call(o);
    } catch {
        new Model(o).validate();
    }
}

/**
 * A loader of kubernetes-models classes by `apiVersion/kind` key, each module imported once (they are
 * ESM-only: a dynamic import, which `module: node16` keeps in the CommonJS build). Shared with the
 * Kubernetes layer (analysis/kubernetes/openapi.ts).
 */
export function modelLoader(modulePath: (key: string) => string): (key: string) => Promise<Model> {
    const loaded = new Map<string, Promise<Model>>();
    return (key) => {
        if (!loaded.has(key)) {
            const kind = key.slice(key.lastIndexOf("/") + 1);
            loaded.set(key, import(modulePath(key)).then((m: Record<string, Model>) => m[kind]));
        }
        return loaded.get(key)!;
    };
}

const model = modelLoader((key) => `@kubernetes-models/istio/${KINDS[key]}`);

/** What the model's validator rejects in `o`, one entry per field path; none when it validates. */
export function modelViolations(Model: new (o: unknown) => { validate(): void }, o: object): { path: string; message: string }[] {
    try {
        validateModel(Model, o);
        return [];
    } catch (e) {
        return splitAjvMessage(e instanceof Error ? e.message : String(e));
    }
}

/** "data/spec/hosts must be array, data/spec/x must be string" → one finding per violation. */
export function splitAjvMessage(message: string): { path: string; message: string }[] {
    const parts = message.split(/,\s*(?=data\/)/).map((part) => {
        const m = /^data\/(\S+)\s+(.*)$/.exec(part.trim());
        return m ? { path: m[1].replace(/\/(\d+)(?=\/|$)/g, "[$1]").replace(/\//g, "."), message: m[2] } : { path: "", message: part.trim() };
    });
    // One mistake, one finding: an int-or-string field fails "must be number", "must be string" and the oneOf.
    const byPath = new Map<string, string[]>();
    for (const p of parts) {
        if (/must match exactly one schema in "oneOf"|must match a schema in "anyOf"/.test(p.message) && parts.some((q) => q.path === p.path && q !== p)) continue;
        byPath.set(p.path, [...(byPath.get(p.path) ?? []), p.message]);
    }
    return [...byPath].map(([path, messages]) => ({ path, message: [...new Set(messages)].join(" or ") }));
}

export async function schemaFindings(objects: K8sObject[]): Promise<Finding[]> {
    const out: Finding[] = [];
    // Load each kind's model once, then validate synchronously: an await per object costs more than the check.
    const keys = [...new Set(objects.filter((o) => o.apiVersion.includes("istio.io")).map((o) => `${o.apiVersion}/${o.kind}`))].filter((k) => KINDS[k]);
    const models = new Map(await Promise.all(keys.map(async (k) => [k, await model(k)] as const)));
    for (const o of objects) {
        if (!o.apiVersion.includes("istio.io")) continue;
        const key = `${o.apiVersion}/${o.kind}`;
        if (!KINDS[key]) {
            out.push({ code: "SCHEMA", severity: "error", resource: resourceName(o), path: "apiVersion", message: `${key} has no schema here (not a kind Istio 1.30 serves at this version)`, fix: "use networking.istio.io/v1 or security.istio.io/v1" });
            continue;
        }
        for (const v of modelViolations(models.get(key)!, o)) {
            out.push({ code: "SCHEMA", severity: "error", resource: resourceName(o), path: v.path, message: `does not match Istio's CRD schema: ${v.message}`, fix: "give the config value the type and form Istio expects" });
        }
    }
    return out;
}
