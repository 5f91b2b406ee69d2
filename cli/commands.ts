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

const apiOption = (what: string): Record<string, OptionSpec> => ({
    api: { type: "string", value: "<istio|gateway-api>", description: `the routing API the lessons are ${what} in (default: the stack's own istio-mesh:trafficApi)` },
});

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
            name: "pins",
            summary: "Is every artifact the stacks pin still there? Lists each stack's Helm charts, images (the program's and the charts'), k3s/k3d images, the Pulumi CLI and plugins, and asks each repository, registry and download server: found / missing / moved / error.",
            positionals: [{ name: "<stack>", description: "stacks to check (default: every Pulumi.<stack>.yaml here)", optional: true, variadic: true }],
            options: {
                json: { type: "boolean", description: "print the artifacts and their status as JSON" },
                list: { type: "boolean", description: "print the inventory only (what each artifact is for); no network" },
                concurrency: { type: "string", value: "<n>", description: "requests in flight at once, 1 to 64", default: "8" },
                timeout: { type: "string", value: "<seconds>", description: "deadline of each request, 1 to 300", default: "15" },
            },
            notes: [
                "Requests go where ISTIO_MESH_PINS_REGISTRY_OVERRIDE routes their host: <host>=<base URL>, comma-separated (e.g. registry-1.docker.io=https://mirror.example.com); docs/pins.md.",
                "exit codes here: 0 all found; 1 something missing or moved; 2 something could not be checked (rate limit, no network) and nothing is known missing",
            ],
        },
        run: (p, ctx) => (require("../supplychain/command") as typeof import("../supplychain/command")).pinsCommand(p, ctx),
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
            options: {
                ...stackOption("deploy"),
                yes: { type: "boolean", short: "y", description: "accepted for habit's sake: up never prompts" },
                refresh: { type: "boolean", description: "read every object back from the cluster first, so what is missing there is created again (e.g. a kubeconfig stack pointed at a new cluster)" },
            },
        },
        run: (p, ctx) => (require("../automation/cli") as typeof import("../automation/cli")).engineCommand("up", p, ctx),
    },
    {
        spec: {
            name: "preview",
            summary: "Shows what `up` would change, against the stack's real state. Checks config and prerequisites first.",
            options: {
                ...stackOption("preview"),
                refresh: { type: "boolean", description: "read every object back from the cluster first (as up --refresh)" },
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
            name: "pulumi",
            summary:
                "The Pulumi CLI this project runs (on PATH from v3.248 up to the next major, else the pinned one in .pulumi-cli/) with the project's state backend (.pulumi-state/, or PULUMI_BACKEND_URL) and, on a k3d stack, its built-in passphrase. Every `pulumi …` command in the README and in the program's messages works as `npm run pulumi -- …`.",
            positionals: [{ name: "<pulumi arguments…>", description: "passed to the CLI unchanged (up, preview, destroy, refresh also get --skip-plugin-pre-install)" }],
            options: {},
            passthrough: true,
            notes: [
                "examples:",
                "  npm run pulumi -- stack output commands",
                "  npm run pulumi -- config set --path 'istio-mesh:services.nginx-service.weights.v2' 25",
                "  npm run pulumi -- stack output grafanaAdminPassword --show-secrets --stack cloud",
                "only a first --help/-h is this command's: npm run pulumi -- config set --help is the CLI's help.",
                "the stack is --stack/-s if given, else the one selected (npm run pulumi -- stack select <name>); off k3d, set PULUMI_CONFIG_PASSPHRASE.",
                "exit code: 0 when the CLI succeeded, 1 when it failed, 2 when no CLI could be found or installed.",
            ],
        },
        run: (p, ctx) => (require("../automation/pulumiPassthrough") as typeof import("../automation/pulumiPassthrough")).pulumiPassthrough(p, ctx),
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
                ...apiOption("planned"),
                "compare-api": { type: "boolean", description: "each lesson in both routing APIs side by side: the objects each produces, what differs, what verify checks (with --only for one lesson)" },
                dataplane: { type: "string", value: "<sidecar|ambient>", description: "plan the course on this data plane (default: the stack's istio-mesh:dataplane); on ambient a lesson with no ambient path is SKIP with its reason" },
                "compare-dataplane": { type: "boolean", description: "instead of the plan, one page comparing every lesson on sidecar and ambient: the objects each needs, who enforces it, whether ambient supports it, the sources (Markdown; with --markdown, to a file)" },
            },
            notes: ["examples:", "  npm run lab -- plan --api gateway-api", "  npm run lab -- plan --compare-api --only 9"],
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
                ...apiOption("applied"),
                dataplane: { type: "string", value: "<sidecar|ambient>", description: "the data plane the running lab must be on (default: the stack's); a lesson with no path there is SKIP, never PASS" },
            },
        },
        run: (p, ctx) => (require("../lab/cli") as typeof import("../lab/cli")).labCli("run", p, ctx),
    },
];
