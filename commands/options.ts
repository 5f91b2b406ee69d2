/** Option tables several commands share, so `--stack` or `--from` reads the same in every help. */
import type { OptionSpec, PositionalSpec } from "../cli/commandLine";

export const stackOption = (what: string): Record<string, OptionSpec> => ({
    stack: { type: "string", short: "s", value: "<name>", description: `the stack (a Pulumi.<name>.yaml here) to ${what}`, default: "dev" },
});

export const stackFileOptions: Record<string, OptionSpec> = {
    file: { type: "string", short: "f", value: "<stack.yaml>", path: true, description: "read this stack file instead (e.g. examples/scenarios/12-fault-abort.yaml, rendered as the dev stack)" },
    stack: { type: "string", short: "s", value: "<name>", description: "the stack's name (with --file: the stack the file is read as)" },
};

export const stackPositional: PositionalSpec[] = [{ name: "<stack>", description: "a stack of this project: dev, cloud, … (or --file)", optional: true }];

/** `--api`: the routing API the lessons are planned or applied in (lab plan, lab run). */
export const apiOption = (what: string): Record<string, OptionSpec> => ({
    api: { type: "string", value: "<istio|gateway-api>", description: `the routing API the lessons are ${what} in (default: the stack's own istio-mesh:trafficApi)` },
});

export const lessonRange: Record<string, OptionSpec> = {
    from: { type: "string", value: "<lesson>", description: "start at this lesson: its number in npm run lab -- list, or its id (11, 12-fault-abort)" },
    to: { type: "string", value: "<lesson>", description: "end at this lesson (inclusive), by number or id" },
    only: { type: "string", value: "<lesson>", description: "this one lesson, by number or id (not with --from/--to)" },
};

export const ingressUrlOption: Record<string, OptionSpec> = {
    "ingress-url": { type: "string", value: "<http://host:port>", description: "where the ingress gateway answers from here (default on k3d: the host port)" },
};
