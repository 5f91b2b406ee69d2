/**
 * The Gateway API CRDs the gate validates against: the official release manifest of the pinned
 * version and channel (config/versions.ts), vendored at vendor/gateway-api/<version>/<channel>-install.yaml
 * and verified against the pinned sha256 and size before any of it is used: a modified or truncated
 * copy is refused whole. Read, hashed and parsed once per process, and only when a plan holds
 * Gateway API objects (a plan without them never touches the file).
 */
import { createHash } from "crypto";
import { readFileSync } from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { GATEWAY_API_CRDS, GatewayApiChannel } from "../../config/versions";
import type { JSONSchemaProps } from "./jsonSchema";

export interface ServedVersion {
    group: string;
    version: string;
    kind: string;
    /** `httproutes.gateway.networking.k8s.io` */
    crdName: string;
    scope: "Namespaced" | "Cluster";
    storage: boolean;
    schema: JSONSchemaProps;
}

export interface CrdInfo {
    crdName: string;
    group: string;
    kind: string;
    /** `gateway.networking.k8s.io/bundle-version` */
    bundleVersion?: string;
    /** `gateway.networking.k8s.io/channel` */
    channel?: string;
    served: string[];
    /** The CRD document itself (what IST0176 reads). */
    object: { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> }; spec: unknown };
}

export interface GatewayApiCrds {
    /** Where they came from, for messages: `v1.5.1 standard`. */
    source: string;
    /** `group/version/Kind` → its schema, for each served version. */
    served: Map<string, ServedVersion>;
    /** `group/Kind` → the CRD. */
    crds: Map<string, CrdInfo>;
}

export interface ManifestLock {
    sha256: string;
    bytes: number;
}

/** Why the manifest cannot be used; the gate turns it into one finding per Gateway API object. */
export class ManifestUnavailable extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ManifestUnavailable";
    }
}

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export const manifestPath = (channel: GatewayApiChannel, root = PROJECT_ROOT): string => path.join(root, "vendor", "gateway-api", GATEWAY_API_CRDS.version, `${channel}-install.yaml`);

export const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/** Why `bytes` is not the pinned manifest, or undefined when it is. */
export function lockProblem(bytes: Uint8Array, lock: ManifestLock): string | undefined {
    if (bytes.length !== lock.bytes) return `it has ${bytes.length} bytes, the pinned manifest ${lock.bytes}`;
    const digest = sha256(bytes);
    return digest === lock.sha256 ? undefined : `its sha256 is ${digest}, the pinned manifest's ${lock.sha256}`;
}

/** The served versions and CRDs of a stream of YAML documents (a release manifest). */
export function parseCrds(text: string, source: string): GatewayApiCrds {
    const served = new Map<string, ServedVersion>();
    const crds = new Map<string, CrdInfo>();
    for (const d of yaml.loadAll(text) as Record<string, any>[]) {
        if (!d || d.kind !== "CustomResourceDefinition" || !d.spec?.versions) continue;
        const { group, names, scope } = d.spec;
        const annotations: Record<string, string> = d.metadata?.annotations ?? {};
        const versions = (d.spec.versions as Record<string, any>[]).filter((v) => v.served);
        crds.set(`${group}/${names.kind}`, {
            crdName: d.metadata.name,
            group,
            kind: names.kind,
            bundleVersion: annotations["gateway.networking.k8s.io/bundle-version"],
            channel: annotations["gateway.networking.k8s.io/channel"],
            served: versions.map((v) => v.name),
            object: d as CrdInfo["object"],
        });
        for (const v of versions) {
            served.set(`${group}/${v.name}/${names.kind}`, { group, version: v.name, kind: names.kind, crdName: d.metadata.name, scope, storage: !!v.storage, schema: v.schema?.openAPIV3Schema ?? {} });
        }
    }
    return { source, served, crds };
}

const loaded = new Map<string, GatewayApiCrds | ManifestUnavailable>();

/** Forget what was read (after `npm run up` fetched the manifests, the gate reads them afresh). */
export function forgetLoadedCrds(): void {
    loaded.clear();
}

/**
 * The pinned CRDs of `channel`. Throws ManifestUnavailable when the vendored manifest is missing or
 * is not the pinned one; the outcome is remembered, so a plan pays for the file once.
 */
export function loadCrds(channel: GatewayApiChannel, file = manifestPath(channel), lock: ManifestLock = GATEWAY_API_CRDS.manifests[channel]): GatewayApiCrds {
    const key = `${channel}\0${file}`;
    let hit = loaded.get(key);
    if (!hit) {
        hit = readVerified(channel, file, lock);
        loaded.set(key, hit);
    }
    if (hit instanceof ManifestUnavailable) throw hit;
    return hit;
}

function readVerified(channel: GatewayApiChannel, file: string, lock: ManifestLock): GatewayApiCrds | ManifestUnavailable {
    const shown = path.relative(PROJECT_ROOT, file) || file;
    let bytes: Buffer;
    try {
        bytes = readFileSync(file);
    } catch {
        return new ManifestUnavailable(`the Gateway API ${GATEWAY_API_CRDS.version} ${channel} CRDs are not in this checkout (${shown} is missing)`);
    }
    const problem = lockProblem(bytes, lock);
    if (problem) return new ManifestUnavailable(`${shown} is not the official Gateway API ${GATEWAY_API_CRDS.version} ${channel} manifest: ${problem}`);
    return parseCrds(bytes.toString("utf8"), `Gateway API ${GATEWAY_API_CRDS.version} ${channel}`);
}

/** The fix every ManifestUnavailable finding names. */
export const MANIFEST_FIX = "run `npm run gateway-api-crds` (downloads the official release manifest and checks it against the sha256 pinned in config/versions.ts), or `npm run gateway-api-crds -- --from <file>` with a copy downloaded elsewhere (it is kept in vendor/gateway-api/, git-ignored)";
