/** Whether a file backend already holds a stack's state, so `down` and `verify` can say "never deployed" without the engine. */
import * as fs from "fs";
import * as path from "path";

/** Whether a file backend holds state for the stack (project-scoped layout, or the older flat one). */
export function fileStateExists(dir: string, project: string, stack: string): boolean {
    const base = [path.join(dir, ".pulumi", "stacks", project, stack), path.join(dir, ".pulumi", "stacks", stack)];
    return base.some((b) => fs.existsSync(`${b}.json`) || fs.existsSync(`${b}.json.gz`));
}

/** Name of the Pulumi project (Pulumi.yaml), which scopes stacks in a file backend. */
export function projectName(projectRoot: string): string {
    try {
        const m = fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8").match(/^name:\s*["']?([^"'\s#]+)/m);
        return m ? m[1] : "istio-mesh";
    } catch {
        return "istio-mesh";
    }
}
