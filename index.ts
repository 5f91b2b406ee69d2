/**
 * istio-mesh: the Pulumi program. Reads and validates the stack's `istio-mesh:*` config, renders the
 * plan and checks it (Istio's CRD schemas, its webhook's rules, cross-resource analyzers) — all
 * problems at once, before any resource is registered — then deploys the lab. See README.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { AnalysisError } from "./analysis/finding";
import { checkPlan, hasErrors } from "./analysis";
import { parseConfig } from "./config/parse";
import { projectValues } from "./config/stackConfig";
import { buildPlan } from "./mesh/plan";
import { Lab } from "./program";

// Pulumi runs an exported async function and takes the object it returns as the stack outputs.
export = async () => {
    const config = parseConfig(projectValues(pulumi.runtime.allConfig()), pulumi.getStack());
    const findings = await checkPlan(config, buildPlan(config));
    if (hasErrors(findings)) throw new AnalysisError(findings);
    for (const f of findings) pulumi.log.warn(`${f.code} ${f.resource} ${f.path}: ${f.message} (fix: ${f.fix})`);

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
