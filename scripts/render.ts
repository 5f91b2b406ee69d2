/**
 * npm run render -- <stack> | --file <stack.yaml> [--stack <name>] [--output <file>]
 *
 * Runs the real program under Pulumi mocks with that stack's config and prints one YAML document per
 * registered resource. Needs no cluster, no Pulumi CLI, no credentials. Invalid config: exit 1, the
 * error on stderr, nothing on stdout. `npm run diff` runs this file at a git base ref with `<stack>`.
 */
import * as fs from "fs";
import { Parsed, stringOption } from "../cli/commandLine";
import type { Context } from "../cli/run";
import { stackOrFile } from "../cli/stacks";
import { readStackFile } from "../config/stackConfig";
import { runUnderMocks } from "../render/mocks";
import { renderYaml } from "../render/yaml";

export async function renderCommand(p: Parsed, ctx: Context): Promise<number> {
    const { file, stack } = stackOrFile(ctx.projectRoot, { positional: p.positionals[0], stack: stringOption(p, "stack"), file: stringOption(p, "file") });
    const flat = readStackFile(file);
    const mocks = await runUnderMocks(() => require("../index"), { stack, config: flat.values, secretKeys: flat.secretKeys });
    const text = renderYaml(mocks.resources, mocks.secretValues);
    const output = stringOption(p, "output");
    if (output) {
        fs.writeFileSync(output, text);
        ctx.io.err(`istio-mesh: wrote ${text.split("\n---\n").length} documents of stack "${stack}" to ${output}\n`);
    } else ctx.io.out(text);
    return 0;
}

if (require.main === module) (require("../cli/main") as typeof import("../cli/main")).main(["render", ...process.argv.slice(2)]);
