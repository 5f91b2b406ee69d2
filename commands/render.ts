/**
 * npm run render -- <stack> | --file <stack.yaml> [--stack <name>] [--output <file>] [--graph [file.md|file.html]]
 *
 * Runs the real program under Pulumi mocks with that stack's config and prints one YAML document per
 * registered resource. Needs no cluster, no Pulumi CLI, no credentials. Invalid config: exit 1, the
 * error on stderr, nothing on stdout. `npm run diff` runs `cli/main.ts render <stack>` at a git base ref.
 */
import * as fs from "fs";
import * as path from "path";
import { OPTIONAL_VALUE_ABSENT, Parsed, stringOption } from "../cli/commandLine";
import type { Command, Context } from "../cli/run";
import { shownPath } from "../cli/paths";
import { stackOrFile } from "../cli/stacks";
import type * as StackConfig from "../config/stackConfig";
import type * as Diagram from "../diagram";
import type * as MermaidBundle from "../diagram/mermaidBundle";
import type * as Render from "../render/stack";
import { stackFileOptions, stackPositional } from "./options";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const stackConfig = () => require("../config/stackConfig") as typeof StackConfig;
const diagram = () => require("../diagram") as typeof Diagram;
const mermaidBundle = () => (require("../diagram/mermaidBundle") as typeof MermaidBundle).mermaidBundle();
const rendering = () => require("../render/stack") as typeof Render;

export const render: Command = {
    spec: {
        name: "render",
        summary: "Runs the program under Pulumi mocks and prints what it would deploy: one YAML document per resource, secrets as [secret]. No cluster, CLI or credentials.",
        positionals: stackPositional,
        options: {
            ...stackFileOptions,
            output: { type: "string", short: "o", value: "<file>", path: true, description: "write to this file instead of stdout (plain YAML; with --graph, the Mermaid source)" },
            graph: { type: "string", value: "<file.md|file.html>", path: true, optionalValue: /\.(md|markdown|html?)$/i, description: "the diagram of the declared traffic instead of the YAML: Mermaid source on stdout; a Markdown file with a mermaid block for a file.md; a page that draws it offline for a file.html" },
        },
        notes: ["examples:", "  npm run --silent render -- dev > dev.yaml     (--silent keeps npm's banner out of the YAML)", "  npm run render -- dev --output dev.yaml", "  npm run render -- --file examples/scenarios/12-fault-abort.yaml", "  npm run render -- dev --graph mesh.md", "  npm run render -- dev --graph mesh.html"],
    },
    run: (p, ctx) => renderCommand(p, ctx),
};

/** `--graph [file.md|file.html]`: the declared traffic as a diagram, from the plan's objects and the analyzer's findings. */
async function renderGraph(p: Parsed, ctx: Context, stack: string, flat: StackConfig.FlatConfig): Promise<number> {
    const { mermaid, findings, errors } = await rendering().stackTraffic(flat, stack);
    const graph = stringOption(p, "graph")!;
    const output = stringOption(p, "output");
    if (graph !== OPTIONAL_VALUE_ABSENT && /\.html?$/i.test(graph)) {
        const about = `Stack "${stack}", as declared (npm run render -- ${stack} --graph ${path.basename(graph)}), before anything is deployed: the traffic its Kubernetes and Istio objects declare, from the clients on the left to the Deployments on the right.`;
        fs.writeFileSync(graph, diagram().diagramPage(mermaid, { title: `Traffic of stack ${stack}`, about, findings, mermaid: mermaidBundle() }));
        ctx.io.err(`istio-mesh: wrote the traffic diagram of stack "${stack}" to ${shownPath(graph, ctx.env)} (a page that draws it offline: open it in a browser)\n`);
    } else if (graph !== OPTIONAL_VALUE_ABSENT) {
        const note = `Stack \`${stack}\`, as declared (\`npm run render -- ${stack} --graph\`), before anything is deployed.`;
        fs.writeFileSync(graph, diagram().diagramMarkdown(mermaid, { heading: `Traffic of stack \`${stack}\``, note }));
        ctx.io.err(`istio-mesh: wrote the traffic diagram of stack "${stack}" to ${shownPath(graph, ctx.env)}\n`);
    }
    if (output) {
        fs.writeFileSync(output, `${mermaid}\n`);
        ctx.io.err(`istio-mesh: wrote the Mermaid source of stack "${stack}" to ${shownPath(output, ctx.env)}\n`);
    } else if (graph === OPTIONAL_VALUE_ABSENT) ctx.io.out(`${mermaid}\n`);
    // The diagram draws what cannot take effect; the errors still fail the command, as `up` would.
    if (errors) {
        ctx.io.err(errors);
        return 1;
    }
    return 0;
}

export async function renderCommand(p: Parsed, ctx: Context): Promise<number> {
    const { file, stack } = stackOrFile(ctx.projectRoot, { positional: p.positionals[0], stack: stringOption(p, "stack"), file: stringOption(p, "file") }, ctx.env);
    const flat = stackConfig().readStackFile(file);
    if (stringOption(p, "graph") !== undefined) return renderGraph(p, ctx, stack, flat);
    const text = await rendering().stackYaml(flat, stack);
    const output = stringOption(p, "output");
    if (output) {
        fs.writeFileSync(output, text);
        ctx.io.err(`istio-mesh: wrote ${text.split("\n---\n").length} documents of stack "${stack}" to ${shownPath(output, ctx.env)}\n`);
    } else ctx.io.out(text);
    return 0;
}
