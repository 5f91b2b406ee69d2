/**
 * The Gateway API layer of the gate: every Gateway API object of a plan (HTTPRoute, Gateway,
 * GatewayClass, ReferenceGrant, …) validated as the API server would against the pinned CRDs —
 * pruning and defaults, the OpenAPI schema, the CEL rules — then the cross-object analyzers on the
 * objects as stored. A plan without Gateway API objects costs one pass over its objects and nothing
 * else: the CRDs are not even read.
 */
import { GATEWAY_API_CRDS, GatewayApiChannel } from "../../config/versions";
import type { K8sObject } from "../../mesh/objects";
import { Finding, resourceName } from "../finding";
import { admit, UNSERVED_CODE } from "./admission";
import { gatewayApiAnalyzerFindings } from "./analyzers";
import { GatewayApiContext } from "./context";
import { GatewayApiCrds, loadCrds, MANIFEST_FIX, ManifestUnavailable, manifestPath } from "./manifest";
import { isGatewayApiObject } from "./objects";

export { isGatewayApiObject } from "./objects";

export interface GatewayApiOptions {
    /** Which CRD channel the cluster gets (the stack's choice; standard until it makes one). */
    channel?: GatewayApiChannel;
    /** CRDs to validate against instead of the vendored manifest (tests). */
    crds?: GatewayApiCrds;
    /** The checkout whose vendor/gateway-api/ holds the manifests (default: this one). */
    root?: string;
}

/** The experimental CRDs, when they are vendored too: only to say that a pruned field is an experimental one. */
function experimentalIfAvailable(root?: string): GatewayApiCrds | undefined {
    try {
        return loadCrds("experimental", manifestPath("experimental", root));
    } catch {
        return undefined;
    }
}

export function gatewayApiFindings(objects: K8sObject[], opts: GatewayApiOptions = {}): Finding[] {
    const ours = objects.filter(isGatewayApiObject);
    if (ours.length === 0) return [];
    const channel = opts.channel ?? (GATEWAY_API_CRDS.defaultChannel as GatewayApiChannel);
    let crds: GatewayApiCrds;
    try {
        crds = opts.crds ?? loadCrds(channel, manifestPath(channel, opts.root));
    } catch (e) {
        if (!(e instanceof ManifestUnavailable)) throw e;
        // Not validated is not valid: each object is refused, with how to get the CRDs.
        return ours.map((o) => ({ code: UNSERVED_CODE, severity: "error" as const, resource: resourceName(o), path: "apiVersion", message: `cannot be validated: ${e.message}`, fix: MANIFEST_FIX }));
    }
    const out: Finding[] = [];
    const admitted: K8sObject[] = [];
    const experimental = channel === "standard" && !opts.crds ? () => experimentalIfAvailable(opts.root) : undefined;
    for (const o of ours) {
        const a = admit(o, crds, { experimental });
        out.push(...a.findings);
        if (a.admitted) admitted.push(a.admitted);
    }
    const others = objects.filter((o) => !isGatewayApiObject(o));
    out.push(...gatewayApiAnalyzerFindings(new GatewayApiContext([...others, ...admitted], crds)));
    return out;
}
