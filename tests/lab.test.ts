import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { labCommand, LabDeps, LabOptions, selectLessons } from "../lab/course";
import { composeConfig, ConfigMap, readStackDoc } from "../lab/compose";
import { platformChanges, typeChain } from "../lab/engine";
import { Lesson, LESSONS } from "../lab/lessons";
import { defaultDescribe, VerifyResult } from "../lab/measure";
import { parseCommandLine } from "../cli/commandLine";
import { commands } from "../cli/main";
import { labOptions } from "../commands/lab";
import { labEngineOver, StackLike, stepsFromEvents } from "../lab/pulumiEngine";
import { courseLine, reportJson, reportMarkdown } from "../lab/report";
import { CoursePlan, LessonPlan, planSummary } from "../lab/plan";
import { CourseResult, exitCode, formatSeconds, lessonVerdict, runCourse } from "../lab/run";
import { Cue, fakeMeasure, FakeClock, FakeEngine, K3D_URN, ROOT, tempRoot, VS_URN } from "./helpers/lab";

const SCENARIOS = path.join(ROOT, "examples", "scenarios");
const GOLDEN = path.join(__dirname, "fixtures", "lab", "plan.golden.txt");

function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out: () => out.join(""), err: () => err.join("") };
}

/** labCommand with fakes for everything outside: engine, verify, clock, Ctrl-C. */
function harness(o: { root?: string; lessons?: readonly Lesson[]; cues?: Cue[] } = {}) {
    const root = o.root ?? ROOT;
    const clock = new FakeClock();
    const own = readStackDoc(path.join(root, "Pulumi.dev.yaml")).config;
    const engine = new FakeEngine(own, clock);
    const m = fakeMeasure(clock, o.cues);
    let interrupt: (() => void) | undefined;
    let unsubscribed = false;
    const deps: LabDeps = {
        root,
        lessons: o.lessons ?? LESSONS,
        engine: async () => engine,
        measure: () => m.measure,
        describe: () => (cfg) => [`nginx-vs: answers ${JSON.stringify(cfg.services.find((s) => s.name === "nginx-service")?.virtualService?.route ?? [])}`],
        now: clock.now,
        onInterrupt: (h) => {
            interrupt = h;
            return () => (unsubscribed = true);
        },
    };
    const c = capture();
    return {
        deps,
        engine,
        clock,
        seen: m.seen,
        interrupt: () => interrupt!(),
        unsubscribed: () => unsubscribed,
        run: (sub: "list" | "plan" | "run", opts: LabOptions = {}) => labCommand(sub, opts, c.io, deps),
        out: c.out,
        err: c.err,
    };
}

const lesson = (id: string): Lesson => LESSONS.find((l) => l.id === id)!;
const configsApplied = (e: FakeEngine) => e.calls.filter((c) => c.op === "setConfig").map((c) => (c as { config: ConfigMap }).config);

describe("lab: the course as data (lab/lessons.ts)", () => {
    it("covers every scenario file, once, in course order, each lesson named after its file", () => {
        const files = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith(".yaml")).map((f) => f.replace(/\.yaml$/, ""));
        expect(LESSONS.map((l) => l.id).sort()).to.deep.equal(files.sort());
        for (const l of LESSONS) expect(l.scenario, l.id).to.equal(`examples/scenarios/${l.id}.yaml`);
        expect(new Set(LESSONS.map((l) => l.id)).size).to.equal(LESSONS.length);
        // The course's runs with other values, in the order it ran them.
        const order = (ids: string[]) => ids.map((id) => LESSONS.findIndex((l) => l.id === id));
        for (const run of [["09-canary-90-10", "09-canary-75-25", "09-canary-20-80"], ["12-fault-delay", "12-fault-delay-50", "12-fault-delay-0"], ["13-no-circuit-breaker", "13-circuit-breaker", "13-circuit-breaker-10-errors"]]) {
            const idx = order(run);
            expect(idx.every((x) => x >= 0), run.join(",")).to.equal(true);
            expect([...idx].sort((a, b) => a - b)).to.deep.equal(idx);
        }
        expect(LESSONS[0].id).to.equal("09-canary-90-10");
        expect(LESSONS[LESSONS.length - 1].id).to.equal("18-security");
    });

    it("every lesson says what to observe and gives the course's commands with their outcome", () => {
        for (const l of LESSONS) {
            expect(l.title && l.section && l.observe, l.id).to.be.a("string").and.not.equal("");
            expect(l.tryByHand.length, l.id).to.be.at.least(1);
            for (const h of l.tryByHand) expect(h.run.length > 0 && h.expect.length > 0, `${l.id}: ${h.run}`).to.equal(true);
        }
        expect(lesson("13-circuit-breaker").tryByHand[0].run).to.equal('kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 2 -qps 0 -n 200 -loglevel Warning http://servicex-service');
        expect(lesson("12-fault-delay").tryByHand[0].run).to.equal('kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 2 -qps 0 -t 20s -loglevel Warning --timeout 11s http://nginx-service:8000');
    });
});

describe("lab: a lesson's config composed over the stack's own (lab/compose.ts)", () => {
    const stack: ConfigMap = {
        "istio-mesh:cluster": { kind: "k3d", agents: 2 },
        "istio-mesh:services": { "nginx-service": { weights: { v1: 90, v2: 10 }, stickyCanary: { cookie: "c" } }, fortio: { port: 8080 } },
        "istio-mesh:ingress": { hosts: ["*"], virtualServices: { "nginx-ingress": { service: "nginx-service" } } },
        "aws:region": "eu-west-1",
        addons: { expose: { enabled: false }, tracing: { samplingPercentage: 100 } },
    };
    const rows: [string, ConfigMap, ConfigMap][] = [
        ["an entry the lesson names: its fields replace the stack's one by one", { "istio-mesh:services": { "nginx-service": { weights: { v1: 75, v2: 25 } } } }, { "istio-mesh:services": { "nginx-service": { weights: { v1: 75, v2: 25 }, stickyCanary: { cookie: "c" } }, fortio: { port: 8080 } } }],
        ["a field set to null stays null, so the course default goes too", { "istio-mesh:services": { "nginx-service": { weights: null } } }, { "istio-mesh:services": { "nginx-service": { weights: null, stickyCanary: { cookie: "c" } }, fortio: { port: 8080 } } }],
        ["an entry set to null is removed (kept as null for the defaults)", { "istio-mesh:services": { fortio: null } }, { "istio-mesh:services": { "nginx-service": { weights: { v1: 90, v2: 10 }, stickyCanary: { cookie: "c" } }, fortio: null } }],
        ["ingress: overlaid, its virtualServices by entry", { "istio-mesh:ingress": { hosts: ["*.fullcycle"], virtualServices: { "nginx-ingress": null, "nginx-vs": { service: "nginx-service" } } } }, { "istio-mesh:ingress": { hosts: ["*.fullcycle"], virtualServices: { "nginx-ingress": null, "nginx-vs": { service: "nginx-service" } } } }],
        ["another section: one level deep", { "istio-mesh:addons": { expose: { enabled: true } } }, { "istio-mesh:addons": { expose: { enabled: true }, tracing: { samplingPercentage: 100 } } }],
        ["a section the stack does not set: the lesson's", { "istio-mesh:security": { mtls: "STRICT" } }, { "istio-mesh:security": { mtls: "STRICT" } }],
    ];
    for (const [name, lessonConfig, expected] of rows) {
        it(name, () => {
            const before = structuredClone(stack);
            const out = composeConfig(stack, lessonConfig);
            for (const [k, v] of Object.entries(expected)) expect(out[k], k).to.deep.equal(v);
            // Keys the lesson does not name are the stack's (unqualified keys read as the project's own).
            expect(out["aws:region"]).to.equal("eu-west-1");
            expect(out["istio-mesh:cluster"]).to.deep.equal({ kind: "k3d", agents: 2 });
            expect(stack).to.deep.equal(before);
        });
    }
});

describe("lab: the platform guard (lab/engine.ts)", () => {
    const lab = "urn:pulumi:dev::istio-mesh::istio-mesh:index:Lab";
    const rows: [string, string, boolean][] = [
        ["the k3d cluster command", K3D_URN, true],
        ["the EKS cluster's node group", `${lab}$istio-mesh:cluster:EksCluster$aws:eks/nodeGroup:NodeGroup::nodes`, true],
        ["an istiod chart object", `${lab}$istio-mesh:istio:Istio$kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment::istio-system/istiod`, true],
        ["the egress gateway chart", `${lab}$istio-mesh:istio:Istio$kubernetes:helm.sh/v4:Chart::istio-egressgateway`, true],
        ["the Kubernetes provider", `${lab}$istio-mesh:cluster:K3dCluster$pulumi:providers:kubernetes::istio-mesh`, true],
        ["a VirtualService", VS_URN, false],
        ["a workload Deployment", `${lab}$istio-mesh:workloads:Workloads$kubernetes:apps/v1:Deployment::nginx`, false],
        ["an addon chart", `${lab}$istio-mesh:addons:Addons$kubernetes:helm.sh/v4:Chart::kiali`, false],
    ];
    for (const [name, urn, refused] of rows) {
        it(`${refused ? "refuses" : "lets through"} ${name}`, () => {
            const why = platformChanges([{ urn, op: "update" }]);
            expect(why.length, why.join()).to.equal(refused ? 1 : 0);
        });
    }
    it("reads a URN's type chain", () => {
        expect(typeChain(K3D_URN)).to.deep.equal(["istio-mesh:index:Lab", "istio-mesh:cluster:K3dCluster", "command:local:Command"]);
        expect(platformChanges([{ urn: K3D_URN, op: "replace" }])).to.deep.equal(["replace command:local:Command k3d-cluster (the cluster)"]);
    });
});

describe("lab: a lesson's verdict from verify's rows", () => {
    const r = (rows: VerifyResult["rows"], extra: Partial<VerifyResult> = {}): VerifyResult => ({ rows, table: "", measureSeconds: 1, ok: rows.every((x) => x.verdict === "PASS" || x.verdict === "SKIP"), ...extra });
    const row = (verdict: "PASS" | "FAIL" | "ERROR" | "SKIP", kind = "split") => ({ policy: "p", check: "c", expected: "e", observed: "o", verdict, kind });
    const canary = { measures: ["split" as const] };
    const rows: [string, VerifyResult, { measures: Lesson["measures"]; unmeasured?: string }, string][] = [
        ["measured and as declared", r([row("PASS"), row("SKIP")]), canary, "PASS"],
        ["one row failed", r([row("PASS"), row("FAIL")]), canary, "FAIL"],
        ["a row could not be measured", r([row("PASS"), row("ERROR")]), canary, "ERROR"],
        ["a FAIL in another policy's row still fails the lesson", r([row("PASS"), row("FAIL", "circuitBreaker")]), canary, "FAIL"],
        ["nothing derived", r([]), canary, "SKIP"],
        ["only SKIP rows: never PASS", r([row("SKIP")]), canary, "SKIP"],
        ["other policies PASS but the lesson's own check is SKIP: SKIP, not PASS", r([row("PASS", "circuitBreaker"), row("PASS", "mtls"), row("SKIP", "sticky")]), { measures: ["sticky"] }, "SKIP"],
        ["the lesson's own check is absent: SKIP", r([row("PASS", "circuitBreaker")]), { measures: ["retries"] }, "SKIP"],
        ["a lesson nothing can measure: SKIP with its reason", r([row("PASS"), row("PASS", "mtls")]), { measures: [], unmeasured: "LB algorithms leave no trace" }, "SKIP"],
        ["the config never reached the proxies", r([row("PASS")], { convergence: { converged: false, seconds: 120, how: "istiod sync status" } }), canary, "ERROR"],
        ["verify says not ok without a failed row", r([row("PASS")], { ok: false }), canary, "FAIL"],
    ];
    for (const [name, result, lesson, verdict] of rows) it(`${name}: ${verdict}`, () => expect(lessonVerdict(result, lesson).verdict).to.equal(verdict));
    it("the reason of an unmeasurable lesson is its own", () => {
        expect(lessonVerdict(r([row("PASS")]), { measures: [], unmeasured: "LB algorithms leave no trace" }).reason).to.equal("nothing this lesson teaches is measurable: LB algorithms leave no trace");
    });
    it("every lesson says what measures it, or why nothing can", () => {
        for (const l of LESSONS) expect(l.measures.length > 0 || (l.unmeasured ?? "") !== "", l.id).to.equal(true);
    });
});

describe("lab: lesson selection", () => {
    const rows: [string, LabOptions, string[] | RegExp][] = [
        ["all", {}, LESSONS.map((l) => l.id)],
        ["--only", { only: "12-fault-abort" }, ["12-fault-abort"]],
        ["--from/--to inclusive", { from: "12-fault-delay-50", to: "12-fault-abort" }, ["12-fault-delay-50", "12-fault-delay-0", "12-fault-abort"]],
        ["--to only", { to: "09-canary-75-25" }, ["09-canary-90-10", "09-canary-75-25"]],
        ["unknown id", { only: "99-nope" }, /--only 99-nope: no such lesson; name one by its number \(1 to 19\) or its id: 09-canary-90-10, /],
        ["a misspelt id: did you mean", { only: "12-fault-abrot" }, /--only 12-fault-abrot: no such lesson \(did you mean 12-fault-abort\?\)/],
        ["--only by the number lab list shows", { only: "11" }, ["12-fault-abort"]],
        ["--from/--to by number", { from: "1", to: "2" }, ["09-canary-90-10", "09-canary-75-25"]],
        ["--from by number, --to by id", { from: "17", to: "16-prefix-routing" }, ["16-prefix-routing"]],
        ["a number past the last lesson", { to: "20" }, /--to 20: there is no lesson 20; they are numbered 1 to 19/],
        ["lesson 0", { only: "0" }, /--only 0: there is no lesson 0/],
        ["an id's prefix only one lesson has", { only: "16-prefix" }, ["16-prefix-routing"]],
        ["a misspelt prefix: did you mean", { only: "16-prefx" }, /--only 16-prefx: no such lesson \(did you mean 16-prefix-routing\?\)/],
        ["far from every id: no guess", { only: "zzz" }, /--only zzz: no such lesson; name one/],
        ["a prefix several lessons have", { only: "09-canary" }, /--only 09-canary: more than one lesson starts so: 09-canary-90-10, 09-canary-75-25, 09-canary-20-80/],
        ["--only with --from", { only: "12-fault-abort", from: "12-fault-delay" }, /--only runs one lesson/],
        ["--from after --to", { from: "18-security", to: "09-canary-90-10" }, /--from 18-security \(lesson 19, 18-security\) comes after --to 09-canary-90-10 \(lesson 1/],
    ];
    for (const [name, o, want] of rows) {
        it(name, () => {
            if (want instanceof RegExp) expect(() => selectLessons(LESSONS, o)).to.throw(want);
            else expect(selectLessons(LESSONS, o).map((l) => l.id)).to.deep.equal(want);
        });
    }
});

describe("lab run: the whole course with a fake engine and a fake verify", () => {
    it("applies every lesson in order, each composed over the stack's own config, measures each, then restores", async () => {
        const h = harness();
        const code = await h.run("run");
        // The load-balancer lessons and the one without a breaker teach nothing verify can measure: SKIP, so exit 1
        // unless --skip-ok (e2e's choice); every other lesson PASSes on its own checks.
        expect(code, h.err()).to.equal(1);
        const applied = configsApplied(h.engine);
        expect(applied.length).to.equal(LESSONS.length);
        const own = readStackDoc(path.join(ROOT, "Pulumi.dev.yaml")).config;
        for (const c of applied) {
            // The stack's own sections the lessons leave alone come along unchanged.
            for (const k of ["istio-mesh:cluster", "istio-mesh:images", "istio-mesh:addons"]) expect(c[k], k).to.deep.equal(own[k]);
        }
        const svc = (i: number) => (applied[i]["istio-mesh:services"] as any)["nginx-service"];
        expect(svc(1).weights).to.deep.equal({ v1: 75, v2: 25 });
        expect(svc(2).weights).to.deep.equal({ v1: 20, v2: 80 });
        expect((applied[2]["istio-mesh:workloads"] as any).nginx.replicas).to.equal(8);
        expect((applied[2]["istio-mesh:workloads"] as any)["nginx-b"].replicas).to.equal(18);
        // Lesson 3 does not carry lesson 2 along: every lesson is over the stack's own config.
        expect((applied[3]["istio-mesh:workloads"] as any).nginx.replicas).to.equal(1);
        expect(h.seen.map((c) => c.services.find((s) => s.name === "nginx-service")?.virtualService?.route.map((w) => w.weight) ?? null).slice(0, 3)).to.deep.equal([[90, 10], [75, 25], [20, 80]]);
        expect(h.seen.length).to.equal(LESSONS.length);
        // The end: back to the stack's own config, previewed then applied.
        expect(h.engine.ops().slice(-3)).to.deep.equal(["restore", "preview", "up"]);
        expect(h.unsubscribed()).to.equal(true);
        // Progress: lesson i of n, stage, elapsed.
        expect(h.err()).to.include("lab: lesson 2 of 19 09-canary-75-25: preview, 45 s elapsed");
        expect(h.err()).to.include("lab: lesson 2 of 19 09-canary-75-25: up (1 change), 50 s elapsed");
        const unmeasured = LESSONS.filter((l) => l.measures.length === 0).map((l) => l.id);
        expect(unmeasured).to.deep.equal(["10-load-balancer", "10-load-balancer-random", "13-no-circuit-breaker"]);
        expect(h.err()).to.include(`lab: ${LESSONS.length - 3} of ${LESSONS.length} lessons as declared`);
        expect(h.out()).to.match(/^## The course on stack `dev`: 16 of 19 lessons as declared \(3 SKIP\), \d+ min \d+ s/);
        const again = harness();
        expect(await again.run("run", { skipOk: true }), "--skip-ok: the SKIP lessons do not fail the run").to.equal(0);
    });

    it("refuses a lesson whose preview touches the cluster, runs no up for it, and moves on", async () => {
        const root = tempRoot({ "90-bigger-cluster.yaml": "config:\n  istio-mesh:cluster:\n    kind: k3d\n    agents: 3\n" });
        const bigger: Lesson = { id: "90-bigger-cluster", title: "A third agent", section: "none", scenario: "examples/scenarios/90-bigger-cluster.yaml", observe: "-", tryByHand: [{ run: "-", expect: "-" }], measures: ["split"] };
        const h = harness({ root, lessons: [lesson("09-canary-75-25"), bigger, lesson("12-fault-abort")] });
        const code = await h.run("run", { json: path.join(root, "r.json") });
        expect(code).to.equal(1);
        const ops = h.engine.ops();
        expect(ops).to.deep.equal(["setConfig", "preview", "up", "setConfig", "preview", "setConfig", "preview", "up", "restore", "preview", "up"]);
        expect(h.seen.length).to.equal(2); // the refused lesson is not measured
        const json = JSON.parse(fs.readFileSync(path.join(root, "r.json"), "utf8"));
        expect(json.results.map((r: any) => r.verdict)).to.deep.equal(["PASS", "REFUSED", "PASS"]);
        expect(json.results[1].reason).to.match(/would change the platform.*update command:local:Command k3d-cluster \(the cluster\)/);
        expect(json.summary).to.match(/^2 of 3 lessons as declared/);
    });

    it("after a failure: the lesson is ERROR with the engine's message, the next lessons still run, the stack's config is restored", async () => {
        const h = harness({ lessons: [lesson("09-canary-90-10"), lesson("09-canary-75-25"), lesson("09-canary-20-80")] });
        h.engine.failUpFor = (c) => c !== "own" && (c["istio-mesh:services"] as any)["nginx-service"].weights.v1 === 75;
        const code = await h.run("run");
        expect(code).to.equal(1);
        expect(h.out()).to.include("| 2 | `09-canary-75-25` Canary by weight, 75/25 | 💥 ERROR |");
        expect(h.out()).to.include("**Why:** update failed: the Kubernetes API server is unreachable; (more detail)");
        expect(h.seen.length).to.equal(2);
        expect(h.engine.ops().slice(-3)).to.deep.equal(["restore", "preview", "up"]);
        expect(h.out()).to.include("Stack config: **restored**");
    });

    it("a verify that throws is ERROR for that lesson only", async () => {
        const h = harness({ lessons: [lesson("09-canary-90-10"), lesson("09-canary-75-25")], cues: ["throw", "PASS"] });
        expect(await h.run("run")).to.equal(1);
        expect(h.out()).to.include("💥 ERROR");
        expect(h.out()).to.include("cannot reach the cluster");
        expect(h.out()).to.include("| 2 | `09-canary-75-25` Canary by weight, 75/25 | ✅ PASS |");
    });

    it("Ctrl-C during a measurement: that lesson finishes, no other starts, the stack's config is restored", async () => {
        const h = harness({ lessons: LESSONS.slice(0, 4), cues: ["PASS", () => h.interrupt()] });
        const code = await h.run("run");
        expect(code).to.equal(1);
        expect(configsApplied(h.engine).length).to.equal(2);
        expect(h.seen.length).to.equal(2);
        expect(h.engine.ops().slice(-3)).to.deep.equal(["restore", "preview", "up"]);
        expect(h.err()).to.include("lab: interrupted: finishing lesson 2 (convergence and measurement (verify)), then applying the stack's own config again.");
        expect(h.out()).to.include("**Interrupted (Ctrl-C):**");
        expect(h.out()).to.include("| 3 | `09-canary-20-80` Canary by weight, 20/80 with 8 and 18 pods | ➖ NOT RUN |");
    });

    it("Ctrl-C during a preview: no up follows it, the lesson is not measured, and the restore still runs", async () => {
        const h = harness({ lessons: LESSONS.slice(0, 3) });
        let previews = 0;
        h.engine.onPreview = () => {
            if (++previews === 2) h.interrupt();
        };
        expect(await h.run("run")).to.equal(1);
        // Lesson 1 is the stack's own split (nothing to apply); lesson 2 is stopped after its preview; nothing to restore.
        expect(h.engine.ops()).to.deep.equal(["setConfig", "preview", "setConfig", "preview", "restore", "preview"]);
        expect(h.seen.length).to.equal(1);
    });

    it("--bail stops at the first lesson that does not PASS, and still restores", async () => {
        const h = harness({ lessons: LESSONS.slice(0, 4), cues: ["PASS", "FAIL"] });
        expect(await h.run("run", { bail: true })).to.equal(1);
        expect(h.seen.length).to.equal(2);
        expect(h.out()).to.include("not run: --bail after lesson 2 (09-canary-75-25) FAIL");
        expect(h.engine.ops().slice(-3)).to.deep.equal(["restore", "preview", "up"]);
    });

    it("without --bail a FAIL moves on", async () => {
        const h = harness({ lessons: LESSONS.slice(0, 4), cues: ["PASS", "FAIL"] });
        expect(await h.run("run")).to.equal(1);
        expect(h.seen.length).to.equal(4);
        // Lesson 2 FAIL; lesson 4 (10-load-balancer) SKIP: nothing it teaches is measurable.
        expect(h.out()).to.match(/2 of 4 lessons as declared/);
    });

    it("--only applies that one lesson", async () => {
        const h = harness();
        expect(await h.run("run", { only: "13-circuit-breaker-10-errors" })).to.equal(0);
        const applied = configsApplied(h.engine);
        expect(applied.length).to.equal(1);
        expect((applied[0]["istio-mesh:services"] as any)["servicex-service"].trafficPolicy.outlierDetection.consecutiveGatewayErrors).to.equal(10);
        expect(JSON.stringify(h.seen[0].services.find((s) => s.name === "servicex-service")?.destinationRule?.trafficPolicy)).to.include('"consecutiveGatewayErrors":10');
        expect(h.out()).to.include("1 of 1 lesson as declared");
    });

    it("--keep leaves the last lesson applied", async () => {
        const h = harness({ lessons: LESSONS.slice(0, 2) });
        expect(await h.run("run", { keep: true })).to.equal(0);
        expect(h.engine.ops()).to.not.include("restore");
        expect(h.out()).to.include("Stack config: **kept**");
    });

    it("a lesson with nothing measured is SKIP, never PASS, and the run exits 1", async () => {
        const h = harness({ lessons: LESSONS.slice(0, 2), cues: ["PASS", "SKIP"] });
        expect(await h.run("run")).to.equal(1);
        expect(h.out()).to.include("| 2 | `09-canary-75-25` Canary by weight, 75/25 | ⏭️ SKIP |");
    });

    it("an unreachable lab is a missing prerequisite: exit 2 before the engine (or a CLI download) starts", async () => {
        const h = harness();
        const c = capture();
        const code = await labCommand("run", {}, c.io, { ...h.deps, reachable: async () => 'kube context "k3d-istio-mesh": connect ECONNREFUSED 127.0.0.1:6550' });
        expect(code).to.equal(2);
        expect(c.err()).to.include("lab run needs the running lab (npm run up -- --stack dev): kube context \"k3d-istio-mesh\": connect ECONNREFUSED");
        expect(h.engine.calls).to.deep.equal([]);
    });

    it("usage errors exit 2, invalid stack config exits 1, both before touching the engine", async () => {
        const h = harness();
        expect(await h.run("run", { only: "nope" })).to.equal(2);
        expect(await h.run("run", { stack: "staging" })).to.equal(2);
        expect(h.err()).to.include("there is no Pulumi.staging.yaml");
        expect(h.engine.calls).to.deep.equal([]);
        const bad = tempRoot({}, "config:\n  istio-mesh:cluster:\n    agents: -1\n");
        const hb = harness({ root: bad });
        expect(await hb.run("plan")).to.equal(1);
        expect(hb.err()).to.include("istio-mesh:cluster.agents");
        expect(hb.engine.calls).to.deep.equal([]);
    });
});

describe("lab run: the report", () => {
    const base = (): CourseResult => ({
        stack: "dev",
        seconds: 580,
        interrupted: false,
        restore: { status: "restored", detail: "the stack's own config is applied again (1 change)", seconds: 20 },
        lessons: [
            { lesson: lesson("09-canary-75-25"), index: 1, verdict: "PASS", declared: ["nginx-vs: 75/25"], changes: [{ op: "update", title: "VirtualService nginx-vs", details: ["nginx-vs: route v1 weight 90 → 75"] }], rows: [{ policy: "nginx-vs", check: "canary split v1", expected: "75 % | ±", observed: "74.5 % (149/200)", verdict: "PASS" }], convergence: { converged: true, seconds: 6, how: "istiod sync status" }, seconds: { apply: 41, convergence: 6, measurement: 38 } },
            { lesson: lesson("18-security"), index: 2, verdict: "REFUSED", reason: "its preview would change the platform", declared: ["servicex-service-allow: fortio allowed, nginx 403"], changes: [], rows: [], seconds: { apply: 5 } },
        ],
    });

    it("one course line, a summary table with durations, and per lesson declared / observed / verdict", () => {
        const md = reportMarkdown(base());
        expect(md.split("\n")[0]).to.equal("## The course on stack `dev`: 1 of 2 lessons as declared (1 REFUSED), 9 min 40 s");
        expect(md).to.include("| # | lesson | verdict | apply | convergence | measurement |");
        expect(md).to.include("| 1 | `09-canary-75-25` Canary by weight, 75/25 | ✅ PASS | 41 s | 6 s | 38 s |");
        expect(md).to.include("| 2 | `18-security` Security: mTLS, who may call servicex, 200 req/s, an external API with a timeout | ⛔ REFUSED | 5 s | – | – |");
        expect(md).to.include("| policy | check | declared | observed | verdict |");
        expect(md).to.include("| nginx-vs | canary split v1 | 75 % \\| ± | 74.5 % (149/200) | PASS |");
        expect(md).to.include("  - `nginx-vs: route v1 weight 90 → 75`");
        expect(md).to.include("Declared (not measured):\n\n- servicex-service-allow: fortio allowed, nginx 403");
        expect(md).to.include("Apply 41 s · convergence 6 s (istiod sync status) · measurement 38 s.");
        // A job summary takes it as is: no HTML but <details>, every table row on one line.
        expect(md.replace(/<\/?details>|<\/?summary>/g, "")).to.not.match(/<[a-z]/);
    });

    it("--json carries the same facts", () => {
        const j = JSON.parse(reportJson(base()));
        expect(j.summary).to.equal("1 of 2 lessons as declared (1 REFUSED), 9 min 40 s");
        expect(j.results.map((r: any) => [r.id, r.verdict, r.seconds])).to.deep.equal([["09-canary-75-25", "PASS", { apply: 41, convergence: 6, measurement: 38 }], ["18-security", "REFUSED", { apply: 5 }]]);
    });

    it("exit code: 0 only when every lesson passed and the config is back (or kept); --skip-ok lets SKIP lessons by", () => {
        const all = base();
        all.lessons = [all.lessons[0]];
        expect(exitCode(all)).to.equal(0);
        const skipped = { ...all, lessons: [...all.lessons, { ...all.lessons[0], id: "10-load-balancer", verdict: "SKIP" as const }] };
        expect(exitCode(skipped)).to.equal(1);
        expect(exitCode(skipped, { skipOk: true })).to.equal(0);
        expect(exitCode({ ...skipped, lessons: [skipped.lessons[1]] }, { skipOk: true }), "nothing measured at all is no success").to.equal(1);
        expect(exitCode(base(), { skipOk: true }), "REFUSED still fails").to.equal(1);
        expect(exitCode({ ...all, restore: { status: "failed", detail: "x" } })).to.equal(1);
        expect(exitCode({ ...all, restore: { status: "refused", detail: "x" } })).to.equal(1);
        expect(exitCode({ ...all, interrupted: true })).to.equal(1);
        expect(exitCode(base())).to.equal(1);
        expect(exitCode({ ...all, lessons: [] })).to.equal(1);
    });

    it("durations read as the course line wants them", () => {
        expect([0.4, 41, 59.6, 580, 3725].map(formatSeconds)).to.deep.equal(["0 s", "41 s", "1 min 0 s", "9 min 40 s", "1 h 2 min"]);
    });
});

describe("lab run: restore when going back would touch the platform", () => {
    it("does not apply it and exits 1", async () => {
        const clock = new FakeClock();
        const own: ConfigMap = { "istio-mesh:cluster": { kind: "k3d", agents: 2 } };
        const engine = new FakeEngine(own, clock);
        engine.restoreTouchesCluster = true;
        const r = await runCourse(
            { stack: "dev", stackConfig: own, lessons: [lesson("09-canary-75-25")], scenarioOf: () => ({ "istio-mesh:services": { "nginx-service": { weights: { v1: 75, v2: 25 } } } }), bail: false, keep: false },
            { engine, measure: fakeMeasure(clock).measure, describe: () => [], now: clock.now, log: () => undefined, onInterrupt: () => () => undefined },
        );
        expect(r.lessons[0].verdict).to.equal("PASS");
        expect(r.restore.status).to.equal("refused");
        expect(r.restore.detail).to.match(/^not applied: going back would change the platform \(update command:local:Command k3d-cluster \(the cluster\)\)/);
        expect(engine.ops().slice(-2)).to.deep.equal(["restore", "preview"]);
        expect(exitCode(r)).to.equal(1);
    });
});

describe("lab: the Automation API adapter (lab/pulumiEngine.ts)", () => {
    const STACK = "# my comments stay\nencryptionsalt: v1:abc:def\nconfig:\n  istio-mesh:services:\n    nginx-service:\n      weights: {v1: 90, v2: 10}   # aligned\n  istio-mesh:addons:\n    grafana:\n      adminPassword:\n        secure: v1:AAAA\n";

    function fakeStack(events: EngineEvent[] = []) {
        const calls: { op: string; configFile?: string; text?: string }[] = [];
        const stack: StackLike = {
            async preview(o) {
                calls.push({ op: "preview", configFile: o.configFile, text: o.configFile ? fs.readFileSync(o.configFile, "utf8") : undefined });
                for (const e of events) o.onEvent?.(e);
                return {};
            },
            async up(o) {
                calls.push({ op: "up", configFile: o.configFile });
                return {};
            },
        };
        return { stack, calls };
    }

    it("hands a lesson to the CLI as a copy of the stack file (--config-file); the user's file keeps every byte", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-lab-adapter-"));
        const file = path.join(dir, "Pulumi.dev.yaml");
        fs.writeFileSync(file, STACK);
        const { stack, calls } = fakeStack();
        const engine = labEngineOver(stack, { stackFile: file, tmpRoot: dir });
        const lessonConfig = composeConfig(readStackDoc(file).config, { "istio-mesh:services": { "nginx-service": { weights: { v1: 75, v2: 25 } } } });
        await engine.setConfig(lessonConfig);
        await engine.preview({ log: () => undefined });
        await engine.up({ log: () => undefined });
        const copy = calls[0].configFile!;
        expect(copy).to.not.equal(file);
        expect(calls[1].configFile).to.equal(copy);
        const written = readStackDoc(copy);
        expect(written.rest).to.deep.equal({ encryptionsalt: "v1:abc:def" });
        expect((written.config["istio-mesh:services"] as any)["nginx-service"].weights).to.deep.equal({ v1: 75, v2: 25 });
        // The secret goes along encrypted, as the CLI needs it.
        expect((written.config["istio-mesh:addons"] as any).grafana.adminPassword).to.deep.equal({ secure: "v1:AAAA" });
        expect((fs.statSync(copy).mode & 0o077).toString(8)).to.equal("0");
        expect(fs.readFileSync(file, "utf8")).to.equal(STACK);

        await engine.restore();
        await engine.preview({ log: () => undefined });
        await engine.up({ log: () => undefined });
        expect(calls.slice(2).map((c) => c.configFile)).to.deep.equal([undefined, undefined]);
        expect(fs.existsSync(copy)).to.equal(false);
        expect(fs.readFileSync(file, "utf8")).to.equal(STACK);
    });

    it("a whole run through the adapter, failed and interrupted, leaves the stack file byte for byte", async () => {
        const root = tempRoot({}, STACK.replace("config:\n", "config:\n  istio-mesh:cluster: {kind: k3d}\n"));
        const before = fs.readFileSync(path.join(root, "Pulumi.dev.yaml"));
        const vsUpdate = { sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { op: "update", urn: VS_URN, type: "kubernetes:networking.istio.io/v1:VirtualService", provider: "" } } } as unknown as EngineEvent;
        const { stack, calls } = fakeStack([vsUpdate]);
        let n = 0;
        stack.up = async (o) => {
            calls.push({ op: "up", configFile: o.configFile });
            if (++n === 2) throw new Error("boom");
            return {};
        };
        const clock = new FakeClock();
        let interrupt: (() => void) | undefined;
        const deps: LabDeps = {
            root,
            lessons: LESSONS.slice(0, 3),
            engine: async () => labEngineOver(stack, { stackFile: path.join(root, "Pulumi.dev.yaml"), tmpRoot: root }),
            // Lesson 2's up fails; Ctrl-C arrives while lesson 3 is measured.
            measure: () => fakeMeasure(clock, ["PASS", () => interrupt?.()]).measure,
            describe: () => () => [],
            now: clock.now,
            onInterrupt: (f) => ((interrupt = f), () => undefined),
        };
        const c = capture();
        expect(await labCommand("run", {}, c.io, deps)).to.equal(1);
        expect(fs.readFileSync(path.join(root, "Pulumi.dev.yaml")).equals(before)).to.equal(true);
        // The last preview and up are the restore: on the user's own file, no copy left behind.
        expect(calls.slice(-2).map((x) => [x.op, x.configFile])).to.deep.equal([["preview", undefined], ["up", undefined]]);
        expect(fs.readdirSync(root).filter((f) => f.startsWith("istio-mesh-lab-"))).to.deep.equal([]);
    });

    it("reads the steps that change something from the preview's events", () => {
        const ev = (op: string, urn: string) => ({ sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { op, urn, type: "t", provider: "" } } }) as unknown as EngineEvent;
        expect(stepsFromEvents([ev("same", K3D_URN), ev("update", VS_URN), ev("read", K3D_URN), ev("create-replacement", K3D_URN)])).to.deep.equal([{ urn: VS_URN, op: "update" }, { urn: K3D_URN, op: "create-replacement" }]);
    });
});

describe("lab plan: the course offline", () => {
    it("matches the golden file, in seconds (UPDATE_GOLDEN=1 rewrites it)", async function () {
        this.timeout(30000);
        const t0 = Date.now();
        const c = capture();
        // harnessDeps' engine and measure throw: plan must touch neither.
        const code = await labCommand("plan", {}, c.io, { ...harnessDeps(), describe: () => defaultDescribe() });
        const seconds = (Date.now() - t0) / 1000;
        expect(code, c.err()).to.equal(0);
        if (process.env.UPDATE_GOLDEN) {
            fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
            fs.writeFileSync(GOLDEN, c.out());
        }
        expect(c.out()).to.equal(fs.readFileSync(GOLDEN, "utf8"));
        expect(seconds).to.be.below(10);
    });

    it("names what changes from the lesson before in the PR comment's words", async () => {
        const c = capture();
        await labCommand("plan", { from: "13-circuit-breaker", to: "13-circuit-breaker-10-errors" }, c.io, { ...harnessDeps(), describe: () => defaultDescribe() });
        expect(c.out()).to.include("changes from the stack's own config:\n    none");
        expect(c.out()).to.include("changes from lesson 1 (13-circuit-breaker):\n    update DestinationRule circuit-breaker-servicex\n      circuit-breaker-servicex: consecutiveGatewayErrors 5 → 10");
    });

    it("closes with one summary line: what changes, what refuses, what has findings", () => {
        const l = (over: Partial<LessonPlan>): LessonPlan => ({ lesson: lesson("09-canary-90-10"), index: 1, changes: [], platform: [], findings: [], checks: [], ...over });
        const change = { op: "update" as const, title: "VirtualService nginx-vs", details: [] };
        const finding = (severity: "error" | "warning") => ({ code: "IST0101", severity, resource: "r", path: "p", message: "m", fix: "f" });
        const plan = (...lessons: LessonPlan[]): CoursePlan => ({ stack: "dev", lessons });
        expect(planSummary(plan(l({ changes: [change] }), l({}), l({}), l({ changes: [change], findings: [finding("warning")] })))).to.equal("4 lessons: 2 change the mesh, 2 change nothing; 1 with findings.");
        expect(planSummary(plan(l({ changes: [change], findings: [finding("error")] }), l({ error: "bad" }), l({ changes: [change], platform: [change] })))).to.equal(
            "3 lessons: 2 change the mesh, 0 change nothing; 1 does not validate; 1 changes the platform (`run` refuses it); 1 with findings (1 with errors).",
        );
        expect(planSummary(plan(l({})))).to.equal("1 lesson: 0 change the mesh, 1 changes nothing; no findings.");
    });

    it("the course line counts what did not pass by verdict", () => {
        const r = (...verdicts: string[]) => courseLine({ stack: "dev", seconds: 60, interrupted: false, restore: { status: "restored", detail: "" }, lessons: verdicts.map((verdict, i) => ({ lesson: LESSONS[i], index: i + 1, verdict, declared: [], changes: [], rows: [], seconds: {} })) } as CourseResult);
        expect(r("PASS", "SKIP", "PASS", "FAIL", "SKIP")).to.equal("2 of 5 lessons as declared (2 SKIP, 1 FAIL), 1 min 0 s");
        expect(r("PASS")).to.equal("1 of 1 lesson as declared, 1 min 0 s");
    });

    it("flags a lesson that changes the platform, and exits 1", async () => {
        const root = tempRoot({ "90-bigger-cluster.yaml": "config:\n  istio-mesh:cluster:\n    agents: 3\n" });
        const bigger: Lesson = { id: "90-bigger-cluster", title: "A third agent", section: "none", scenario: "examples/scenarios/90-bigger-cluster.yaml", observe: "-", tryByHand: [], measures: ["split"] };
        const c = capture();
        const md = path.join(root, "plan.md");
        expect(await labCommand("plan", { markdown: md }, c.io, { ...harnessDeps(), root, lessons: [bigger] })).to.equal(1);
        const text = fs.readFileSync(md, "utf8");
        expect(text).to.include("**⚠️ Changes the platform — `run` refuses this lesson:**");
        expect(text).to.include("- **update** `cluster k3d`\n  - `k3d: agents: 2 → 3`");
        expect(c.err()).to.include("lab: 90-bigger-cluster: changes the platform, `run` refuses it");
    });
});

function harnessDeps(): LabDeps {
    return { root: ROOT, lessons: LESSONS, engine: async () => { throw new Error("plan must not start an engine"); }, measure: () => { throw new Error("plan must not measure"); }, describe: () => () => [], now: Date.now, onInterrupt: () => () => undefined };
}

describe("lab: the command line (the project's one parser)", () => {
    const parse = (argv: string[]) => {
        const [sub, ...rest] = argv;
        const spec = commands.find((c) => c.spec.name === `lab ${sub}`);
        if (!spec) throw new Error(`no lab ${sub}`);
        const p = parseCommandLine(spec.spec, rest);
        return p.help ? { help: true } : { help: false, sub, opts: labOptions(spec.spec, p) };
    };
    const rows: [string[], unknown][] = [
        [["list"], { help: false, sub: "list", opts: {} }],
        [["run", "--only", "12-fault-abort", "--bail", "--keep", "--samples", "50", "--ingress-url", "http://x:1"], { help: false, sub: "run", opts: { only: "12-fault-abort", bail: true, keep: true, samples: 50, ingressUrl: "http://x:1" } }],
        [["plan", "--markdown", "p.md"], { help: false, sub: "plan", opts: { markdown: "p.md" } }],
        [["run", "--help"], { help: true }],
        [["run", "--bogus"], /unknown option --bogus/],
        [["plan", "--bail"], /unknown option --bail/],
        [["plan", "--from"], /--from needs a value/],
        [["run", "--samples", "0"], /--samples 0: expected a whole number from 20 to 10000/],
        [["run", "--only", "a", "--from", "b"], /--only runs one lesson/],
        [["list", "extra"], /unexpected argument "extra"/],
    ];
    for (const [argv, want] of rows) {
        it(argv.join(" "), () => {
            if (want instanceof RegExp) expect(() => parse(argv)).to.throw(want);
            else expect(parse(argv)).to.deep.equal(want);
        });
    }

    it("as a process: --help exits 0, an unknown lesson or subcommand exits 2 without a stack trace", function () {
        this.timeout(60000);
        const lab = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "cli", "main.ts"), "lab", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
        const help = lab(["run", "--help"]);
        expect(help.status).to.equal(0);
        expect(help.stdout).to.include("usage: npm run lab -- run [options]");
        const bad = lab(["plan", "--only", "99-nope"]);
        expect(bad.status, bad.stderr).to.equal(2);
        expect(bad.stderr).to.include("--only 99-nope: no such lesson");
        expect(bad.stderr).to.not.match(/\n\s+at /);
        const typo = lab(["lsit"]);
        expect(typo.status).to.equal(2);
        expect(typo.stderr).to.include('unknown subcommand "lsit" (did you mean list?)');
    });

    it("list numbers the lessons", async () => {
        const c = capture();
        expect(await labCommand("list", {}, c.io, harnessDeps())).to.equal(0);
        expect(c.out().split("\n")[0]).to.match(/^ 1\. 09-canary-90-10 +Canary by weight, 90\/10  \[Criando virtual service e destination rule\]$/);
        expect(c.out().trim().split("\n").length).to.equal(LESSONS.length);
    });
});
