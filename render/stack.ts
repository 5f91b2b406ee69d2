/**
 * What `npm run render` prints, from a stack file: the real program run under Pulumi mocks as YAML, or
 * the declared traffic as a Mermaid diagram with the analyzer's errors (which still fail the command,
 * as `up` would). No cluster, no Pulumi CLI, no credentials.
 */
import { hasErrors, planObjects } from "../analysis";
import type { Finding } from "../analysis/finding";
import { checkStack } from "../analysis/gate";
import { findingsReport } from "../analysis/table";
import type { FlatConfig } from "../config/stackConfig";
import { trafficDiagram } from "../diagram";
import { runUnderMocks } from "./mocks";
import { renderYaml } from "./yaml";

/** One YAML document per registered resource, secrets as [secret]. Throws what the program throws (a ConfigError). */
export async function stackYaml(flat: FlatConfig, stack: string): Promise<string> {
    const mocks = await runUnderMocks(() => require("../index"), { stack, config: flat.values, secretKeys: flat.secretKeys });
    return renderYaml(mocks.resources, mocks.secretValues);
}

/**
 * The declared traffic as Mermaid, from the plan's objects and the analyzer's findings (which the page
 * lists too); the errors in istioctl's shape when there are any.
 */
export async function stackTraffic(flat: FlatConfig, stack: string): Promise<{ mermaid: string; findings: Finding[]; errors?: string }> {
    const { plan, findings } = await checkStack(flat, stack, { throwOnErrors: false });
    const mermaid = trafficDiagram(planObjects(plan), { findings });
    return hasErrors(findings) ? { mermaid, findings, errors: findingsReport(findings.filter((f) => f.severity === "error"), `stack ${stack}`) } : { mermaid, findings };
}
