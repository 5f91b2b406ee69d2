/**
 * npm run render -- <stack>            (reads Pulumi.<stack>.yaml)
 * npm run render -- --file <stack.yaml>
 *
 * Runs the real program under Pulumi mocks with that stack's config and prints one YAML document per
 * registered resource. Needs no cluster, no Pulumi CLI, no credentials. Invalid config: exit 1, the
 * error on stderr, nothing on stdout.
 */
import * as path from "path";
import { AnalysisError } from "../analysis/finding";
import { ConfigError } from "../config/reader";
import { readStackFile } from "../config/stackConfig";
import { runUnderMocks } from "../render/mocks";
import { renderYaml } from "../render/yaml";

export function stackFileArgs(argv: string[], usage: string): { file: string; stack: string } {
    const root = path.resolve(__dirname, "..");
    const i = argv.indexOf("--file");
    if (i >= 0) {
        const file = argv[i + 1];
        if (!file) throw new Error(`--file needs a path\n${usage}`);
        const base = path.basename(file).match(/^Pulumi\.(.+)\.ya?ml$/);
        return { file: path.resolve(file), stack: base ? base[1] : path.basename(file).replace(/\.ya?ml$/, "") };
    }
    const stack = argv.find((a) => !a.startsWith("-"));
    if (!stack) throw new Error(usage);
    return { file: path.join(root, `Pulumi.${stack}.yaml`), stack };
}

async function main(): Promise<void> {
    const { file, stack } = stackFileArgs(process.argv.slice(2), "usage: npm run render -- <stack> | --file <path to a stack yaml>");
    const flat = readStackFile(file);
    const mocks = await runUnderMocks(() => require("../index"), { stack, config: flat.values, secretKeys: flat.secretKeys });
    process.stdout.write(renderYaml(mocks.resources, mocks.secretValues));
}

main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError || err instanceof AnalysisError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
