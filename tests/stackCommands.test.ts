import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { Io } from "../cli/run";
import { defaultTools, Tools } from "../commands/stack";
import { readFindings } from "../review/findings";
import type { Finding } from "../review/comment";
import type { EngineSettings, MeshEngine } from "../engine/engine";
import { UsageError } from "../cli/errors";
import { parseArgs, run } from "./helpers/stackCommands";
import type { MeshProbe } from "../verify/run";
import { fakeProbe } from "./helpers/fakeProbe";

const events: EngineEvent[] = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "events", "preview-policies.json"), "utf8"));

describe("stack commands: preview --markdown, diff, verify (commands/; review/)", () => {
    let root: string;
    let out: string;
    let err: string;
    const io: Io = { out: (t) => (out += t), err: (t) => (err += t) };
    let engineCreated = false;
    const engine = async (_s: EngineSettings): Promise<MeshEngine> => {
        engineCreated = true;
        return {
            up: async () => ({ summary: {}, outputs: {} }),
            destroy: async () => ({ summary: {} }),
            preview: async (o) => {
                o.onOutput("Previewing update (dev)\n");
                for (const e of events) o.onEvent?.(e);
                return { summary: { update: 4, replace: 1, create: 1, delete: 1, same: 1 } };
            },
        };
    };
    const vs = (w1: number, w2: number) => ({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "nginx-vs", namespace: "default" }, spec: { hosts: ["nginx-service"], http: [{ route: [{ destination: { host: "nginx-service", subset: "v1" }, weight: w1 }, { destination: { host: "nginx-service", subset: "v2" }, weight: w2 }] }] } });
    let renders: string[];
    const tools = (probe?: MeshProbe): Tools => ({
        ...defaultTools,
        preflight: async () => undefined,
        pulumiCli: async () => undefined,
        renderAtRef: (_root, ref, stack) => (renders.push(`${ref}:${stack}`), { docs: [vs(90, 10)] }),
        renderWorkingTree: (_root, stack) => (renders.push(`HEAD:${stack}`), [vs(80, 20)]),
        makeProbe: async () => {
            if (!probe) throw new Error("no cluster in this test");
            return probe;
        },
        analyze: async () => analyzerFindings,
    });
    let analyzerFindings: Finding[] = [];

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "cli-cmd-"));
        fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config: {}\n");
        out = err = "";
        engineCreated = false;
        renders = [];
        analyzerFindings = [];
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("preview --markdown writes the comment built from the engine's events, secrets hidden", async () => {
        const file = path.join(root, "preview.md");
        expect(await run(parseArgs(["preview", "--markdown", file]), {}, io, engine, root, tools())).to.equal(0);
        const md = fs.readFileSync(file, "utf8");
        expect(md.split("\n")[0]).to.equal("<!-- istio-mesh:preview:dev -->");
        expect(md).to.include("`nginx-vs: route v2 weight 10 → 20`").and.include("⚠️ replacement");
        expect(md).to.not.include("hunter2");
        expect(out).to.include("Previewing update (dev)").and.include("Preview:");
        expect(err).to.include(`wrote ${md.length} characters to ${file}`);
    });

    it("preview --findings appends the analyzer's findings; a bad findings file names the flag", async () => {
        const file = path.join(root, "preview.md");
        const findings = path.join(root, "findings.json");
        fs.writeFileSync(findings, JSON.stringify([{ code: "IM001", severity: "warning", resource: "DestinationRule nginx-dr", path: "spec.trafficPolicy", message: "LEAST_CONN is deprecated", fix: "use LEAST_REQUEST" }]));
        await run(parseArgs(["preview", "--markdown", file, "--findings", findings]), {}, io, engine, root, tools());
        expect(fs.readFileSync(file, "utf8")).to.include("### Analyzer findings (1)").and.include("IM001");
        fs.writeFileSync(findings, '[{"code": 1}]');
        expect(() => readFindings(findings)).to.throw(UsageError, /--findings .*findings\.json: expected a JSON list of \{code, severity/);
    });

    it("without --findings the analyzer's own findings are appended; a failing analyzer only costs the section", async () => {
        const file = path.join(root, "diff.md");
        analyzerFindings = [{ code: "IST0101", severity: "error", resource: "VirtualService default/nginx-vs", path: "spec.http[0].route[1]", message: "subset v3 not found", fix: "declare v3 in nginx-dr" }];
        await run(parseArgs(["diff", "--base", "main", "--markdown", file]), {}, io, engine, root, tools());
        expect(fs.readFileSync(file, "utf8")).to.include("### Analyzer findings (1)").and.include("IST0101");
        const broken: Tools = { ...tools(), analyze: async () => Promise.reject(new Error("schema missing")) };
        expect(await run(parseArgs(["diff", "--base", "main", "--markdown", file]), {}, io, engine, root, broken)).to.equal(0);
        expect(fs.readFileSync(file, "utf8")).to.not.include("Analyzer findings");
        expect(err).to.include("the analyzer failed, the comment has no findings: schema missing");
    });

    it("--markdown without a file is a usage error naming the flag", () => {
        expect(() => parseArgs(["preview", "--markdown"])).to.throw(UsageError, /--markdown needs a value, e.g. --markdown file/);
    });

    it("diff renders base and working tree, needs no engine, backend or passphrase, and writes the same kind of comment", async () => {
        const file = path.join(root, "diff.md");
        expect(await run(parseArgs(["diff", "--stack", "dev", "--base", "origin/main", "--markdown", file]), {}, io, engine, root, tools())).to.equal(0);
        expect(renders).to.deep.equal(["origin/main:dev", "HEAD:dev"]);
        expect(engineCreated).to.equal(false);
        expect(fs.existsSync(path.join(root, ".pulumi-state"))).to.equal(false);
        const md = fs.readFileSync(file, "utf8");
        expect(md.split("\n")[0]).to.equal("<!-- istio-mesh:diff:dev -->");
        expect(md).to.include("**0 to create, 1 to update, 0 to replace, 0 to delete** (0 unchanged)").and.include("`nginx-vs: route v2 weight 10 → 20`");
    });

    it("diff without --base says how to call it; without --markdown prints to stdout", async () => {
        let e: unknown;
        await run(parseArgs(["diff"]), {}, io, engine, root, tools()).catch((x) => (e = x));
        expect(String(e)).to.include("diff needs --base <git ref>, e.g. npm run diff -- --stack dev --base origin/main");
        await run(parseArgs(["diff", "--base", "main"]), {}, io, engine, root, tools());
        expect(out).to.include("nginx-vs: route v1 weight 90 → 80");
    });

    describe("verify", () => {
        /** A mesh that answers B one time in ten (a 90/10 split) and resets plain text (tests/helpers/fakeProbe.ts). */
        const honest = (): MeshProbe => fakeProbe();

        it("a mesh doing what is declared: the table, exit 0", async () => {
            expect(await run(parseArgs(["verify", "--samples", "100", "--converge-timeout", "0"]), {}, io, engine, root, tools(honest()))).to.equal(0);
            expect(out).to.match(/^policy\s+check\s+expected\s+observed\s+verdict/);
            expect(out).to.match(/nginx-vs\s+canary split http:\/\/nginx-service:8000\/: v2 \("Full Cycle B"\)\s+10 %\s+10\.0 % \(10\/100/);
            expect(out).to.match(/nginx-ingress\s+ingress http:\/\/127\.0\.0\.1:8000\/: v1/);
            expect(out).to.match(/ 0 failed, 0 could not be measured/);
            expect(engineCreated).to.equal(false);
        });

        it("a mismatch (everything on A): FAIL rows and exit 1", async () => {
            const allA: MeshProbe = { ...honest(), curl: async () => ({ status: 200, body: "Full Cycle A" }) };
            expect(await run(parseArgs(["verify", "--samples", "100", "--converge-timeout", "0"]), {}, io, engine, root, tools(allA))).to.equal(1);
            expect(out).to.match(/v2 \("Full Cycle B"\)\s+10 %\s+0\.0 % \(0\/100.*FAIL/);
        });

        it("a kubeconfig kept as a secret: the kube context and ingress URL come from the stack's outputs, through an existing stack", async () => {
            fs.writeFileSync(path.join(root, "Pulumi.lab.yaml"), "config:\n  istio-mesh:cluster:\n    kind: kubeconfig\n    kubeconfig:\n      secure: v1:abc\n  istio-mesh:images:\n    servicex: {image: ghcr.io/example/servicex:1.0.0}\n");
            const stacks = path.join(root, ".pulumi-state", ".pulumi", "stacks", "istio-mesh");
            let contexts: string[] = [];
            let settings: EngineSettings | undefined;
            const withOutputs = async (s: EngineSettings): Promise<MeshEngine> => ({ ...(await engine(s)), outputs: async () => ((settings = s), { kubeContext: { value: "gke-lab", secret: false }, ingressUrl: { value: "http://203.0.113.7", secret: false }, kubeconfig: { value: "", secret: true } }) });
            const t: Tools = { ...tools(honest()), makeProbe: async (o) => ((contexts = [...contexts, o.context]), honest()) };
            // No state yet: verify says to deploy first (exit 2), without starting an engine.
            let e: unknown;
            await run(parseArgs(["verify", "--stack", "lab", "--converge-timeout", "0"]), { PULUMI_CONFIG_PASSPHRASE: "x" }, io, withOutputs, root, t).catch((x) => (e = x));
            expect(e).to.be.instanceOf(UsageError);
            expect(String(e)).to.include('stack "lab" has no state').and.include("pass --context and --ingress-url");
            fs.mkdirSync(stacks, { recursive: true });
            fs.writeFileSync(path.join(stacks, "lab.json"), "{}");
            expect(await run(parseArgs(["verify", "--stack", "lab", "--converge-timeout", "0"]), { PULUMI_CONFIG_PASSPHRASE: "x" }, io, withOutputs, root, t)).to.equal(0);
            expect(contexts).to.deep.equal(["gke-lab"]);
            expect(settings!.create, "an existing stack is selected, never created").to.equal(false);
            expect(err).to.include('kube context "gke-lab"').and.include("ingress http://203.0.113.7");
        });

        it("no cluster: exit 2 naming the context, no rows; a bad --samples names the flag", async () => {
            let e: unknown;
            expect(await run(parseArgs(["verify"]), {}, io, engine, root, tools())).to.equal(2);
            expect(err).to.include('verify: kube context "k3d-istio-mesh"').and.include("no cluster in this test");
            expect(out).to.not.include("PASS");
            await run(parseArgs(["verify", "--samples", "3"]), {}, io, engine, root, tools(honest())).catch((x) => (e = x));
            expect(String(e)).to.include("--samples 3: expected a whole number from 20 to 10000");
        });
    });
});
