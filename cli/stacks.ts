/** Which stacks exist (a `Pulumi.<name>.yaml` beside Pulumi.yaml) and which file a command reads. */
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./errors";
import { closest } from "../config/suggest";

export const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

export function listStacks(projectRoot: string): string[] {
    return fs
        .readdirSync(projectRoot)
        .map((f) => f.match(/^Pulumi\.(.+)\.ya?ml$/)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

export function stackFile(projectRoot: string, stack: string): string {
    const yml = path.join(projectRoot, `Pulumi.${stack}.yml`);
    return fs.existsSync(yml) ? yml : path.join(projectRoot, `Pulumi.${stack}.yaml`);
}

/** The stack file of a named stack; an unknown name lists the stacks that exist. */
export function resolveStack(projectRoot: string, stack: string, flag = "--stack"): { stack: string; file: string } {
    if (!STACK_NAME.test(stack)) throw new UsageError(`${flag} ${JSON.stringify(stack)}: a stack name has only letters, digits, '_', '.' and '-'`);
    const file = stackFile(projectRoot, stack);
    if (fs.existsSync(file)) return { stack, file };
    const stacks = listStacks(projectRoot);
    const guess = closest(stack, stacks);
    throw new UsageError(
        `no stack "${stack}": there is no Pulumi.${stack}.yaml in ${projectRoot}.${guess ? ` Did you mean ${guess}?` : ""} ` +
            `Stacks here: ${stacks.length ? stacks.join(", ") : "none"}. A new stack is a new Pulumi.<name>.yaml (copy Pulumi.dev.yaml).`,
    );
}

/**
 * `<stack>`, `--stack <name>` or `--file <path>`: a file named `Pulumi.<stack>.yaml` is that stack; any
 * other file (examples/scenarios/*.yaml) is rendered as the `dev` stack unless `--stack` says otherwise.
 */
export function stackOrFile(projectRoot: string, o: { positional?: string; stack?: string; file?: string }): { stack: string; file: string } {
    if (o.positional && o.stack && o.positional !== o.stack) throw new UsageError(`two stacks given: "${o.positional}" and --stack ${o.stack}; give one`);
    if (o.file) {
        if (o.positional) throw new UsageError(`give a stack or --file, not both (got "${o.positional}" and --file ${o.file})`);
        const file = path.resolve(o.file);
        if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`--file ${o.file}: no such file`);
        const named = path.basename(file).match(/^Pulumi\.(.+)\.ya?ml$/);
        const stack = o.stack ?? (named ? named[1] : "dev");
        if (!STACK_NAME.test(stack)) throw new UsageError(`--stack ${JSON.stringify(stack)}: a stack name has only letters, digits, '_', '.' and '-'`);
        return { stack, file };
    }
    const name = o.positional ?? o.stack;
    if (!name) throw new UsageError(`which stack? Give one of: ${listStacks(projectRoot).join(", ")} (or --file <stack yaml>)`);
    return resolveStack(projectRoot, name, o.positional ? "stack" : "--stack");
}
