import type { Finding } from "../finding";
import { injectsSidecars, isAmbientNamespace } from "../../mesh/ambient/labels";
import { Analyzer, finding } from "./analyzer";

/**
 * MESH020: a namespace both enrolled in ambient (`istio.io/dataplane-mode=ambient`) and labelled for
 * sidecar injection (`istio-injection=enabled` or `istio.io/rev`). Every new pod gets a sidecar, and a
 * pod with a sidecar is not ambient ("if both are set, the sidecar wins", istio.io
 * docs/ambient/usage/add-workloads): the namespace is on neither data plane cleanly. The course set the
 * injection label by hand; `npm run verify` looks for it on the live namespace too.
 */
export const AmbientNamespaceAlsoInjected: Analyzer = {
    code: "MESH020",
    name: "AmbientNamespaceAlsoInjected",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const n of ctx.of("Namespace")) {
            const labels = n.metadata.labels;
            if (!isAmbientNamespace(labels) || !injectsSidecars(labels)) continue;
            const which = labels?.["istio-injection"] === "enabled" ? "istio-injection=enabled" : `istio.io/rev=${labels?.["istio.io/rev"]}`;
            out.push(
                finding(this, "error", n, "metadata.labels", `is enrolled in ambient (istio.io/dataplane-mode=ambient) and labelled ${which}: new pods get a sidecar, and a pod with a sidecar is not ambient`, `keep one label: remove ${which} (kubectl label namespace ${n.metadata.name} ${which.split("=")[0]}-), then restart the pods`),
            );
        }
        return out;
    },
};
