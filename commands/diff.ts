/**
 * npm run diff -- --base <git ref> [--stack <name>] [--markdown <file>] [--findings <findings.json>]:
 * the preview comment computed offline (review/offlineDiff.ts) — the stack rendered at a git ref and
 * at the working tree, the objects compared. No cluster, CLI or secrets.
 */
import { UsageError } from "../cli/errors";
import type { Command } from "../cli/run";
import type * as Comment from "../review/comment";
import type * as OfflineDiff from "../review/offlineDiff";
import { stackOption } from "./options";
import { CliArgs, cliArgs, defaultTools, findingsFor, gatedStack, Io, stringFlag, Tools, writeMarkdown } from "./stack";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const comment = () => require("../review/comment") as typeof Comment;
const offlineDiff = () => require("../review/offlineDiff") as typeof OfflineDiff;

export const diff: Command = {
    spec: {
        name: "diff",
        summary: "The preview comment computed offline: renders the stack at a git ref and at the working tree and compares the objects. No cluster, CLI or secrets.",
        options: {
            ...stackOption("compare"),
            base: { type: "string", value: "<git ref>", description: "the ref to compare against (required), e.g. origin/main" },
            markdown: { type: "string", value: "<file>", path: true, description: "write the comment to this file instead of stdout" },
            findings: { type: "string", value: "<findings.json>", path: true, description: "analyzer findings for the comment, instead of running the analyzer" },
        },
    },
    run: (p, ctx) => runDiff(cliArgs("diff", p), ctx.env, ctx.io, ctx.projectRoot),
};

/** Needs no engine, backend or passphrase: the stack rendered at the base and at the working tree. */
export async function runDiff(args: CliArgs, env: Record<string, string | undefined>, io: Io, projectRoot: string, tools: Tools = defaultTools): Promise<number> {
    const { cfg, findings: gated } = await gatedStack(args, projectRoot, tools, env);
    const base = stringFlag(args, "base");
    if (!base) throw new UsageError(`diff needs --base <git ref>, e.g. npm run diff -- --stack ${args.stack} --base origin/main`);
    const markdown = stringFlag(args, "markdown");
    const before = tools.renderAtRef(projectRoot, base, args.stack);
    const after = tools.renderWorkingTree(projectRoot, args.stack);
    const set = offlineDiff().compareDocuments(before.docs, after);
    const findings = await findingsFor(args, cfg, io, tools, gated, env);
    const text = comment().commentMarkdown(set, {
        marker: comment().diffMarker(args.stack),
        heading: `Offline diff — stack \`${args.stack}\``,
        subtitle: [`Rendered under mocks at \`${base}\` and at this change (no cluster, no credentials).`, before.note].filter(Boolean).join(" "),
        findings,
        // The traffic after the change, with what changed since the base marked (diagram/).
        diagram: offlineDiff().trafficDiagramDiff(before.docs, after, findings),
    });
    if (markdown) writeMarkdown(io, markdown, text, env);
    else io.out(text);
    return 0;
}
