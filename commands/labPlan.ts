/** npm run lab -- plan: offline, what each lesson changes, its findings and the checks verify will make (lab/plan.ts). */
import type { Command } from "../cli/run";
import { runLab } from "./lab";
import { lessonRange, stackOption } from "./options";

export const labPlan: Command = {
    spec: {
        name: "lab plan",
        summary: "Offline (no cluster, no CLI): for each lesson, what changes from the previous one, the analyzer's findings and the checks verify will make. Exit 1 if a lesson has errors or would be refused by run.",
        options: {
            ...stackOption("compose the lessons over"),
            ...lessonRange,
            markdown: { type: "string", value: "<file>", path: true, description: "write the plan as Markdown to this file instead of text on stdout" },
        },
    },
    run: (p, ctx) => runLab("plan", labPlan.spec, p, ctx),
};
