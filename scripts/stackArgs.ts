/** `<stack>` or `--file <path>` [--stack <name>], shared by render and analyze. */
import * as path from "path";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/**
 * A file named `Pulumi.<stack>.yaml` is that stack; any other file (e.g. examples/scenarios/*.yaml,
 * snippets for the dev stack) is rendered as the `dev` stack unless `--stack` says otherwise.
 */
export function stackFileArgs(argv: string[], usage: string): { file: string; stack: string } {
    const flag = (name: string) => {
        const i = argv.indexOf(name);
        if (i < 0) return undefined;
        const v = argv[i + 1];
        if (!v || v.startsWith("--")) throw new Error(`${name} needs a value\n${usage}`);
        return v;
    };
    const file = flag("--file");
    const stack = flag("--stack");
    if (file) {
        const named = path.basename(file).match(/^Pulumi\.(.+)\.ya?ml$/);
        return { file: path.resolve(file), stack: stack ?? (named ? named[1] : "dev") };
    }
    const positional = argv.filter((a, i) => !a.startsWith("--") && !(i > 0 && argv[i - 1].startsWith("--")));
    const name = stack ?? positional[0];
    if (!name) throw new Error(usage);
    return { file: path.join(PROJECT_ROOT, `Pulumi.${name}.yaml`), stack: name };
}
