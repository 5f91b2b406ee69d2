import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { diffMarker, previewMarker } from "../automation/cli";
import { ROOT } from "./helpers/render";

// The validator checks each file against GitHub's published workflow schema (wasm build, offline).
const { validateWorkflow } = require("@action-validator/core") as { validateWorkflow: (src: string) => { errors: unknown[] } };

const dir = path.join(ROOT, ".github", "workflows");
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);

type Step = { uses?: string; run?: string; if?: string; name?: string; with?: Record<string, string> };
type Workflow = { on: Record<string, unknown>; jobs: Record<string, { steps: Step[]; env?: Record<string, string>; if?: string }> };
const load = (f: string) => yaml.load(fs.readFileSync(path.join(dir, f), "utf8")) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** `npm run [--silent] <name>` in a shell script → the script names it calls. */
export function npmScriptsCalled(run: string): string[] {
    return [...run.matchAll(/\bnpm run(?:\s+--?[a-z-]+)*\s+([A-Za-z0-9:_-]+)/g)].map((m) => m[1]);
}

describe("GitHub Actions workflows", () => {
    it("there are the pull-request, deploy and e2e workflows", () => {
        expect(files).to.include.members(["pull-request.yml", "deploy.yml", "e2e.yml"]);
    });

    for (const f of files) {
        describe(f, () => {
            it("is valid for GitHub (action-validator)", () => {
                const r = validateWorkflow(fs.readFileSync(path.join(dir, f), "utf8"));
                expect(r.errors, JSON.stringify(r.errors, null, 2)).to.deep.equal([]);
            });
            it("calls only npm scripts that exist", () => {
                const called = steps(load(f)).flatMap((s) => npmScriptsCalled(s.run ?? ""));
                for (const c of called) expect(scripts, `${f} runs "npm run ${c}"`).to.include(c);
            });
            it("pins every action by a version tag or a commit", () => {
                for (const s of steps(load(f)).filter((x) => x.uses)) expect(s.uses).to.match(/@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
            });
        });
    }

    it("the script-name extraction reads flags and arguments correctly", () => {
        expect(npmScriptsCalled('npm run --silent render -- dev > x\nnpm run diff -- --base "origin/main"; npm test')).to.deep.equal(["render", "diff"]);
    });

    it("pull request: tests, render, the offline diff against the base, comment edited in place by its marker", () => {
        const w = load("pull-request.yml");
        expect(w.on).to.have.property("pull_request");
        const all = steps(w);
        expect(all.map((s) => s.run ?? "")).to.include.members(["npm ci --no-audit --no-fund", "npm test"]);
        expect(all.some((s) => /npm run diff -- --stack dev --base "origin\/\$\{\{ github.base_ref \}\}" --markdown diff.md/.test(s.run ?? ""))).to.equal(true);
        const diffJob = w.jobs["offline-diff"];
        expect(diffJob.steps[0].with).to.deep.equal({ "fetch-depth": 0 });
        const comment = diffJob.steps.find((s) => s.uses?.startsWith("actions/github-script@"));
        expect(comment?.with?.script).to.include("upsert-comment.js").and.include("<!-- istio-mesh:diff:dev -->");
        expect(fs.existsSync(path.join(ROOT, ".github", "scripts", "upsert-comment.js"))).to.equal(true);
        // The engine preview needs credentials: only where they are configured, never for forks.
        expect(w.jobs["engine-preview"].if).to.include("vars.PREVIEW_STACK").and.include("head.repo.full_name == github.repository");
        expect(steps({ ...w, jobs: { p: w.jobs["engine-preview"] } }).some((s) => /npm run preview -- --stack .* --markdown preview.md/.test(s.run ?? ""))).to.equal(true);
    });

    it("the comment markers match what the CLI writes", () => {
        const text = fs.readFileSync(path.join(dir, "pull-request.yml"), "utf8");
        expect(text).to.include(diffMarker("dev"));
        expect(previewMarker("${process.env.STACK}")).to.equal("<!-- istio-mesh:preview:${process.env.STACK} -->");
        expect(text).to.include("<!-- istio-mesh:preview:${process.env.STACK} -->");
    });

    it("deploy: up for a chosen stack, by hand or on main", () => {
        const w = load("deploy.yml");
        expect(w.on).to.have.property("workflow_dispatch");
        expect(w.on).to.have.property("push");
        expect(steps(w).some((s) => s.run === 'npm run up -- --stack "$STACK"')).to.equal(true);
    });

    it("e2e: pinned k3d v5.9.0, up → verify on dev, down always, each stage timed", () => {
        const text = fs.readFileSync(path.join(dir, "e2e.yml"), "utf8");
        const w = load("e2e.yml");
        expect(text).to.include("K3D_VERSION: v5.9.0").and.include("releases/download/${K3D_VERSION}/k3d-linux-amd64");
        const runs = steps(w).map((s) => s.run ?? "");
        const at = (re: RegExp) => runs.findIndex((r) => re.test(r));
        expect(at(/npm run up -- --stack dev/)).to.be.lessThan(at(/npm run verify -- --stack dev/));
        expect(at(/npm run verify -- --stack dev/)).to.be.lessThan(at(/npm run down -- --stack dev/));
        expect(steps(w).find((s) => /npm run down/.test(s.run ?? ""))?.if).to.equal("always()");
        for (const stage of ["up", "verify", "down"]) expect(text).to.include(`echo "${stage}: \${SECONDS}s"`);
    });
});
