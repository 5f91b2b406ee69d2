/** Option tables several commands share, so `--stack` or `--from` reads the same in every help. */
import type { OptionSpec, PositionalSpec } from "../cli/commandLine";

export const stackOption = (what: string): Record<string, OptionSpec> => ({
    stack: { type: "string", short: "s", value: "<name>", description: `the stack (a Pulumi.<name>.yaml here) to ${what}`, default: "dev" },
});

export const stackFileOptions: Record<string, OptionSpec> = {
    file: { type: "string", short: "f", value: "<stack.yaml>", description: "read this stack file instead (e.g. examples/scenarios/12-fault-abort.yaml, rendered as the dev stack)" },
    stack: { type: "string", short: "s", value: "<name>", description: "the stack's name (with --file: the stack the file is read as)" },
};

export const stackPositional: PositionalSpec[] = [{ name: "<stack>", description: "a stack of this project: dev, cloud, … (or --file)", optional: true }];

export const lessonRange: Record<string, OptionSpec> = {
    from: { type: "string", value: "<lesson id>", description: "start at this lesson (npm run lab -- list)" },
    to: { type: "string", value: "<lesson id>", description: "end at this lesson (inclusive)" },
    only: { type: "string", value: "<lesson id>", description: "this one lesson (not with --from/--to)" },
};

export const ingressUrlOption: Record<string, OptionSpec> = {
    "ingress-url": { type: "string", value: "<http://host:port>", description: "where the ingress gateway answers from here (default on k3d: the host port)" },
};
