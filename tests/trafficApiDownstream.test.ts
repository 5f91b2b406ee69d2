/**
 * Everything downstream speaks the Gateway API too (issue 19): verify derives the same measurements
 * from HTTPRoutes, the lab plans and runs with --api and compares both APIs side by side, the diagram
 * draws HTTPRoutes and the Gateway's listeners, and the PR comment's words read HTTPRoutes.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { describeChanges } from "../review/changes";
import { compareDocuments, docKey } from "../review/offlineDiff";
import { parseCommandLine } from "../cli/commandLine";
import { commands } from "../cli/main";
import { parseConfig } from "../config/parse";
import { flattenStackFile, projectValues } from "../config/stackConfig";
import type { MeshConfig } from "../config/types";
import { trafficDiagram } from "../diagram";
import { labOptions } from "../commands/lab";
import { labCommand, LabDeps } from "../lab/course";
import { readStackDoc } from "../lab/compose";
import { LESSONS } from "../lab/lessons";
import { defaultDescribe } from "../lab/measure";
import { buildPlan } from "../mesh/plan";
import { planObjects } from "../analysis";
import { checkContextFor, deriveChecks, describeCheck } from "../verify/verify";
import type { Check } from "../verify/checks";
import { runChecks } from "../verify/run";
import { fakeProbe, fortioResult } from "./helpers/fakeProbe";
import { vendoredCrds, SKIP_REASON } from "./helpers/gatewayApi";
import { fakeMeasure, FakeClock, FakeEngine, ROOT, tempRoot } from "./helpers/lab";
import { parseMermaid } from "./helpers/mermaid";

const GOLDEN = path.join(__dirname, "fixtures", "lab", "plan-gateway-api.golden.txt");

function scenario(file: string): Record<string, unknown> {
    return projectValues(flattenStackFile(fs.readFileSync(path.join(ROOT, "examples", "scenarios", file), "utf8"), file).values);
}
const gw = (raw: Record<string, unknown>): MeshConfig => parseConfig({ ...raw, trafficApi: "gateway-api" }, "dev");
const checksOf = (cfg: MeshConfig) => deriveChecks(checkContextFor(cfg, "http://127.0.0.1:8000"));

function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out: () => out.join(""), err: () => err.join("") };
}

/** plan touches no engine and measures nothing. */
function planDeps(root = ROOT): LabDeps {
    return { root, lessons: LESSONS, engine: async () => { throw new Error("plan must not start an engine"); }, measure: () => { throw new Error("plan must not measure"); }, describe: () => defaultDescribe(), now: Date.now, onInterrupt: () => () => undefined };
}

describe("verify: the same measurements from HTTPRoutes", () => {
    it("9: the split over version Services, from fortio and at the ingress, each version told by its page", () => {
        const checks = checksOf(gw(scenario("09-canary-75-25.yaml"))).filter((c) => c.kind === "split") as Extract<Check, { kind: "split" }>[];
        expect(checks.map((c) => [c.policy, c.via, c.url, c.destinations.map((d) => [d.label, d.share, d.answer])])).to.deep.equal([
            ["nginx-vs", "mesh", "http://nginx-service:8000/", [["nginx-service-v1", 0.75, "Full Cycle A"], ["nginx-service-v2", 0.25, "Full Cycle B"]]],
            ["nginx-ingress", "ingress", "http://127.0.0.1:8000/", [["nginx-service-v1", 0.75, "Full Cycle A"], ["nginx-service-v2", 0.25, "Full Cycle B"]]],
        ]);
    });

    it("16–17: prefix and host routes as ingress checks (Host header, path)", () => {
        const l16 = checksOf(gw(scenario("16-prefix-routing.yaml"))).filter((c) => c.kind === "split").map(describeCheck);
        expect(l16).to.deep.equal(["nginx-vs rule[0] /b: ingress http://127.0.0.1:8000/b answered by nginx-service-v2 100 %", "nginx-vs rule[1] /: ingress http://127.0.0.1:8000/ answered by nginx-service-v1 100 %"]);
        const l17 = checksOf(gw(scenario("17-host-routing.yaml"))).filter((c) => c.kind === "split") as Extract<Check, { kind: "split" }>[];
        expect(l17.map((c) => [c.policy, c.request.host])).to.deep.equal([["nginx-vs (a.fullcycle)", "a.fullcycle"], ["nginx-vs-b (b.fullcycle)", "b.fullcycle"]]);
    });

    it("14: retries over every version host, and a timeout measured where an upstream is slower", () => {
        const retries = checksOf(gw(scenario("14-retries-timeout.yaml"))).find((c) => c.kind === "retries") as Extract<Check, { kind: "retries" }>;
        expect(retries).to.deep.include({ policy: "nginx-vs", url: "http://nginx-service:8000/", attempts: 3, hosts: ["nginx-service-v1.default.svc.cluster.local", "nginx-service-v2.default.svc.cluster.local"] });
        const slow = gw({ services: { "servicex-service": { timeout: "2s" } } });
        expect(checksOf(slow).filter((c) => c.kind === "timeout").map(describeCheck)).to.deep.equal(["servicex-service-vs: calls to http://servicex-service:80/ (upstream 5s) cut at the 2s timeout"]);
    });

    it("the same kinds of check in both APIs, lesson by lesson (the fault lessons have no Gateway API form)", () => {
        for (const l of LESSONS.filter((x) => !x.id.startsWith("12-"))) {
            const raw = scenario(path.basename(l.scenario));
            const kinds = (cfg: MeshConfig) => checksOf(cfg).map((c) => (c.kind === "skip" ? `skip ${c.what}` : c.kind)).filter((k) => k !== "mtls").sort();
            expect(kinds(gw(raw)), l.id).to.deep.equal(kinds(parseConfig(raw, "dev")).filter((k) => k !== "skip canary split" || l.id !== "18-security"));
        }
    });

    it("counts the retries of every version host the route splits over", async () => {
        const check: Check = { kind: "retries", policy: "nginx-vs", url: "http://nginx-service:8000/", request: { path: "/", headers: {} }, attempts: 3, host: "nginx-service-v1.default.svc.cluster.local", hosts: ["nginx-service-v1.default.svc.cluster.local", "nginx-service-v2.default.svc.cluster.local"] };
        let call = 0;
        const stat = (host: string, n: number) => ({ [`cluster.outbound|8000||${host}.upstream_rq_5xx`]: n * 4, [`cluster.outbound|8000||${host}.upstream_rq_retry`]: n * 3 });
        const probe = fakeProbe({
            proxyStats: async (host) => (call++ < 2 ? stat(host, 0) : stat(host, host.includes("v2") ? 2 : 1)),
            load: async () => fortioResult({ "200": 49, "503": 1 }),
        });
        const rows = await runChecks([check], probe, { samples: 20, stickyKeys: 1, stickyCalls: 1, log: () => undefined });
        expect(rows[0].observed).to.equal("caller: 1 errors in 50 calls; upstream: 12 5xx, 9 retries");
        expect(rows[0].verdict).to.equal("PASS");
    });
});

describe("lab: --api and --compare-api", () => {
    it("plan --api gateway-api matches its golden file (UPDATE_GOLDEN=1 rewrites it), exit 0", async function () {
        if (!vendoredCrds("experimental")) {
            console.log(`      (skipped: ${SKIP_REASON})`);
            this.skip();
        }
        this.timeout(30000);
        const c = capture();
        const code = await labCommand("plan", { api: "gateway-api" }, c.io, planDeps());
        expect(code, c.err()).to.equal(0);
        if (process.env.UPDATE_GOLDEN) fs.writeFileSync(GOLDEN, c.out());
        expect(c.out()).to.equal(fs.readFileSync(GOLDEN, "utf8"));
    });

    it("plan --api gateway-api is deterministic, names the lessons with no Gateway API form and does not count them as problems", async function () {
        this.timeout(30000);
        const run = async () => {
            const c = capture();
            await labCommand("plan", { api: "gateway-api", from: "11-sticky-canary", to: "13-no-circuit-breaker" }, c.io, planDeps());
            return c;
        };
        const [a, b] = [await run(), await run()];
        expect(a.out()).to.equal(b.out());
        expect(a.out()).to.include("each composed over Pulumi.dev.yaml with trafficApi: gateway-api");
        expect(a.out()).to.include("NO GATEWAY API FORM (not applied by `run`; Istio's API has it: `lab plan --compare-api --only 12-fault-delay`)");
        expect(a.out()).to.include("changes from lesson 1 (11-sticky-canary):");
        expect(a.out()).to.match(/6 lessons: 2 change the mesh, 0 change nothing; 4 have no Gateway API form/);
        expect(a.err()).to.not.match(/does not validate/);
    });

    it("plan --compare-api --only 1: the objects only each API has, what differs, the checks, the objects in full", async () => {
        const c = capture();
        expect(await labCommand("plan", { compareApi: true, only: "1" }, c.io, planDeps())).to.equal(0);
        const out = c.out();
        expect(out).to.include("only in Istio's API:\n    DestinationRule nginx-dr\n    VirtualService nginx-vs\n    VirtualService nginx-ingress\n    Gateway ingress-gateway-k3d\n");
        expect(out).to.include("only in the Gateway API:\n    Service nginx-service-v1\n    Service nginx-service-v2\n    Gateway.gateway.networking.k8s.io ingress-gateway-k3d\n    HTTPRoute nginx-vs\n    HTTPRoute nginx-ingress\n");
        expect(out).to.include("verify will check in the Gateway API:\n    - nginx-vs: calls from fortio to http://nginx-service:8000/ split nginx-service-v1 90 %, nginx-service-v2 10 %");
        expect(out).to.include("experimental-install.yaml), applied after Istio's base chart and before istiod");
        expect(out).to.match(/the Gateway API, the objects that differ:\n(.|\n)*kind: HTTPRoute/);
        const fault = capture();
        await labCommand("plan", { compareApi: true, only: "12-fault-abort" }, fault.io, planDeps());
        expect(fault.out()).to.include("NO GATEWAY API FORM: Istio's API only. Why:\n    - istio-mesh:services.nginx-service.fault: lesson 12 (fault injection)");
    });

    it("run --api refuses an API other than the stack's (the CRDs are the platform), exit 2, nothing applied", async () => {
        const c = capture();
        const engine = new FakeEngine({}, new FakeClock());
        const deps: LabDeps = { ...planDeps(), engine: async () => engine, reachable: async () => undefined };
        expect(await labCommand("run", { api: "gateway-api" }, c.io, deps)).to.equal(2);
        expect(c.err()).to.match(/--api gateway-api: Pulumi\.dev\.yaml has trafficApi istio.*installs the Gateway API CRDs.*Set istio-mesh:trafficApi: gateway-api in Pulumi\.dev\.yaml and run npm run up/);
        expect(engine.calls).to.deep.equal([]);
    });

    it("run on a gateway-api stack: a lesson with no Gateway API form is SKIP and never applied", async () => {
        const stack = `${fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")}\n  istio-mesh:trafficApi: gateway-api\n`;
        const root = tempRoot({}, stack);
        const clock = new FakeClock();
        const engine = new FakeEngine(readStackDoc(path.join(root, "Pulumi.dev.yaml")).config, clock);
        const m = fakeMeasure(clock);
        const c = capture();
        const deps: LabDeps = { root, lessons: LESSONS, engine: async () => engine, measure: () => m.measure, describe: () => () => [], now: clock.now, onInterrupt: () => () => undefined, reachable: async () => undefined };
        const code = await labCommand("run", { from: "12-fault-abort", to: "13-no-circuit-breaker", json: path.join(root, "r.json"), skipOk: true }, c.io, deps);
        const r = JSON.parse(fs.readFileSync(path.join(root, "r.json"), "utf8"));
        expect(r.results.map((l: { id: string; verdict: string }) => [l.id, l.verdict])).to.deep.equal([["12-fault-abort", "SKIP"], ["13-no-circuit-breaker", "SKIP"]]);
        expect(r.results[0].reason).to.match(/not applied: the lesson has no Gateway API form \(istio-mesh:services\.nginx-service\.fault: lesson 12/);
        // Only the second lesson reached the engine (then the restore); the fault lesson's config never did.
        const applied = engine.calls.filter((x) => x.op === "setConfig").map((x) => (x as { config: Record<string, unknown> }).config["istio-mesh:services"]);
        expect(applied.some((s) => JSON.stringify(s ?? {}).includes("fault"))).to.equal(false);
        expect(m.seen.length).to.equal(1);
        // Nothing PASSed (a SKIP, even with --skip-ok, is not a pass): exit 1, as for any course without a PASS.
        expect(code).to.equal(1);
    });

    const parse = (argv: string[]) => {
        const [sub, ...rest] = argv;
        const spec = commands.find((x) => x.spec.name === `lab ${sub}`)!;
        const p = parseCommandLine(spec.spec, rest);
        if (p.help) throw new Error("unexpected --help");
        return labOptions(spec.spec, p);
    };
    for (const [argv, want] of [
        [["plan", "--api", "gateway-api"], { api: "gateway-api" }],
        [["plan", "--compare-api", "--only", "9"], { compareApi: true, only: "9" }],
        [["run", "--api", "istio"], { api: "istio" }],
        [["plan", "--api", "gateway"], /--api gateway: expected one of istio, gateway-api/],
        [["plan", "--compare-api", "--api", "istio"], /--compare-api plans every lesson in both APIs: use it without --api/],
        [["run", "--compare-api"], /unknown option --compare-api/],
    ] as [string[], unknown][]) {
        it(`command line: lab ${argv.join(" ")}`, () => {
            if (want instanceof RegExp) expect(() => parse(argv)).to.throw(want);
            else expect(parse(argv)).to.deep.equal(want);
        });
    }
});

describe("diagram: HTTPRoutes and the Gateway's listeners", () => {
    it("draws the HTTPRoute entered from the mesh at its Service and from the Gateway, one weighted edge per version Service; Mermaid parses it", async function () {
        this.timeout(30000);
        const text = trafficDiagram(planObjects(buildPlan(gw(scenario("17-host-routing.yaml")))));
        expect(text).to.include("Gateway ingress-gateway-k3d (Gateway API)<br>listener http :80 HTTP · host *.fullcycle");
        expect(text).to.match(/HTTPRoute nginx-vs-b/);
        const canary = trafficDiagram(planObjects(buildPlan(gw(scenario("09-canary-75-25.yaml")))));
        expect(canary).to.match(/-->\|"75 %"\|/);
        expect(canary).to.match(/-->\|"25 %"\|/);
        expect(canary).to.include('-->|"nginx-service"|');
        expect(canary).to.not.include("subgraph g2[\"nginx-service.default.svc.cluster.local\"]");
        const parsed = await parseMermaid(canary);
        expect(parsed.vertices.some((v) => v.text.includes("HTTPRoute nginx-vs"))).to.equal(true);
    });
});

describe("PR comment: HTTPRoutes in plain words", () => {
    const route = (w1: number, w2: number, codes?: number[]) => ({
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: "nginx-vs", namespace: "default" },
        spec: { parentRefs: [{ group: "", kind: "Service", name: "nginx-service", port: 8000 }], rules: [{ backendRefs: [{ name: "nginx-service-v1", port: 8000, weight: w1 }, { name: "nginx-service-v2", port: 8000, weight: w2 }], ...(codes ? { retry: { attempts: 3, codes } } : {}) }] },
    });

    it("a weight, a backend, retry codes as ranges", () => {
        expect(describeChanges("nginx-vs", "HTTPRoute", route(90, 10), route(75, 25))).to.deep.equal(["nginx-vs: backend nginx-service-v1 weight 90 → 75", "nginx-vs: backend nginx-service-v2 weight 10 → 25"]);
        const codes = Array.from({ length: 100 }, (_, i) => 500 + i);
        expect(describeChanges("nginx-vs", "HTTPRoute", route(90, 10, codes), route(90, 10, [502, 503, 504]))).to.deep.equal(["nginx-vs: retry codes [500–599] → [502–504]"]);
        const one = route(100, 0);
        (one.spec.rules[0].backendRefs as unknown[]).pop();
        expect(describeChanges("nginx-vs", "HTTPRoute", one, route(90, 10))).to.deep.equal(["nginx-vs: backend nginx-service-v1 weight 100 → 90", "nginx-vs: backend nginx-service-v2 added (weight 10)"]);
    });

    it("rules are known by their match, not their position (the Gateway API ranks them)", () => {
        const rules = (order: string[]) => ({ ...route(1, 1), spec: { parentRefs: [], rules: order.map((p) => ({ matches: [{ path: { type: "PathPrefix", value: p } }], backendRefs: [{ name: `svc${p.replace("/", "-")}`, port: 80 }] })) } });
        expect(describeChanges("r", "HTTPRoute", rules(["/b", "/"]), rules(["/", "/b"]))).to.deep.equal([]);
    });

    it("the Gateway API's Gateway is not Istio's Gateway of the same name", () => {
        const istio = { apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: { name: "g", namespace: "default" }, spec: {} };
        const k8s = { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "g", namespace: "default" }, spec: {} };
        expect(docKey(istio)).to.not.equal(docKey(k8s));
        expect(compareDocuments([istio], [k8s]).changes.map((c) => `${c.op} ${c.title}`)).to.deep.equal(["create Gateway.gateway.networking.k8s.io g", "delete Gateway g"]);
    });
});
