/**
 * npm run down -- [--stack <name>]: destroys everything the stack deployed (on dev: the k3d cluster).
 * A stack with no state is said so, and nothing changes. Only the cluster kind's prerequisites and the
 * Pulumi CLI are checked first: the analyzer's findings do not stop a teardown.
 */
import type { Command } from "../cli/run";
import type * as Lifecycle from "../engine/lifecycle";
import type * as RegistryCache from "../mesh/k3d/registryCache";
import { stackOption } from "./options";
import { CliArgs, cliArgs, defaultTools, gatedStack, Io, MakeEngine, prerequisites, pulumiEngine, Tools } from "./stack";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const lifecycle = () => require("../engine/lifecycle") as typeof Lifecycle;
const registryCache = () => require("../mesh/k3d/registryCache") as typeof RegistryCache;

export const down: Command = {
    spec: {
        name: "down",
        summary: "Destroys everything the stack deployed (on dev: the k3d cluster). A stack with no state is said so, and nothing changes.",
        options: { ...stackOption("destroy"), yes: { type: "boolean", short: "y", description: "accepted for habit's sake: down never prompts" } },
    },
    run: (p, ctx) => runDown(cliArgs("down", p), ctx.env, ctx.io, pulumiEngine, ctx.projectRoot),
};

export async function runDown(args: CliArgs, env: Record<string, string | undefined>, io: Io, makeEngine: MakeEngine, projectRoot: string, tools: Tools = defaultTools): Promise<number> {
    // Down reads the config too: the cluster kind decides the passphrase and the prerequisites.
    const { cfg } = await gatedStack(args, projectRoot, tools, env);
    const opened = await lifecycle().openStack("down", { stack: args.stack, cfg, env, projectRoot, err: io.err, makeEngine, prerequisites: prerequisites(tools) });
    if (!opened) return 0;
    const r = await opened.engine.destroy({ onOutput: io.out });
    io.out(`\nDestroyed: ${lifecycle().summaryLine(r.summary)}\n`);
    const kept = registryCache().registryCacheKeptNotice(cfg);
    if (kept) io.err(kept);
    return 0;
}
