/** npm run lab -- plan: offline, what each lesson changes, its findings and the checks verify will make (lab/plan.ts). */
import type { Command } from "../cli/run";
import { runLab } from "./lab";
import { apiOption, lessonRange, stackOption } from "./options";

export const labPlan: Command = {
    spec: {
        name: "lab plan",
        summary: "Offline (no cluster, no CLI): for each lesson, what changes from the previous one, the analyzer's findings and the checks verify will make. Exit 1 if a lesson has errors or would be refused by run.",
        options: {
            ...stackOption("compose the lessons over"),
            ...lessonRange,
            markdown: { type: "string", value: "<file>", path: true, description: "write the plan as Markdown to this file instead of text on stdout" },
            ...apiOption("planned"),
            "compare-api": { type: "boolean", description: "each lesson in both routing APIs side by side: the objects each produces, what differs, what verify checks (with --only for one lesson)" },
            dataplane: { type: "string", value: "<sidecar|ambient>", description: "plan the course on this data plane (default: the stack's istio-mesh:dataplane); on ambient a lesson with no ambient path is SKIP with its reason" },
            "compare-dataplane": { type: "boolean", description: "instead of the plan, one page comparing every lesson on sidecar and ambient: the objects each needs, who enforces it, whether ambient supports it, the sources (Markdown; with --markdown, to a file)" },
        },
        notes: ["examples:", "  npm run lab -- plan --api gateway-api", "  npm run lab -- plan --compare-api --only 9", "  npm run lab -- plan --dataplane ambient", "  npm run lab -- plan --compare-dataplane --markdown dataplanes.md"],
    },
    run: (p, ctx) => runLab("plan", labPlan.spec, p, ctx),
};
