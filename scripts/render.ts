/**
 * npm run render -- <stack>            (reads Pulumi.<stack>.yaml)
 * npm run render -- --file <stack.yaml> [--stack <name>]
 *
 * Runs the real program under Pulumi mocks with that stack's config and prints one YAML document per
 * registered resource. Needs no cluster, no Pulumi CLI, no credentials. Invalid config: exit 1, the
 * error on stderr, nothing on stdout.
 */
import { AnalysisError } from "../analysis/finding";
import { ConfigError } from "../config/reader";
import { readStackFile } from "../config/stackConfig";
import { runUnderMocks } from "../render/mocks";
import { renderYaml } from "../render/yaml";
import { stackFileArgs } from "./stackArgs";

async function main(): Promise<void> {
    const { file, stack } = stackFileArgs(process.argv.slice(2), "usage: npm run render -- <stack> | --file <path to a stack yaml> [--stack <name>]");
    const flat = readStackFile(file);
    const mocks = await runUnderMocks(() => require("../index"), { stack, config: flat.values, secretKeys: flat.secretKeys });
    process.stdout.write(renderYaml(mocks.resources, mocks.secretValues));
}

main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError || err instanceof AnalysisError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
});
