/**
 * npm run verify -- [--stack <name>] [--context <ctx>] [--ingress-url <url>] [--samples <n>] [--json]
 * [--converge-timeout <s>]: after `up`, every declared policy measured against the running mesh
 * (verify/deployed.ts). Needs no Pulumi engine unless config cannot say where the cluster is.
 */
import type { Command } from "../cli/run";
import type * as Lifecycle from "../engine/lifecycle";
import type * as Deployed from "../verify/deployed";
import { ingressUrlOption, stackOption } from "./options";
import { CliArgs, cliArgs, defaultTools, gatedStack, intFlag, Io, MakeEngine, pulumiEngine, stringFlag, Tools } from "./stack";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const deployed = () => require("../verify/deployed") as typeof Deployed;
const lifecycle = () => require("../engine/lifecycle") as typeof Lifecycle;

export const verify: Command = {
    spec: {
        name: "verify",
        summary: "After `up`: measures every declared policy against what the running mesh does (fortio inside the mesh, the ingress from here). Verdicts PASS / FAIL / ERROR / SKIP.",
        options: {
            ...stackOption("verify"),
            context: { type: "string", value: "<kube context>", description: "the kube context to use (default: the one the stack's cluster kind implies)" },
            ...ingressUrlOption,
            samples: { type: "string", value: "<n>", description: "requests per split and per ingress route, 20 to 10000", default: "200" },
            json: { type: "boolean", description: "print the rows as JSON instead of the table" },
            "converge-timeout": { type: "string", value: "<seconds>", description: "how long to wait for the declared config to reach the proxies (istiod's sync status) before measuring, 0 to 600; 0 does not wait", default: "60" },
        },
    },
    run: (p, ctx) => runVerify(cliArgs("verify", p), ctx.env, ctx.io, pulumiEngine, ctx.projectRoot),
};

export async function runVerify(args: CliArgs, env: Record<string, string | undefined>, io: Io, makeEngine: MakeEngine, projectRoot: string, tools: Tools = defaultTools): Promise<number> {
    const { cfg } = await gatedStack(args, projectRoot, tools, env);
    const timeout = stringFlag(args, "converge-timeout");
    const opts = {
        cfg,
        stack: args.stack,
        context: stringFlag(args, "context"),
        ingressUrl: stringFlag(args, "ingress-url"),
        samples: intFlag(args, "samples", 200, { min: 20, max: 10000 }),
        json: args.flags.json === true,
        convergeTimeoutSeconds: timeout === undefined ? undefined : intFlag(args, "converge-timeout", 60, { min: 0, max: 600 }),
    };
    const stackOutputs = () => lifecycle().stackOutputs({ stack: args.stack, cfg, env, projectRoot, err: io.err, makeEngine, pulumiCli: tools.pulumiCli });
    return deployed().verifyCommand(opts, io, { makeProbe: tools.makeProbe, stackOutputs });
}
