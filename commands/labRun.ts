/** npm run lab -- run: each lesson applied to the running lab, measured with verify, reported (lab/run.ts). */
import type { Command } from "../cli/run";
import { runLab } from "./lab";
import { apiOption, ingressUrlOption, lessonRange, stackOption } from "./options";

export const labRun: Command = {
    spec: {
        name: "lab run",
        summary: "Applies each lesson to the running lab (an up that must touch neither the cluster nor Istio), waits for the proxies, measures it with verify and reports. Restores the stack's own config at the end, also after Ctrl-C or a failure. Exit 1 if any lesson did not PASS.",
        options: {
            ...stackOption("run the course on"),
            ...lessonRange,
            report: { type: "string", value: "<file.md>", path: true, description: "also write the Markdown report to this file" },
            json: { type: "string", value: "<file>", path: true, description: "write the results as JSON to this file" },
            bail: { type: "boolean", description: "stop at the first lesson that does not PASS" },
            keep: { type: "boolean", description: "leave the last lesson applied instead of restoring the stack's own config" },
            "skip-ok": { type: "boolean", description: "a lesson that is SKIP (nothing it teaches can be measured, e.g. a load-balancer algorithm) does not fail the run" },
            ...ingressUrlOption,
            context: { type: "string", value: "<kube context>", description: "the kube context verify uses" },
            samples: { type: "string", value: "<n>", description: "requests per split check, 20 to 10000", default: "200" },
            ...apiOption("applied"),
            dataplane: { type: "string", value: "<sidecar|ambient>", description: "the data plane the running lab must be on (default: the stack's); a lesson with no path there is SKIP, never PASS" },
        },
    },
    run: (p, ctx) => runLab("run", labRun.spec, p, ctx),
};
