/**
 * npm run preview -- [--stack <name>] [--markdown <file>] [--findings <findings.json>]: what `up` would
 * change, against the stack's real state, after the same checks as `up`; with --markdown, also the
 * pull-request comment (review/comment.ts) built from the engine's events.
 */
import type { Command } from "../cli/run";
import type * as Analysis from "../analysis";
import type * as Mesh from "../mesh/plan";
import type * as Diagram from "../diagram";
import type * as Lifecycle from "../engine/lifecycle";
import type * as Changes from "../review/changes";
import type * as Comment from "../review/comment";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { stackOption } from "./options";
import { CliArgs, cliArgs, defaultTools, findingsFor, gatedStack, hostLogin, Io, MakeEngine, prerequisites, pulumiEngine, stopOnErrors, stringFlag, Tools, writeMarkdown } from "./stack";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const analysis = () => require("../analysis") as typeof Analysis;
const changes = () => require("../review/changes") as typeof Changes;
const comment = () => require("../review/comment") as typeof Comment;
const diagram = () => require("../diagram") as typeof Diagram;
const lifecycle = () => require("../engine/lifecycle") as typeof Lifecycle;
const mesh = () => require("../mesh/plan") as typeof Mesh;

export const preview: Command = {
    spec: {
        name: "preview",
        summary: "Shows what `up` would change, against the stack's real state. Checks config and prerequisites first.",
        options: {
            ...stackOption("preview"),
            refresh: { type: "boolean", description: "read every object back from the cluster first (as up --refresh)" },
            markdown: { type: "string", value: "<file>", path: true, description: "also write a pull-request comment (Markdown) to this file" },
            findings: { type: "string", value: "<findings.json>", path: true, description: "analyzer findings for the comment (npm run analyze -- --json), instead of running the analyzer" },
        },
    },
    run: (p, ctx) => runPreview(cliArgs("preview", p), ctx.env, ctx.io, pulumiEngine, ctx.projectRoot),
};

export async function runPreview(args: CliArgs, env: Record<string, string | undefined>, io: Io, makeEngine: MakeEngine, projectRoot: string, tools: Tools = defaultTools): Promise<number> {
    const { cfg, findings: gated } = await gatedStack(args, projectRoot, tools, env);
    const markdown = stringFlag(args, "markdown");
    const heading = `Pulumi preview — stack \`${args.stack}\``;
    const findings = tools.analyze ? await tools.analyze(cfg) : gated;
    stopOnErrors(findings, () => {
        if (!markdown) return;
        writeMarkdown(io, markdown, comment().commentMarkdown(changes().changesFromEvents([]), {
            marker: comment().previewMarker(args.stack),
            heading,
            subtitle: "Not run: the analyzer found errors that stop the program before it registers anything.",
            findings,
        }), env);
    });
    // openStack answers undefined only for down.
    // The same login as up, so the preview shows no change of the cache's login that up would not make.
    const { programEnv, lines } = hostLogin(cfg, env, tools);
    const checks = prerequisites(tools);
    const preflight: typeof checks.preflight = async (c, command, e) => {
        await checks.preflight(c, command, e);
        if (lines) io.err(lines);
    };
    const { engine, backend, replace } = (await lifecycle().openStack("preview", { stack: args.stack, cfg, env, projectRoot, err: io.err, makeEngine, prerequisites: { ...checks, preflight }, programEnv }))!;
    const events: EngineEvent[] = [];
    const r = await engine.preview({ onOutput: io.out, onEvent: (e) => events.push(e), replace, refresh: args.flags.refresh === true });
    io.out(`\nPreview: ${lifecycle().summaryLine(r.summary)}\n`);
    if (markdown) {
        const commentFindings = await findingsFor(args, cfg, io, tools, gated, env);
        const text = comment().commentMarkdown(changes().changesFromEvents(events), {
            marker: comment().previewMarker(args.stack),
            heading,
            subtitle: `Engine preview against the stack's real state (${backend.startsWith("file://") ? "local file backend" : backend.replace(/\/\/[^/]*@/, "//")}).`,
            findings: commentFindings,
            // The engine's events carry no base-side objects to compare: the traffic as declared now (the offline diff marks the changes).
            diagram: diagram().trafficDiagram(analysis().planObjects(mesh().buildPlan(cfg)), { findings: commentFindings }),
        });
        writeMarkdown(io, markdown, text, env);
    }
    return 0;
}
