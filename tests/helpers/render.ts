import { spawnSync } from "child_process";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");

/** Runs `npm run render -- <args>` the way a user does (a separate process), minus npm's banner. */
export function render(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "cli", "main.ts"), "render", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
