/**
 * `npm run diff -- --stack <s> --base <ref>`: the preview comment computed offline. Renders the stack
 * (the real program under mocks, `cli/main.ts render`) at the base ref, in a temporary git worktree, and
 * at the working tree, then compares the documents. No cluster, no Pulumi CLI, no secrets (render prints
 * them as `[secret]`), so it is safe on pull requests from forks.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { OperationError } from "../cli/errors";
import { diagramDiff, DiagramFinding } from "../diagram";
import { ChangeSet, describeChanges, manifestIdentity, ResourceChange } from "./changes";
import { deepEqual } from "./objectDiff";

export type Doc = Record<string, unknown>;

/** The Gateway API's Gateway is another kind than Istio's Gateway of the same name: named with its group, as findings name it. */
const kindOf = (d: Doc, kind: string): string => (kind === "Gateway" && String(d.apiVersion ?? "").startsWith("gateway.networking.k8s.io/") ? "Gateway.gateway.networking.k8s.io" : kind);

/** Identity of a rendered document: (kind, namespace, name) for manifests, (type, name) otherwise. */
export function docKey(d: Doc): string {
    const id = manifestIdentity(d);
    if (id) return `${kindOf(d, id.kind)}/${String((d.metadata as { namespace?: string }).namespace ?? "")}/${id.name}`;
    return `${String(d.type)}/${String(d.name)}`;
}

function docTitle(d: Doc): { title: string; name: string; kind?: string } {
    const id = manifestIdentity(d);
    const ns = (d.metadata as { namespace?: string } | undefined)?.namespace;
    if (id) return { title: `${kindOf(d, id.kind)} ${ns && ns !== "default" ? `${ns}/` : ""}${id.name}`, name: id.name, kind: id.kind };
    return { title: `${String(d.type)} ${String(d.name)}`, name: String(d.name) };
}

/** Object-level and property-level differences between two renders. */
export function compareDocuments(base: Doc[], head: Doc[]): ChangeSet {
    const before = new Map(base.map((d) => [docKey(d), d]));
    const after = new Map(head.map((d) => [docKey(d), d]));
    const changes: ResourceChange[] = [];
    let unchanged = 0;
    for (const [k, d] of after) {
        const old = before.get(k);
        const t = docTitle(d);
        if (!old) changes.push({ op: "create", title: t.title, details: [] });
        else if (deepEqual(old, d)) unchanged++;
        else {
            // Non-manifests ({type, name, inputs}) compare by their inputs, so paths read as the program's.
            const [b, a] = t.kind ? [old, d] : [old.inputs as Doc, d.inputs as Doc];
            changes.push({ op: "update", title: t.title, details: describeChanges(t.name, t.kind, b, a) });
        }
    }
    for (const [k, d] of before) if (!after.has(k)) changes.push({ op: "delete", title: docTitle(d).title, details: [] });
    return { changes, unchanged };
}

/**
 * The traffic diagram for the comment: the head's declared traffic with what changed since the base
 * marked (`v2 10 % → 25 %`). Drawn from the rendered documents of both sides, so it needs nothing
 * but the two renders. A base with no documents draws every edge as new.
 */
export function trafficDiagramDiff(base: Doc[], head: Doc[], findings?: readonly DiagramFinding[]): string {
    return diagramDiff(base, head, { findings });
}

export interface Rendered {
    docs: Doc[];
    /** Why the render has no documents, when it has none on purpose (said in the comment). */
    note?: string;
}

export class DiffError extends OperationError {
    constructor(message: string) {
        super(message);
        this.name = "DiffError";
    }
}

/**
 * How a checkout renders a stack: `cli/main.ts render <stack>` (the one entry point), or in a base
 * older than it, `scripts/render.ts <stack>`; undefined when it has neither.
 */
function renderArgs(dir: string, stack: string): string[] | undefined {
    if (fs.existsSync(path.join(dir, "cli", "main.ts"))) return [path.join(dir, "cli", "main.ts"), "render", stack];
    if (fs.existsSync(path.join(dir, "scripts", "render.ts"))) return [path.join(dir, "scripts", "render.ts"), stack];
    return undefined;
}

function renderIn(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["--import", "tsx", ...args], { cwd: dir, encoding: "utf8", timeout: 120000, maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? (r.error ? String(r.error) : "") };
}

function parse(stdout: string): Doc[] {
    return (yaml.loadAll(stdout) as unknown[]).filter((d): d is Doc => !!d && typeof d === "object");
}

/** The working tree's render; a failure here is the pull request's own problem and stops the diff. */
export function renderWorkingTree(root: string, stack: string): Doc[] {
    if (!fs.existsSync(path.join(root, `Pulumi.${stack}.yaml`))) throw new DiffError(`--stack ${stack}: there is no Pulumi.${stack}.yaml in ${root}`);
    const r = renderIn(root, renderArgs(root, stack)!);
    if (r.status !== 0) throw new DiffError(`rendering stack "${stack}" of the working tree failed:\n${r.stderr.trim()}`);
    return parse(r.stdout);
}

function git(root: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync("git", args, { cwd: root, encoding: "utf8" });
    return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/**
 * The stack rendered at `ref`, in a temporary worktree outside the project (removed afterwards) that
 * borrows the working tree's node_modules. A base without the render script or the stack file yields
 * no documents and a note: everything then reads as added.
 */
export function renderAtRef(root: string, ref: string, stack: string): Rendered {
    const sha = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
    if (sha.status !== 0) {
        throw new DiffError(`--base ${ref}: not a commit in this repository. Fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0), or pass a branch, tag or sha that exists.`);
    }
    const commit = sha.stdout.trim();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-base-"));
    try {
        const add = git(root, ["worktree", "add", "--detach", dir, commit]);
        if (add.status !== 0) throw new DiffError(`could not check out ${ref} into a temporary worktree: ${add.stderr.trim()}`);
        const args = renderArgs(dir, stack);
        if (!args) return { docs: [], note: `The base ${ref} (${commit.slice(0, 12)}) has no render script (cli/main.ts or scripts/render.ts): every object is shown as added.` };
        if (!fs.existsSync(path.join(dir, `Pulumi.${stack}.yaml`))) return { docs: [], note: `The base ${ref} (${commit.slice(0, 12)}) has no Pulumi.${stack}.yaml: every object is shown as added.` };
        fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
        const r = renderIn(dir, args);
        if (r.status !== 0) return { docs: [], note: `Stack "${stack}" does not render at the base ${ref} (${commit.slice(0, 12)}): ${r.stderr.trim().split("\n")[0]}. Every object is shown as added.` };
        return { docs: parse(r.stdout) };
    } finally {
        git(root, ["worktree", "remove", "--force", dir]);
        fs.rmSync(dir, { recursive: true, force: true });
        git(root, ["worktree", "prune"]);
    }
}
