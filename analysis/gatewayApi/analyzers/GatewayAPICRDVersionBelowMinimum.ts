import { ISTIO_GATEWAY_API_MINIMUM_CRD_VERSIONS } from "../../../config/versions";
import type { Finding } from "../../finding";
import { GatewayApiAnalyzer } from "./analyzer";

/** `v1.4.1` < `v1.5.0`? Pre-release suffixes are ignored, as Istio strips them. */
export function versionBelow(installed: string, minimum: string): boolean {
    const parts = (v: string) => v.replace(/^v/, "").split("-")[0].split(".").map((x) => Number(x) || 0);
    const [a, b] = [parts(installed), parts(minimum)];
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
    return false;
}

/**
 * IST0176 GatewayAPICRDVersionBelowMinimum (istioctl analyze's k8sgateway.CRDVersionAnalyzer): a
 * Gateway API CRD whose bundle version is below Istio 1.30's minimum for it; istiod does not process
 * objects of that kind. Checked on the CRDs the gate validates against, for the kinds the plan uses
 * (an error then: those objects would do nothing).
 */
export const GatewayAPICRDVersionBelowMinimum: GatewayApiAnalyzer = {
    code: "IST0176",
    name: "GatewayAPICRDVersionBelowMinimum",
    analyze(ctx) {
        const out: Finding[] = [];
        const used = new Set(ctx.objects.map((o) => o.kind));
        for (const crd of ctx.crds.crds.values()) {
            const minimum = ISTIO_GATEWAY_API_MINIMUM_CRD_VERSIONS[crd.crdName];
            if (!minimum || !crd.bundleVersion || !used.has(crd.kind) || !versionBelow(crd.bundleVersion, minimum)) continue;
            out.push({
                code: this.code,
                severity: "error",
                resource: `CustomResourceDefinition ${crd.crdName}`,
                path: "metadata.annotations[gateway.networking.k8s.io/bundle-version]",
                message: `Gateway API CRD "${crd.crdName}" is at version "${crd.bundleVersion}" but Istio requires at least "${minimum}"; ${crd.kind} resources will not be processed`,
                fix: `install the Gateway API CRDs at ${minimum} or later (the pin is config/versions.ts GATEWAY_API_CRDS)`,
            });
        }
        return out;
    },
};
