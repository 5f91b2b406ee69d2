/**
 * istio-mesh: the Pulumi program. Reads and validates the stack's `istio-mesh:*` config, renders the
 * plan and checks it (Istio's CRD schemas, its webhook's rules, cross-resource analyzers) — all
 * problems at once, before any resource is registered — then deploys the lab. See README.md and docs/.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkStack } from "./analysis/gate";
import { Lab } from "./program";

/** Which config keys the engine marked secret (internal to @pulumi/pulumi 3.x, present under mocks too). */
function secretKeys(values: Record<string, string>): string[] {
    const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (k: string) => boolean };
    return isConfigSecret ? Object.keys(values).filter((k) => isConfigSecret(k)) : [];
}

// Pulumi runs an exported async function and takes the object it returns as the stack outputs.
export = async () => {
    const values = pulumi.runtime.allConfig();
    // The same gate as npm run render and npm run analyze: throws before any resource is registered.
    const { config, findings } = await checkStack({ values, secretKeys: secretKeys(values) }, pulumi.getStack());
    for (const f of findings) pulumi.log.warn(`${f.configPath ? `${f.configPath}: ` : ""}${f.code} ${f.resource} ${f.path}: ${f.message} (fix: ${f.fix})`);

    const lab = new Lab("istio-mesh", config);
    return {
        ingressUrl: lab.outputs.ingressUrl,
        kubeconfig: lab.outputs.kubeconfig,
        clusterName: lab.outputs.clusterName,
        kubeContext: lab.outputs.kubeContext,
        namespace: lab.outputs.namespace,
        commands: lab.outputs.commands,
        dashboards: lab.outputs.dashboards,
        // Secret; only when Grafana asks for a login (not on k3d). `pulumi stack output grafanaAdminPassword --show-secrets`.
        grafanaAdminPassword: lab.outputs.grafanaAdminPassword,
    };
};
