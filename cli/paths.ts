/**
 * Paths the user types are the user's: relative to the directory they ran the command from. `npm run`
 * starts every script in the project root but sets INIT_CWD to the directory npm was run from, so
 * `cd examples/scenarios && npm run render -- --file 12-fault-abort.yaml` must read that file there.
 * Pure but for the fallback to process.cwd() when neither is given.
 */
import * as path from "path";

/** A path rather than a stack's or a lesson's name: it has a directory or ends in .yaml/.yml. */
export function looksLikeFile(arg: string): boolean {
    return /[\\/]/.test(arg) || /\.ya?ml$/i.test(arg);
}

/** Where the user stands: npm's INIT_CWD when npm ran the command, else the process's own directory. */
export function userDir(env: Record<string, string | undefined>, cwd: string = process.cwd()): string {
    const init = env.INIT_CWD;
    return init && path.isAbsolute(init) ? init : cwd;
}

/** A path as the user typed it → absolute, resolved from where they stand. */
export function userPath(given: string, env: Record<string, string | undefined>, cwd?: string): string {
    return path.resolve(userDir(env, cwd), given);
}

/**
 * An absolute path as the user would type it from where they stand: relative when it is at or below
 * their directory, else absolute (no `../../` to count).
 */
export function shownPath(absolute: string, env: Record<string, string | undefined> = process.env, cwd?: string): string {
    const rel = path.relative(userDir(env, cwd), absolute);
    if (rel === "") return ".";
    return path.isAbsolute(rel) || rel === ".." || rel.startsWith(`..${path.sep}`) ? absolute : rel;
}

/**
 * The parsed options with every path option (`path: true` in the command's table) made absolute from
 * where the user stands; a bare optional-value flag (`--graph` alone) keeps its marker.
 */
export function resolvePathOptions<P extends { values: Record<string, string | boolean | undefined> }>(
    options: Record<string, { type: string; path?: boolean }>,
    parsed: P,
    env: Record<string, string | undefined>,
    absent: string,
    cwd?: string,
): P {
    const values = { ...parsed.values };
    for (const [name, o] of Object.entries(options)) {
        const v = values[name];
        if (o.path && typeof v === "string" && v !== absent) values[name] = userPath(v, env, cwd);
    }
    return { ...parsed, values };
}
