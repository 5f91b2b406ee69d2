import type { Finding } from "../../finding";
import type { Spec } from "../context";
import { GatewayApiAnalyzer, finding } from "./analyzer";

/**
 * GWAPI114: an HTTPS listener (or a TLS one terminating) with no certificate: no `tls`, or a `tls`
 * with neither certificateRefs nor options. The Gateway API requires it ("This field is required if
 * the Protocol field is HTTPS or TLS"), but the v1.5.1 CRD has no rule for it, so the API server
 * takes the Gateway and the listener then serves no HTTPS: Istio builds it without TLS settings.
 */
export const ListenerWithoutCertificate: GatewayApiAnalyzer = {
    code: "GWAPI114",
    name: "ListenerWithoutCertificate",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const gw of ctx.gateways.values()) {
            (((gw.spec as Spec)?.listeners ?? []) as Spec[]).forEach((l, i) => {
                const terminates = l.protocol === "HTTPS" || (l.protocol === "TLS" && (l.tls?.mode ?? "Terminate") === "Terminate");
                if (!terminates) return;
                const tls = l.tls as Spec | undefined;
                if (tls && (((tls.certificateRefs ?? []) as Spec[]).length > 0 || Object.keys((tls.options ?? {}) as Spec).length > 0)) return;
                out.push(finding(this, "error", gw, `spec.listeners[${i}]${tls ? ".tls" : ""}`, `listener "${l.name}" (${l.protocol} on port ${l.port}) has no certificate${tls ? " (tls without certificateRefs)" : " (no tls)"}: the API server accepts it, but the listener cannot terminate TLS`, `add tls: {mode: Terminate, certificateRefs: [{name: <a kubernetes.io/tls Secret in ${gw.metadata.namespace ?? "default"}>}]}, or use protocol HTTP`));
            });
        }
        return out;
    },
};
