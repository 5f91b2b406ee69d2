/**
 * The one entry point of every `npm run` command: `node --import tsx cli/main.ts <command> [args…]`.
 * See cli/commands.ts for the commands and docs/commands.md for their flags and exit codes.
 */
import * as path from "path";
import { commands } from "./commands";
import { Context, dispatch } from "./run";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

export function processContext(): Context {
    return { io: { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }, env: process.env, projectRoot: PROJECT_ROOT };
}

/** Runs the command and exits once stdout has drained (a piped `render | …` gets every byte). */
export function main(argv: string[]): void {
    void dispatch(commands, argv, processContext()).then((code) => {
        process.exitCode = code;
        process.stdout.write("", () => process.exit(code));
    });
}

if (require.main === module) main(process.argv.slice(2));
