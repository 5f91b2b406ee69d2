/**
 * The one entry point of every `npm run` command: `node --import tsx cli/main.ts <command> [args…]`.
 * The list below is every command, in the order `npm run <typo>` names them; each lives in its own
 * module under commands/ with its option table beside its handler (docs/architecture.md, docs/commands.md).
 */
import * as path from "path";
import { analyze } from "../commands/analyze";
import { bench } from "../commands/bench";
import { diff } from "../commands/diff";
import { down } from "../commands/down";
import { gatewayApiCrds } from "../commands/gatewayApiCrds";
import { lab } from "../commands/lab";
import { labList } from "../commands/labList";
import { labPlan } from "../commands/labPlan";
import { labRun } from "../commands/labRun";
import { pins } from "../commands/pins";
import { preview } from "../commands/preview";
import { pulumi } from "../commands/pulumi";
import { render } from "../commands/render";
import { servicex } from "../commands/servicex";
import { up } from "../commands/up";
import { verify } from "../commands/verify";
import { Command, Context, dispatch } from "./run";

export const commands: Command[] = [render, analyze, bench, pins, gatewayApiCrds, servicex, up, preview, down, diff, verify, pulumi, lab, labList, labPlan, labRun];

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
