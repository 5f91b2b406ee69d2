/** npm run lab -- list: the course's lessons, numbered, with the course section each follows. */
import type { Command } from "../cli/run";
import { runLab } from "./lab";

export const labList: Command = {
    spec: { name: "lab list", summary: "The course's lessons, numbered, with the course section each follows.", options: {} },
    run: (p, ctx) => runLab("list", labList.spec, p, ctx),
};
