import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { diffMarker, previewMarker } from "../review/comment";
import { ROOT } from "./helpers/render";

// The validator checks each file against GitHub's published workflow schema (wasm build, offline).
const { validateWorkflow } = require("@action-validator/core") as { validateWorkflow: (src: string) => { errors: unknown[] } };

const dir = path.join(ROOT, ".github", "workflows");
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts);

type Step = { uses?: string; run?: string; if?: string; name?: string; id?: string; shell?: string; with?: Record<string, string> };
type Workflow = { on: Record<string, unknown>; jobs: Record<string, { steps: Step[]; env?: Record<string, string>; if?: string; defaults?: { run?: { shell?: string } } }> };
const load = (f: string) => yaml.load(fs.readFileSync(path.join(dir, f), "utf8")) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** `uses: owner/repo[/path]@<40-hex commit> # vX.Y.Z` (a tag can be moved; a commit cannot). */
const USES_PINNED = /^\s*(?:- )?uses: ([\w.-]+\/[\w.-]+(?:\/[\w./-]+)?)@([0-9a-f]{40}) # (v(\d+)\.\d+\.\d+)$/;

/** Every `uses:` line of a workflow as written (YAML loading drops the version comments). */
function usesLines(f: string): { n: number; line: string }[] {
    return fs.readFileSync(path.join(dir, f), "utf8").split("\n").map((line, i) => ({ n: i + 1, line })).filter((l) => /^\s*(- )?uses:/.test(l.line));
}

/**
 * The first major of each action that runs on Node 24 (`runs.using: node24` in its action.yml at that
 * tag). Node 20 was removed from GitHub's runners on 2026-09-16: an older major no longer runs as written.
 */
const NODE24_SINCE: Record<string, number> = { "actions/checkout": 5, "actions/setup-node": 5, "actions/upload-artifact": 6, "actions/github-script": 8 };

/** `npm run [--silent] <name>` in a shell script → the script names it calls. */
export function npmScriptsCalled(run: string): string[] {
    return [...run.matchAll(/\bnpm run(?:\s+--?[a-z-]+)*\s+([A-Za-z0-9:_-]+)/g)].map((m) => m[1]);
}

describe("GitHub Actions workflows", () => {
    it("there are the pull-request, deploy, e2e and pins workflows", () => {
        expect(files).to.include.members(["pull-request.yml", "deploy.yml", "e2e.yml", "pins.yml"]);
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
            it("pins every action by its full commit SHA, with the release in a comment (`@<sha> # vX.Y.Z`)", () => {
                const lines = usesLines(f);
                expect(lines.length, "uses: lines").to.equal(steps(load(f)).filter((x) => x.uses).length);
                for (const l of lines) expect(l.line, `${f}:${l.n}`).to.match(USES_PINNED);
            });
        });
    }

    it("every action is one whose Node 24 major is known, at that major or later, and one release is one commit everywhere", () => {
        const seen = new Map<string, string>();
        for (const f of files) {
            for (const l of usesLines(f)) {
                const m = USES_PINNED.exec(l.line);
                expect(m, `${f}:${l.n}`).to.not.equal(null);
                const [, action, sha, version, major] = m!;
                expect(NODE24_SINCE, `${f}:${l.n}: ${action} (add its first node24 major to NODE24_SINCE)`).to.have.property(action);
                expect(Number(major), `${f}:${l.n}: ${action} ${version} runs on Node 20`).to.be.at.least(NODE24_SINCE[action]);
                const key = `${action} ${version}`;
                expect(seen.get(key) ?? sha, `${f}:${l.n}: ${key} pinned to two commits`).to.equal(sha);
                seen.set(key, sha);
            }
        }
        expect([...seen.keys()].some((k) => k.startsWith("actions/upload-artifact v"))).to.equal(true);
    });

    it("the pin rules refuse a tag, a short SHA, a missing comment and an old runtime", () => {
        const ok = "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1";
        expect(ok).to.match(USES_PINNED);
        for (const bad of ["      - uses: actions/checkout@v7.0.1", "      - uses: actions/checkout@3d3c42e # v7.0.1", "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7"]) {
            expect(bad, bad).to.not.match(USES_PINNED);
        }
        const old = USES_PINNED.exec("        uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2")!;
        expect(Number(old[4])).to.be.lessThan(NODE24_SINCE["actions/upload-artifact"]);
    });

    it("pins: weekly and by hand, npm ci then npm run pins, fails with its exit code and names what is missing in the summary", () => {
        const w = load("pins.yml");
        expect(w.on).to.have.property("workflow_dispatch");
        expect((w.on.schedule as { cron: string }[])[0].cron).to.match(/^\d+ \d+ \* \* [0-6]$/);
        const all = steps(w);
        const ci = all.findIndex((s) => s.run === "npm ci --no-audit --no-fund");
        const pins = all.findIndex((s) => /npm run --silent pins\b/.test(s.run ?? ""));
        expect(ci).to.be.greaterThan(-1);
        expect(pins).to.be.greaterThan(ci);
        const run = all[pins].run ?? "";
        expect(run).to.include("rc=$?").and.include('exit "$rc"').and.include("::error");
        expect(all[pins].id).to.equal("pins");
        const sum = all.find((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? ""));
        expect(sum?.if).to.equal("always()");
        expect(sum?.run).to.include("missing|moved").and.include("Could not check");
        expect(w.jobs.pins.defaults?.run?.shell).to.equal("bash");
    });

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
        for (const stage of ["up", "verify", "down"]) expect(text).to.include(`echo "| ${stage} | \${SECONDS}s |" >> "$DIAG/stages.md"`);
    });

    describe("e2e fails loudly and keeps the evidence", () => {
        const w = load("e2e.yml");
        const job = w.jobs["dev-stack"];
        const all = steps(w);
        const index = (p: (s: Step) => boolean) => all.findIndex(p);

        it("every step that pipes runs in bash with pipefail (shell: bash), not GitHub's default `bash -e`", () => {
            expect(job.defaults?.run?.shell).to.equal("bash");
            const piping = all.filter((s) => /\|/.test((s.run ?? "").replace(/\|\|/g, "")));
            expect(piping.map((s) => s.name)).to.include.members(["up (k3d cluster, Istio, workloads, policies)", "verify (fortio inside the mesh, ingress on localhost:8000)"]);
            for (const s of piping) expect(s.shell, s.name).to.equal("bash");
            // The verify table goes through tee: only pipefail lets verify's exit code through.
            expect(all.find((s) => /npm run verify/.test(s.run ?? ""))?.run).to.match(/npm run verify -- --stack dev .*\| tee verify\.txt/);
        });

        it("on failure, before down: pods, events, describe of every pod not Ready, istiod, gateway and istio-proxy logs", () => {
            const diag = all.find((s) => s.name?.startsWith("diagnostics"));
            expect(diag?.if).to.equal("failure()");
            const run = diag?.run ?? "";
            expect(run).to.include("get pods -A -o wide").and.include("get events -A");
            expect(run).to.match(/describe pod/).and.include('$3 != "True"');
            expect(run).to.include("-l app=istiod").and.include("-l istio=ingressgateway").and.include("-c istio-proxy");
            expect(index((s) => s === diag)).to.be.lessThan(index((s) => /npm run down/.test(s.run ?? "")));
        });

        it("the engine's output and the rendered plan are kept, and uploaded as an artifact on failure", () => {
            expect(all.find((s) => /npm run up/.test(s.run ?? ""))?.run).to.include('tee "$DIAG/up.log"');
            expect(all.some((s) => /npm run --silent render -- dev > "\$DIAG\/render-dev.yaml"/.test(s.run ?? ""))).to.equal(true);
            const upload = all.find((s) => s.uses?.startsWith("actions/upload-artifact@") && s.name === "upload diagnostics");
            expect(upload?.if).to.equal("failure()");
            expect(upload?.with?.path).to.include("e2e-diagnostics/");
            expect(w.jobs["dev-stack"].steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))).to.not.equal(undefined);
            expect(JSON.stringify(load("e2e.yml"))).to.include('"DIAG":"e2e-diagnostics"');
        });

        it("the whole course runs after verify and before down; its report goes to the summary and is uploaded always", () => {
            const lab = index((s) => /npm run lab -- run --stack dev --skip-ok --report "\$DIAG\/lab-report\.md"/.test(s.run ?? ""));
            expect(lab).to.be.greaterThan(index((s) => /npm run verify/.test(s.run ?? "")));
            expect(lab).to.be.lessThan(index((s) => /npm run down/.test(s.run ?? "")));
            const sum = all.find((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? "") && /stages\.md/.test(s.run ?? ""));
            expect(sum?.run).to.include('cat "$DIAG/lab-report.md"');
            const upload = all.find((s) => s.name === "upload the course report");
            expect(upload?.if).to.equal("always()");
            expect(upload?.with?.path).to.include("lab-report.md");
        });

        it("the job summary lists each stage's duration and verify's table, whatever happened", () => {
            const sum = all.find((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? "") && /stages\.md/.test(s.run ?? ""));
            expect(sum?.if).to.equal("always()");
            expect(sum?.run).to.include("| stage | duration |").and.include("cat verify.txt");
        });
    });
});
