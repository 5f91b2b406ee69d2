import { spawnSync } from "child_process";
import * as path from "path";
import { runInProcess } from "./inProcess";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface RenderRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** `npm run render -- <args>` through the entry point's own dispatch, in this process (see ./inProcess.ts). */
export async function render(args: string[]): Promise<RenderRun> {
    const r = await runInProcess(["render", ...args]);
    return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** The same as a separate process, the way a user runs it (minus npm's banner): the entry point's exit status, stdout through a pipe. */
export function renderProcess(args: string[]): RenderRun {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "cli", "main.ts"), "render", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
