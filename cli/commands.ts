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
    file: { type: "string", short: "f", value: "<stack.yaml>", path: true, description: "read this stack file instead (e.g. examples/scenarios/12-fault-abort.yaml, rendered as the dev stack)" },
    stack: { type: "string", short: "s", value: "<name>", description: "the stack's name (with --file: the stack the file is read as)" },
};

const stackPositional = [{ name: "<stack>", description: "a stack of this project: dev, cloud, … (or --file)", optional: true }];

const lessonRange: Record<string, OptionSpec> = {
    from: { type: "string", value: "<lesson>", description: "start at this lesson: its number in npm run lab -- list, or its id (11, 12-fault-abort)" },
    to: { type: "string", value: "<lesson>", description: "end at this lesson (inclusive), by number or id" },
    only: { type: "string", value: "<lesson>", description: "this one lesson, by number or id (not with --from/--to)" },
};

export const commands: Command[] = [
    {
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
            name: "gateway-api-crds",
            summary: "Vendors the official Gateway API CRD manifests the gate validates Gateway API objects against (vendor/gateway-api/<version>/), each checked against the sha256 pinned in config/versions.ts before it is written. Commit them.",
            options: {
                channel: { type: "string", value: "<standard|experimental>", description: "only this channel (default: both)" },
                from: { type: "string", value: "<file>", path: true, description: "take a manifest downloaded elsewhere instead of downloading (its digest says which channel it is)" },
                check: { type: "boolean", description: "only verify the vendored manifests against the pins; no network" },
            },
            notes: ["examples:", "  npm run gateway-api-crds                  (downloads from github.com)", "  npm run gateway-api-crds -- --from ~/Downloads/standard-install.yaml", "  npm run gateway-api-crds -- --check"],
        },
        run: (p, ctx) => (require("../scripts/gatewayApiCrds") as typeof import("../scripts/gatewayApiCrds")).gatewayApiCrdsCommand(p, ctx),
    },
    {
        spec: {
            name: "servicex",
            summary:
                "Runs the circuit-breaker lab's service (apps/servicex) here, on port 8081 unless told: 8000 is where the dev stack's ingress answers. " +
                "It reads the environment the cluster gives it (PORT, error=yes, ERROR_STATUS, ERROR_DELAY_MS); the flags win. Ctrl-C stops it once the requests in flight are answered.",
            options: {
                port: { type: "string", short: "p", value: "<n>", description: "listen on this port, 0 for any free one", default: "$PORT, else 8081" },
                error: { type: "boolean", description: "fail every request (but /healthz) after ERROR_DELAY_MS (5000) with ERROR_STATUS (504): the course's error=yes" },
            },
            notes: ["examples:", "  npm run servicex                          # curl localhost:8081 → 200", "  npm run servicex -- --port 8082 --error   # curl localhost:8082 → 504 after 5 s"],
        },
        run: (p, ctx) => (require("../scripts/servicex") as typeof import("../scripts/servicex")).servicexCommand(p, ctx),
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
                markdown: { type: "string", value: "<file>", path: true, description: "also write a pull-request comment (Markdown) to this file" },
                findings: { type: "string", value: "<findings.json>", path: true, description: "analyzer findings for the comment (npm run analyze -- --json), instead of running the analyzer" },
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
                markdown: { type: "string", value: "<file>", path: true, description: "write the comment to this file instead of stdout" },
                findings: { type: "string", value: "<findings.json>", path: true, description: "analyzer findings for the comment, instead of running the analyzer" },
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
                "converge-timeout": { type: "string", value: "<seconds>", description: "how long to wait for the declared config to reach the proxies (istiod's sync status) before measuring, 0 to 600; 0 does not wait", default: "60" },
            },
        },
        run: (p, ctx) => (require("../automation/cli") as typeof import("../automation/cli")).verifyCommandLine(p, ctx),
    },
    {
        spec: {
            name: "lab",
            summary: "The whole course, lesson by lesson: `lab list` (the lessons), `lab plan` (offline: what each lesson changes, its findings and checks), `lab run` (applied to the running lab and measured).",
            positionals: [{ name: "<list|plan|run>", description: "the subcommand (npm run lab -- <subcommand> --help for its options)", optional: true }],
            options: {},
        },
        run: (p, ctx) => (require("../lab/cli") as typeof import("../lab/cli")).labWithoutSubcommand(p, ctx),
    },
    {
        spec: { name: "lab list", summary: "The course's lessons, numbered, with the course section each follows.", options: {} },
        run: (p, ctx) => (require("../lab/cli") as typeof import("../lab/cli")).labCli("list", p, ctx),
    },
    {
        spec: {
            name: "lab plan",
            summary: "Offline (no cluster, no CLI): for each lesson, what changes from the previous one, the analyzer's findings and the checks verify will make. Exit 1 if a lesson has errors or would be refused by run.",
            options: {
                ...stackOption("compose the lessons over"),
                ...lessonRange,
                markdown: { type: "string", value: "<file>", path: true, description: "write the plan as Markdown to this file instead of text on stdout" },
                dataplane: { type: "string", value: "<sidecar|ambient>", description: "plan the course on this data plane (default: the stack's istio-mesh:dataplane); on ambient a lesson with no ambient path is SKIP with its reason" },
                "compare-dataplane": { type: "boolean", description: "instead of the plan, one page comparing every lesson on sidecar and ambient: the objects each needs, who enforces it, whether ambient supports it, the sources (Markdown; with --markdown, to a file)" },
            },
        },
        run: (p, ctx) => (require("../lab/cli") as typeof import("../lab/cli")).labCli("plan", p, ctx),
    },
    {
        spec: {
            name: "lab run",
            summary: "Applies each lesson to the running lab (an up that must touch neither the cluster nor Istio), waits for the proxies, measures it with verify and reports. Restores the stack's own config at the end, also after Ctrl-C or a failure. Exit 1 if any lesson did not PASS.",
            options: {
                ...stackOption("run the course on"),
                ...lessonRange,
                report: { type: "string", value: "<file.md>", path: true, description: "also write the Markdown report to this file" },
                json: { type: "string", value: "<file>", path: true, description: "write the results as JSON to this file" },
                bail: { type: "boolean", description: "stop at the first lesson that does not PASS" },
                keep: { type: "boolean", description: "leave the last lesson applied instead of restoring the stack's own config" },
                "skip-ok": { type: "boolean", description: "a lesson that is SKIP (nothing it teaches can be measured, e.g. a load-balancer algorithm) does not fail the run" },
                "ingress-url": { type: "string", value: "<http://host:port>", description: "where the ingress gateway answers from here (default on k3d: the host port)" },
                context: { type: "string", value: "<kube context>", description: "the kube context verify uses" },
                samples: { type: "string", value: "<n>", description: "requests per split check, 20 to 10000", default: "200" },
                dataplane: { type: "string", value: "<sidecar|ambient>", description: "the data plane the running lab must be on (default: the stack's); a lesson with no path there is SKIP, never PASS" },
            },
        },
        run: (p, ctx) => (require("../lab/cli") as typeof import("../lab/cli")).labCli("run", p, ctx),
    },
];
