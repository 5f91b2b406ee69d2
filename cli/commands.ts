/**
 * Every `npm run` command of the project: its options (the help and the strict parser read them) and
 * what it runs. Command modules are loaded only when the command runs, so `--help` loads no Pulumi
 * and touches nothing.
 */
import type { OptionSpec } from "./commandLine";
import type { Command } from "./run";

const stackOption = (what: string): Record<string, OptionSpec> => ({
    stack: { type: "string", short: "s", value: "<name>", description: `the stack (a Pulumi.<name>.yaml here) to ${what}`, default: "dev" },
});

const stackFileOptions: Record<string, OptionSpec> = {
    file: { type: "string", short: "f", value: "<stack.yaml>", description: "read this stack file instead (e.g. examples/scenarios/12-fault-abort.yaml, rendered as the dev stack)" },
    stack: { type: "string", short: "s", value: "<name>", description: "the stack's name (with --file: the stack the file is read as)" },
};

const stackPositional = [{ name: "<stack>", description: "a stack of this project: dev, cloud, … (or --file)", optional: true }];

export const commands: Command[] = [
    {
        spec: {
            name: "render",
            summary: "Runs the program under Pulumi mocks and prints what it would deploy: one YAML document per resource, secrets as [secret]. No cluster, CLI or credentials.",
            positionals: stackPositional,
            options: {
                ...stackFileOptions,
                output: { type: "string", short: "o", value: "<file>", description: "write to this file instead of stdout (plain YAML, or Markdown with --graph)" },
                graph: { type: "boolean", description: "print the diagram of the declared traffic (Mermaid in Markdown) instead of the YAML" },
            },
            notes: ["examples:", "  npm run --silent render -- dev > dev.yaml     (--silent keeps npm's banner out of the YAML)", "  npm run render -- dev --output dev.yaml", "  npm run render -- --file examples/scenarios/12-fault-abort.yaml"],
        },
        run: (p, ctx) => (require("../scripts/render") as typeof import("../scripts/render")).renderCommand(p, ctx),
    },
    {
        spec: {
            name: "analyze",
            summary: "Checks a stack offline, as the program does before registering anything: config, Istio's CRD schemas, its webhook's rules, cross-resource analyzers. Prints the findings.",
            positionals: stackPositional,
            options: { ...stackFileOptions, json: { type: "boolean", description: "print the findings as JSON (what preview/diff --findings read)" } },
        },
        run: (p, ctx) => (require("../scripts/analyze") as typeof import("../scripts/analyze")).analyzeCommand(p, ctx),
    },
    {
        spec: {
            name: "bench",
            summary: "Times config parsing, planning and every check layer for 1,000 and 10,000 generated services; exit 1 when over budget.",
            options: {},
        },
        run: (p, ctx) => (require("../scripts/bench") as typeof import("../scripts/bench")).benchCommand(p, ctx),
    },
    {
        spec: {
            name: "up",
            summary: "Deploys a stack through the Pulumi Automation API (local file state unless PULUMI_BACKEND_URL is set). Checks config and prerequisites first; nothing is created before they pass.",
            options: { ...stackOption("deploy"), yes: { type: "boolean", short: "y", description: "accepted for habit's sake: up never prompts" } },
        },
        run: (p, ctx) => (require("../automation/cli") as typeof import("../automation/cli")).engineCommand("up", p, ctx),
    },
    {
        spec: {
            name: "preview",
            summary: "Shows what `up` would change, against the stack's real state. Checks config and prerequisites first.",
            options: {
                ...stackOption("preview"),
                markdown: { type: "string", value: "<file>", description: "also write a pull-request comment (Markdown) to this file" },
                findings: { type: "string", value: "<findings.json>", description: "analyzer findings for the comment (npm run analyze -- --json), instead of running the analyzer" },
            },
        },
        run: (p, ctx) => (require("../automation/cli") as typeof import("../automation/cli")).engineCommand("preview", p, ctx),
    },
    {
        spec: {
            name: "down",
            summary: "Destroys everything the stack deployed (on dev: the k3d cluster). A stack with no state is said so, and nothing changes.",
            options: { ...stackOption("destroy"), yes: { type: "boolean", short: "y", description: "accepted for habit's sake: down never prompts" } },
        },
        run: (p, ctx) => (require("../automation/cli") as typeof import("../automation/cli")).engineCommand("down", p, ctx),
    },
    {
        spec: {
            name: "diff",
            summary: "The preview comment computed offline: renders the stack at a git ref and at the working tree and compares the objects. No cluster, CLI or secrets.",
            options: {
                ...stackOption("compare"),
                base: { type: "string", value: "<git ref>", description: "the ref to compare against (required), e.g. origin/main" },
                markdown: { type: "string", value: "<file>", description: "write the comment to this file instead of stdout" },
                findings: { type: "string", value: "<findings.json>", description: "analyzer findings for the comment, instead of running the analyzer" },
            },
        },
        run: (p, ctx) => (require("../automation/cli") as typeof import("../automation/cli")).diffCommand(p, ctx),
    },
    {
        spec: {
            name: "verify",
            summary: "After `up`: measures every declared policy against what the running mesh does (fortio inside the mesh, the ingress from here). Verdicts PASS / FAIL / ERROR / SKIP.",
            options: {
                ...stackOption("verify"),
                context: { type: "string", value: "<kube context>", description: "the kube context to use (default: the one the stack's cluster kind implies)" },
                "ingress-url": { type: "string", value: "<http://host:port>", description: "where the ingress gateway answers from here (default on k3d: the host port)" },
                samples: { type: "string", value: "<n>", description: "requests per split and per ingress route, 20 to 10000", default: "200" },
                json: { type: "boolean", description: "print the rows as JSON instead of the table" },
            },
        },
        run: (p, ctx) => (require("../automation/cli") as typeof import("../automation/cli")).verifyCommandLine(p, ctx),
    },
];
