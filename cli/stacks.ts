/** Which stacks exist (a `Pulumi.<name>.yaml` beside Pulumi.yaml) and which file a command reads. */
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./errors";
import { closest } from "../config/suggest";
import { looksLikeFile, shownPath, userDir } from "./paths";

type Env = Record<string, string | undefined>;

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

/** The stack a `Pulumi.<name>.yaml` of this project names, when the file given is one of them. */
function projectStackOf(projectRoot: string, file: string, env: Env): string | undefined {
    const m = path.basename(file).match(/^Pulumi\.(.+)\.ya?ml$/);
    return m && path.resolve(userDir(env), file) === stackFile(projectRoot, m[1]) ? m[1] : undefined;
}

/** The stack file of a named stack; an unknown name lists the stacks that exist. */
export function resolveStack(projectRoot: string, stack: string, flag = "--stack", env: Env = process.env): { stack: string; file: string } {
    if (looksLikeFile(stack)) {
        const own = projectStackOf(projectRoot, stack, env);
        throw new UsageError(
            `${flag} ${stack}: that is a file, not a stack name. ${own ? `Did you mean --stack ${own}? ` : ""}` +
                `A stack is named by its Pulumi.<name>.yaml here (${listStacks(projectRoot).join(", ")}); render and analyze read any stack file with --file <path>.`,
        );
    }
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
export function stackOrFile(projectRoot: string, o: { positional?: string; stack?: string; file?: string }, env: Env = process.env): { stack: string; file: string } {
    if (o.positional && o.stack && o.positional !== o.stack) throw new UsageError(`two stacks given: "${o.positional}" and --stack ${o.stack}; give one`);
    if (o.file) {
        if (o.positional) throw new UsageError(`give a stack or --file, not both (got "${o.positional}" and --file ${o.file})`);
        // Already absolute when it came through the command line (cli/paths.ts); relative: from where the user stands.
        const file = path.resolve(userDir(env), o.file);
        if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
            const shown = shownPath(file, env);
            throw new UsageError(`--file ${shown}: no such file${path.isAbsolute(shown) ? "" : ` (relative paths are read from ${userDir(env)}, where the command was run)`}`);
        }
        const named = path.basename(file).match(/^Pulumi\.(.+)\.ya?ml$/);
        const stack = o.stack ?? (named ? named[1] : "dev");
        if (!STACK_NAME.test(stack)) throw new UsageError(`--stack ${JSON.stringify(stack)}: a stack name has only letters, digits, '_', '.' and '-'`);
        return { stack, file };
    }
    if (o.positional && looksLikeFile(o.positional)) {
        const own = projectStackOf(projectRoot, o.positional, env);
        throw new UsageError(`"${o.positional}" is a file, not a stack name: did you mean --file ${o.positional}?${own ? ` (or the stack ${own})` : ""}`);
    }
    const name = o.positional ?? o.stack;
    if (!name) throw new UsageError(`which stack? Give one of: ${listStacks(projectRoot).join(", ")} (or --file <stack yaml>)`);
    return resolveStack(projectRoot, name, o.positional ? "stack" : "--stack", env);
}
