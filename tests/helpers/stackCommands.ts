/**
 * The five stack commands (up, preview, down, diff, verify) as the tests drive them: `parseArgs` goes
 * through the same strict parser and option tables as `npm run`, `run` calls the command's handler
 * with a fake engine and fake tools.
 */
import { parseCommandLine } from "../../cli/commandLine";
import { UsageError } from "../../cli/errors";
import type { Io } from "../../cli/run";
import { diff, runDiff } from "../../commands/diff";
import { down, runDown } from "../../commands/down";
import { preview, runPreview } from "../../commands/preview";
import { CliArgs, cliArgs, defaultTools, MakeEngine, StackCommand, STACK_COMMANDS, Tools } from "../../commands/stack";
import { runUp, up } from "../../commands/up";
import { runVerify, verify } from "../../commands/verify";

const SPECS = { up: up.spec, preview: preview.spec, down: down.spec, diff: diff.spec, verify: verify.spec };

/** `up --stack cloud` → CliArgs, through the strict parser `npm run` uses. */
export function parseArgs(argv: string[]): CliArgs {
    const [command, ...rest] = argv;
    if (!(STACK_COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command ${JSON.stringify(command ?? "")}: one of ${STACK_COMMANDS.join(", ")}`);
    const p = parseCommandLine(SPECS[command as StackCommand], rest);
    if (p.help) throw new UsageError(`--help is answered by the command line, not by parseArgs`);
    return cliArgs(command as StackCommand, p);
}

/** Runs the command the arguments name, as its module's handler does. */
export function run(args: CliArgs, env: Record<string, string | undefined>, io: Io, makeEngine: MakeEngine, projectRoot: string, tools: Tools = defaultTools): Promise<number> {
    switch (args.command) {
        case "up":
            return runUp(args, env, io, makeEngine, projectRoot, tools);
        case "preview":
            return runPreview(args, env, io, makeEngine, projectRoot, tools);
        case "down":
            return runDown(args, env, io, makeEngine, projectRoot, tools);
        case "diff":
            return runDiff(args, env, io, projectRoot, tools);
        case "verify":
            return runVerify(args, env, io, makeEngine, projectRoot, tools);
    }
}
