/** Registered resources → the YAML stream `npm run render` prints. */
import * as yaml from "js-yaml";
import { SECRET_PLACEHOLDER } from "../config/stackConfig";
import type { Registered } from "./mocks";

/** How the SDK marks a secret value on the wire (rpc.specialSigKey / specialSecretSig). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function mask(value: unknown, secrets: Set<string>): unknown {
    // A resource passed as an input (e.g. the EKS cluster to its managed node group): print which one.
    if (value && typeof value === "object" && (value as Record<string, unknown>).__pulumiResource === true) {
        const r = value as { __pulumiType?: string; __name?: string };
        return `[resource ${r.__pulumiType}::${r.__name}]`;
    }
    if (value && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG) {
        // A secret object (chart values with one secret leaf, a provider's secret-by-schema input) stays
        // reviewable: its leaves print, except those that are secrets themselves. Every secret a render can
        // hold is a mock's secret string or a config secret's placeholder, and both are masked below.
        const inner = (value as { value?: unknown }).value;
        return inner && typeof inner === "object" ? mask(inner, secrets) : SECRET_PLACEHOLDER;
    }
    if (typeof value === "string") return [...secrets].some((s) => s !== "" && value.includes(s)) ? SECRET_PLACEHOLDER : value;
    if (Array.isArray(value)) return value.map((v) => mask(v, secrets));
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, secrets)]));
    return value;
}

/** Kubernetes objects print as their manifests; anything else as {type, name, inputs}. */
export function toDocument(r: Registered): Record<string, unknown> {
    const i = r.inputs;
    const isManifest = r.type.startsWith("kubernetes:") && typeof i.apiVersion === "string" && typeof i.kind === "string" && i.metadata;
    if (isManifest) {
        const { apiVersion, kind, metadata, ...rest } = i;
        const { name, namespace, ...more } = metadata as Record<string, unknown>;
        return { apiVersion, kind, metadata: { name, ...(namespace !== undefined ? { namespace } : {}), ...more }, ...rest };
    }
    return { type: r.type, name: r.name, inputs: i };
}

/** Our own ComponentResources carry no inputs; everything else is printed. */
export function printable(r: Registered): boolean {
    return r.custom || !r.type.startsWith("istio-mesh:");
}

/**
 * A patch prints like the object it patches; say so, since it is never created or deleted. A waypoint
 * (ambient) says which services it is for; each of them says why in `istio-mesh/waypoint-because`.
 */
function header(r: Registered): string {
    if (r.type.startsWith("kubernetes:") && r.type.endsWith("Patch")) return `# ${r.type}: server-side apply of these fields only; the object itself is never created or deleted\n`;
    const i = r.inputs as { spec?: { gatewayClassName?: string }; metadata?: { annotations?: Record<string, string> } };
    if (r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway" && i.spec?.gatewayClassName === "istio-waypoint") {
        return `# the ambient data plane's waypoint (istiod deploys an Envoy for it), for ${i.metadata?.annotations?.["istio-mesh/serves"] ?? "the services labelled istio.io/use-waypoint"}: each says why in its istio-mesh/waypoint-because annotation\n`;
    }
    return "";
}

export function renderYaml(resources: Registered[], secrets: Set<string>): string {
    return resources
        .filter(printable)
        .map((r) => `---\n${header(r)}${yaml.dump(mask(toDocument(r), secrets), { lineWidth: -1, noRefs: true, sortKeys: false })}`)
        .join("");
}
