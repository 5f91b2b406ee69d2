/**
 * npm run up -- [--stack <name>]: deploys a stack through the Pulumi Automation API, with no Pulumi
 * account: local file state by default, a built-in passphrase only on a local k3d cluster. Order:
 * config → analyzer → the cluster kind's prerequisites → the Pulumi CLI → state directory → engine.
 * Nothing is created before every check has passed.
 */
import type { Command } from "../cli/run";
import type * as Lifecycle from "../engine/lifecycle";
import type * as RegistryCache from "../mesh/k3d/registryCache";
import type * as Preflight from "../preflight/preflight";
import type * as UpNote from "../supplychain/upNote";
import { stackOption } from "./options";
import { CliArgs, cliArgs, defaultTools, gatedStack, hostLogin, Io, MakeEngine, prerequisites, pulumiEngine, stopOnErrors, Tools } from "./stack";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const lifecycle = () => require("../engine/lifecycle") as typeof Lifecycle;

/** How many images a new k3d cluster pulls, against Docker Hub's anonymous limit (empty when none of it applies). */
function coldUpNote(cfg: Parameters<typeof UpNote.coldUpNote>[0], loggedIn: boolean): string | undefined {
    const { cachedRegistries } = require("../mesh/k3d/registryCache") as typeof RegistryCache;
    const { K3D_SUPPORTED } = require("../preflight/preflight") as typeof Preflight;
    return (require("../supplychain/upNote") as typeof UpNote).coldUpNote(cfg, K3D_SUPPORTED.tested, cachedRegistries(cfg), loggedIn);
}

export const up: Command = {
    spec: {
        name: "up",
        summary: "Deploys a stack through the Pulumi Automation API (local file state unless PULUMI_BACKEND_URL is set). Checks config and prerequisites first; nothing is created before they pass.",
        options: {
            ...stackOption("deploy"),
            yes: { type: "boolean", short: "y", description: "accepted for habit's sake: up never prompts" },
            refresh: { type: "boolean", description: "read every object back from the cluster first, so what is missing there is created again (e.g. a kubeconfig stack pointed at a new cluster)" },
        },
    },
    run: (p, ctx) => runUp(cliArgs("up", p), ctx.env, ctx.io, pulumiEngine, ctx.projectRoot),
};

export async function runUp(args: CliArgs, env: Record<string, string | undefined>, io: Io, makeEngine: MakeEngine, projectRoot: string, tools: Tools = defaultTools): Promise<number> {
    const { cfg, findings: gated } = await gatedStack(args, projectRoot, tools, env);
    stopOnErrors(tools.analyze ? await tools.analyze(cfg) : gated);
    // openStack answers undefined only for down.
    const checks = prerequisites(tools);
    // Which Docker Hub login the cache pulls with (the user's own docker login, when there is one).
    const { login, programEnv, lines } = hostLogin(cfg, env, tools);
    const loggedIn = login?.kind === "login" || (cfg.cluster.kind === "k3d" && cfg.cluster.registryCache?.username !== undefined);
    // Said before anything starts (right before the prerequisites are checked): what a cold up pulls.
    const preflight: typeof checks.preflight = async (c, command, e) => {
        const note = coldUpNote(c, loggedIn);
        if (note) io.err(note);
        await checks.preflight(c, command, e);
        if (lines) io.err(lines);
    };
    const { engine, replace } = (await lifecycle().openStack("up", { stack: args.stack, cfg, env, projectRoot, err: io.err, makeEngine, prerequisites: { ...checks, preflight }, programEnv }))!;
    const r = await engine.up({ onOutput: io.out, replace, refresh: args.flags.refresh === true });
    io.out(`\nDone: ${lifecycle().summaryLine(r.summary)}\n${lifecycle().formatOutputs(r.outputs)}\n`);
    return 0;
}
