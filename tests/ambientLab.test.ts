/**
 * The course on the ambient data plane: the classification of every lesson (lab/dataplanes.ts) as a
 * table-driven test, `lab plan --dataplane ambient` (SKIP for no ambient path, parts left out, the
 * waypoints said; deterministic), `lab run` on an ambient stack with a fake engine and verify (a SKIP
 * lesson is never applied, never PASS), the guard on `run --dataplane`, and the comparison page.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { labCommand, LabDeps, LabOptions } from "../lab/course";
import { ConfigMap, readStackDoc } from "../lab/compose";
import { AmbientNeed, dataplaneOf, LESSON_DATAPLANES, onDataplane, onDataplaneConfig, withoutLeftOut } from "../lab/dataplanes";
import { LESSONS } from "../lab/lessons";
import { planCourse } from "../lab/plan";
import { readScenario, meshConfigOf } from "../lab/compose";
import { parseCommandLine, Parsed } from "../cli/commandLine";
import { commands } from "../cli/main";
import { labOptions } from "../commands/lab";
import { feature, FEATURES } from "../mesh/ambient/features";
import { fakeMeasure, FakeClock, FakeEngine, ROOT, tempRoot } from "./helpers/lab";

function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out: () => out.join(""), err: () => err.join("") };
}

function harness(root: string) {
    const clock = new FakeClock();
    const own = readStackDoc(path.join(root, "Pulumi.dev.yaml")).config;
    const engine = new FakeEngine(own, clock);
    const m = fakeMeasure(clock);
    const deps: LabDeps = {
        root,
        lessons: LESSONS,
        engine: async () => engine,
        measure: () => m.measure,
        describe: () => () => [],
        now: clock.now,
        onInterrupt: () => () => undefined,
    };
    const c = capture();
    return { engine, seen: m.seen, run: (sub: "plan" | "run", opts: LabOptions = {}) => labCommand(sub, opts, c.io, deps), out: c.out, err: c.err };
}

const AMBIENT_STACK = `${fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")}  istio-mesh:dataplane: ambient\n`;
const ORDER: AmbientNeed[] = ["ztunnel", "ingress gateway", "waypoint"];

describe("lab: every lesson classified for the ambient data plane (lab/dataplanes.ts)", () => {
    it("one row per lesson, in the course's order", () => {
        expect(LESSON_DATAPLANES.map((r) => r.lesson)).to.deep.equal(LESSONS.map((l) => l.id));
    });

    for (const row of LESSON_DATAPLANES) {
        it(`${row.lesson}: ${row.ambient}${row.leaveOut ? `, without ${row.leaveOut.map((l) => l.feature).join(", ")}` : ""}`, () => {
            const features = row.features.map(feature);
            // Each feature names the lesson back, and the row's source is one of its features' sources.
            for (const f of features) expect(f.lessons, `${f.key} lists ${row.lesson}`).to.include(row.lesson);
            const sources = [...features, feature("mtls")].flatMap((f) => f.sources.map((s) => s.ref));
            expect(sources, "the row's source is a source of what it teaches").to.include(row.source.ref);
            // What the lesson needs follows from its features: no supported path for all of them is `none`,
            // otherwise the most any supported feature needs; the unsupported ones are left out.
            const supported = features.filter((f) => f.ambient !== "none");
            const expected: AmbientNeed =
                features.length > 0 && supported.length === 0 ? "none" : (ORDER[Math.max(0, ...supported.map((f) => ORDER.indexOf(f.enforcedBy.ambient === "ingress gateway" ? "ingress gateway" : f.enforcedBy.ambient === "waypoint" ? "waypoint" : "ztunnel")))] ?? "ztunnel");
            expect(row.ambient).to.equal(expected);
            const unsupported = features.filter((f) => f.ambient === "none").map((f) => f.key);
            expect((row.leaveOut ?? []).map((l) => l.feature)).to.deep.equal(row.ambient === "none" ? [] : unsupported);
            // On sidecar every lesson runs whole; on ambient a `none` lesson is SKIP with its reason and source.
            expect(onDataplane(row.lesson, "sidecar")).to.deep.equal({ run: true, leftOut: [] });
            const on = onDataplane(row.lesson, "ambient");
            if (row.ambient === "none") expect(on).to.deep.equal({ run: false, reason: `no ambient path: ${row.why} (${row.source.ref})` });
            else expect(on.run && on.leftOut.length).to.equal(unsupported.length);
        });
    }

    it("every feature's lessons are lessons of the course, and the features with no ambient path say what to do instead", () => {
        const ids = new Set(LESSONS.map((l) => l.id));
        for (const f of FEATURES) {
            for (const l of f.lessons) expect(ids.has(l), `${f.key}: ${l}`).to.equal(true);
            if (f.ambient === "none") expect(f.alternative, f.key).to.be.a("string");
            expect(f.sources.length, f.key).to.be.greaterThan(0);
        }
    });

    it("lesson 18 on ambient loses only its rate limit; on sidecar nothing", () => {
        const config: ConfigMap = { "istio-mesh:security": { mtls: "STRICT", rateLimits: { "servicex-service": { requestsPerSecond: 200 } }, authorization: {} } };
        expect(withoutLeftOut("18-security", "ambient", config)).to.deep.equal({ "istio-mesh:security": { mtls: "STRICT", authorization: {} } });
        expect(withoutLeftOut("18-security", "sidecar", config)).to.equal(config);
    });

    it("a stack config switched between data planes keeps its ambient settings only on ambient", () => {
        expect(dataplaneOf({})).to.equal("sidecar");
        expect(dataplaneOf(onDataplaneConfig({}, "ambient"))).to.equal("ambient");
        expect(onDataplaneConfig({ "istio-mesh:dataplane": { mode: "ambient", waypoints: "none" } }, "sidecar")).to.deep.equal({ "istio-mesh:dataplane": "sidecar" });
        expect(onDataplaneConfig({ "istio-mesh:dataplane": { mode: "sidecar" } }, "ambient")).to.deep.equal({ "istio-mesh:dataplane": { mode: "ambient" } });
    });
});

describe("lab plan --dataplane ambient", function () {
    this.timeout(60000);

    it("the fault lessons are SKIP with their reason; lesson 18 runs without its rate limit; each lesson says which services get the waypoint", async () => {
        const h = harness(ROOT);
        await h.run("plan", { dataplane: "ambient" });
        const out = h.out();
        for (const id of ["12-fault-delay", "12-fault-delay-50", "12-fault-delay-0", "12-fault-abort"]) {
            expect(out).to.match(new RegExp(`${id} — [^\\n]*\\n  course section: [^\\n]*\\n  applies: [^\\n]*\\n  SKIP on this data plane: no ambient path: fault injection`));
        }
        expect(out).to.include("  left out on this data plane: Local rate limit (EnvoyFilter) (istio-mesh:security.rateLimits): no ambient path");
        expect(out).to.include("  waypoint for:\n    - nginx-service: HTTPRoute nginx-vs (weights 90/10)\n    - servicex-service: DestinationRule circuit-breaker-servicex (outlier detection)");
        expect(out).to.not.include("EnvoyFilter servicex-service-local-ratelimit");
        expect(out).to.include("4 SKIP on this data plane (no ambient path)");
    });

    it("finds no error but the Gateway API CRDs' absence (GWAPI000, when they are not vendored here)", async () => {
        const stackConfig = onDataplaneConfig(readStackDoc(path.join(ROOT, "Pulumi.dev.yaml")).config, "ambient");
        const p = await planCourse({ stack: "dev", stackConfig, lessons: LESSONS, scenarioOf: (l) => readScenario(ROOT, l.scenario) }, () => [], meshConfigOf(stackConfig, "dev"));
        for (const l of p.lessons) {
            expect(l.error, l.lesson.id).to.equal(undefined);
            expect(l.platform, `${l.lesson.id} leaves the platform alone`).to.deep.equal([]);
            const errors = l.findings.filter((f) => f.severity === "error" && f.code !== "GWAPI000");
            expect(errors.map((f) => `${f.code} ${f.resource} ${f.message}`), l.lesson.id).to.deep.equal([]);
        }
    });

    it("is deterministic: the same plan twice", async () => {
        const a = harness(ROOT);
        const b = harness(ROOT);
        await a.run("plan", { dataplane: "ambient" });
        await b.run("plan", { dataplane: "ambient" });
        expect(a.out()).to.equal(b.out());
        expect(a.out().length).to.be.greaterThan(10000);
    });
});

describe("lab run on an ambient stack", function () {
    this.timeout(60000);

    it("SKIP lessons are never applied nor measured; lesson 18 is applied without its rate limit, its SKIP row says why", async () => {
        const h = harness(tempRoot({}, AMBIENT_STACK));
        await h.run("run");
        const applied = h.engine.calls.filter((c) => c.op === "setConfig").map((c) => (c as { config: ConfigMap }).config);
        expect(applied.length, "19 lessons, 4 with no ambient path").to.equal(15);
        expect(h.seen.length).to.equal(15);
        const eighteen = applied[applied.length - 1];
        expect(eighteen["istio-mesh:security"]).to.not.have.property("rateLimits");
        expect(h.out()).to.include("### 8. `12-fault-delay` — Fault injection: 10 s delay on 100 % of the calls: ⏭️ SKIP");
        expect(h.out()).to.match(/\*\*Why:\*\* no ambient path: fault injection/);
        expect(h.out()).to.match(/\| 18-security \| Local rate limit \(EnvoyFilter\) \(istio-mesh:security\.rateLimits\) \| - \| left out \(no ambient path: .*\) \| SKIP \|/);
        expect(h.out()).to.match(/### 19\. `18-security` — [^\n]*: ✅ PASS/);
        expect(h.err()).to.include("lab: lesson 8 of 19 12-fault-delay: SKIP (no ambient path");
    });

    it("--dataplane must be the running lab's: a sidecar stack refuses --dataplane ambient (exit 2, before the engine)", async () => {
        const h = harness(ROOT);
        expect(await h.run("run", { dataplane: "ambient" })).to.equal(2);
        expect(h.err()).to.include("--dataplane ambient: the lab of stack dev runs the sidecar data plane").and.include("npm run lab -- plan --dataplane ambient");
        expect(h.engine.calls).to.deep.equal([]);
        const ok = harness(tempRoot({}, AMBIENT_STACK));
        expect(await ok.run("run", { dataplane: "ambient", only: "13-circuit-breaker" })).to.equal(0);
    });
});

describe("lab plan --compare-dataplane: the page", function () {
    this.timeout(60000);

    it("per lesson, sidecar and ambient: objects, who enforces it, support, sources, the ambient diagram; deterministic", async () => {
        const a = harness(ROOT);
        expect(await a.run("plan", { compareDataplane: true }), a.err()).to.equal(0);
        const md = a.out();
        expect(md.split("\n")[0]).to.equal("## The course on two data planes — stack `dev`");
        expect(md).to.include("| 8 | `12-fault-delay` | Fault injection (delay, abort) | sidecar | nowhere | — (no ambient path) | ⛔ no supported path |");
        expect(md).to.include("| 13 | `13-circuit-breaker` | Circuit breaker (outlier detection) | sidecar | waypoint | a waypoint | ✅ supported |");
        expect(md).to.include("| 16 | `15-ingress-gateway` | Ingress gateway routing (split, prefix, host) | ingress gateway | ingress gateway | the ingress gateway | ✅ supported |");
        // Lesson 18: identities enforced at the waypoint here (servicex-service has one for its breaker), the rate limit left out.
        expect(md).to.match(/\| Who may call a service \(AuthorizationPolicy on identities\) \| sidecar: [^|]* \| waypoint: /);
        expect(md).to.include("| left out on ambient | — | ⏭️ Local rate limit (EnvoyFilter)");
        expect(md).to.include("**`EnvoyFilter servicex-service-local-ratelimit`**");
        expect(md).to.include("https://istio.io/latest/docs/ambient/usage/l4-policy/");
        expect(md).to.include("#### Traffic on ambient (ztunnel and waypoint on the path)").and.include("ztunnel (every node)");
        const b = harness(ROOT);
        await b.run("plan", { compareDataplane: true });
        expect(b.out()).to.equal(md);
    });

    it("is an option of plan alone, and plans both data planes (not with --dataplane)", async () => {
        expect(await harness(ROOT).run("run", { compareDataplane: true })).to.equal(2);
        const h = harness(ROOT);
        expect(await h.run("plan", { compareDataplane: true, dataplane: "ambient" })).to.equal(2);
        expect(h.err()).to.include("use it without --dataplane");
    });
});

describe("lab: --dataplane and --compare-dataplane on the command line", () => {
    const parse = (argv: string[]) => {
        const [sub, ...rest] = argv;
        const spec = commands.find((c) => c.spec.name === `lab ${sub}`)!;
        return labOptions(spec.spec, parseCommandLine(spec.spec, rest) as Parsed);
    };
    it("plan --dataplane ambient, run --dataplane sidecar, plan --compare-dataplane", () => {
        expect(parse(["plan", "--dataplane", "ambient"])).to.deep.equal({ dataplane: "ambient" });
        expect(parse(["run", "--dataplane", "sidecar"])).to.deep.equal({ dataplane: "sidecar" });
        expect(parse(["plan", "--compare-dataplane", "--markdown", "c.md"])).to.deep.equal({ compareDataplane: true, markdown: "c.md" });
    });
    it("refuses another data plane and a misspelt flag", () => {
        expect(() => parse(["plan", "--dataplane", "ambiant"])).to.throw(/--dataplane ambiant: expected sidecar or ambient/);
        expect(() => parse(["run", "--compare-dataplane"])).to.throw(/unknown option --compare-dataplane/);
        expect(() => parse(["plan", "--data-plane", "ambient"])).to.throw(/unknown option --data-plane/);
    });
});
