/**
 * npm run render -- <stack> | --file <stack.yaml> [--stack <name>] [--output <file>] [--graph [file.md|file.html]]
 *
 * Runs the real program under Pulumi mocks with that stack's config and prints one YAML document per
 * registered resource. Needs no cluster, no Pulumi CLI, no credentials. Invalid config: exit 1, the
 * error on stderr, nothing on stdout. `npm run diff` runs this file at a git base ref with `<stack>`.
 */
import * as fs from "fs";
import * as path from "path";
import { Parsed, stringOption } from "../cli/commandLine";
import type { Context } from "../cli/run";
import { stackOrFile } from "../cli/stacks";
import { hasErrors, planObjects } from "../analysis";
import { checkStack } from "../analysis/gate";
import { findingsReport } from "../analysis/table";
import { OPTIONAL_VALUE_ABSENT } from "../cli/commandLine";
import { shownPath } from "../cli/paths";
import { FlatConfig, readStackFile } from "../config/stackConfig";
import { diagramMarkdown, diagramPage, trafficDiagram } from "../diagram";
import { mermaidBundle } from "../diagram/mermaidBundle";
import { runUnderMocks } from "../render/mocks";
import { renderYaml } from "../render/yaml";

/** `--graph [file.md|file.html]`: the declared traffic as a diagram, from the plan's objects and the analyzer's findings. */
async function renderGraph(p: Parsed, ctx: Context, stack: string, flat: FlatConfig): Promise<number> {
    const { plan, findings } = await checkStack(flat, stack, { throwOnErrors: false });
    const mermaid = trafficDiagram(planObjects(plan), { findings });
    const graph = stringOption(p, "graph")!;
    const output = stringOption(p, "output");
    if (graph !== OPTIONAL_VALUE_ABSENT && /\.html?$/i.test(graph)) {
        const about = `Stack "${stack}", as declared (npm run render -- ${stack} --graph ${path.basename(graph)}), before anything is deployed: the traffic its Kubernetes and Istio objects declare, from the clients on the left to the Deployments on the right.`;
        fs.writeFileSync(graph, diagramPage(mermaid, { title: `Traffic of stack ${stack}`, about, findings, mermaid: mermaidBundle() }));
        ctx.io.err(`istio-mesh: wrote the traffic diagram of stack "${stack}" to ${shownPath(graph, ctx.env)} (a page that draws it offline: open it in a browser)\n`);
    } else if (graph !== OPTIONAL_VALUE_ABSENT) {
        const note = `Stack \`${stack}\`, as declared (\`npm run render -- ${stack} --graph\`), before anything is deployed.`;
        fs.writeFileSync(graph, diagramMarkdown(mermaid, { heading: `Traffic of stack \`${stack}\``, note }));
        ctx.io.err(`istio-mesh: wrote the traffic diagram of stack "${stack}" to ${shownPath(graph, ctx.env)}\n`);
    }
    if (output) {
        fs.writeFileSync(output, `${mermaid}\n`);
        ctx.io.err(`istio-mesh: wrote the Mermaid source of stack "${stack}" to ${shownPath(output, ctx.env)}\n`);
    } else if (graph === OPTIONAL_VALUE_ABSENT) ctx.io.out(`${mermaid}\n`);
    // The diagram draws what cannot take effect; the errors still fail the command, as `up` would.
    if (hasErrors(findings)) {
        ctx.io.err(findingsReport(findings.filter((f) => f.severity === "error"), `stack ${stack}`));
        return 1;
    }
    return 0;
}

export async function renderCommand(p: Parsed, ctx: Context): Promise<number> {
    const { file, stack } = stackOrFile(ctx.projectRoot, { positional: p.positionals[0], stack: stringOption(p, "stack"), file: stringOption(p, "file") }, ctx.env);
    const flat = readStackFile(file);
    if (stringOption(p, "graph") !== undefined) return renderGraph(p, ctx, stack, flat);
    const mocks = await runUnderMocks(() => require("../index"), { stack, config: flat.values, secretKeys: flat.secretKeys });
    const text = renderYaml(mocks.resources, mocks.secretValues);
    const output = stringOption(p, "output");
    if (output) {
        fs.writeFileSync(output, text);
        ctx.io.err(`istio-mesh: wrote ${text.split("\n---\n").length} documents of stack "${stack}" to ${shownPath(output, ctx.env)}\n`);
    } else ctx.io.out(text);
    return 0;
}

if (require.main === module) (require("../cli/main") as typeof import("../cli/main")).main(["render", ...process.argv.slice(2)]);
