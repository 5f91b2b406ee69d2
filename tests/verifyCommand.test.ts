import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { UsageError } from "../cli/errors";
import type { MeshConfig } from "../config/types";
import { resolveIngressUrl, resolveTarget, verifyCommand, VerifyCommandOptions, VerifyDeps } from "../verify/deployed";
import type { KubeProbeOptions } from "../verify/kubeProbe";
import type { MeshProbe } from "../verify/run";
import { config } from "./helpers/config";
import { fakeProbe, RESET } from "./helpers/fakeProbe";
import { ROOT } from "./helpers/render";

describe("verify command (reachability, verdicts, exit codes)", () => {
    let out: string;
    let err: string;
    const io = { out: (t: string) => (out += t), err: (t: string) => (err += t) };
    beforeEach(() => {
        out = "";
        err = "";
    });
    const opts = (o: Partial<VerifyCommandOptions> = {}): VerifyCommandOptions => ({ cfg: config(), stack: "dev", samples: 100, json: false, convergeTimeoutSeconds: 0, ...o });
    const deps = (probe: MeshProbe | (() => Promise<MeshProbe>), seen: KubeProbeOptions[] = []): VerifyDeps => ({
        makeProbe: async (o) => (seen.push(o), typeof probe === "function" ? probe() : probe),
        sleep: async () => undefined,
    });

    it("an honest mesh: every row PASS, exit 0, the table for people", async () => {
        expect(await verifyCommand(opts(), io, deps(fakeProbe()))).to.equal(0);
        expect(out).to.match(/^policy\s+check\s+expected\s+observed\s+verdict/);
        expect(out).to.match(/mTLS STRICT: plain-text call to nginx-service\.default:8000 from a pod without a sidecar\s+connection reset before any response header\s+reset before headers .*PASS/);
        expect(out).to.not.match(/FAIL|ERROR\s*$/m);
        expect(out).to.include("0 failed, 0 could not be measured (ERROR)");
    });

    it("--json: the rows for machines, with the verdict counts", async () => {
        expect(await verifyCommand(opts({ json: true }), io, deps(fakeProbe()))).to.equal(0);
        const doc = JSON.parse(out);
        expect(doc).to.include({ stack: "dev", context: "k3d-istio-mesh", server: "https://127.0.0.1:6550", ingressUrl: "http://127.0.0.1:8000", ok: true });
        expect(doc.summary).to.deep.equal({ pass: doc.rows.length, fail: 0, error: 0, skip: 0 });
        expect(doc.rows[0]).to.have.keys("policy", "check", "expected", "observed", "verdict", "kind");
    });

    describe("every failure mode gives ERROR or exit 2, never PASS (fake probes)", () => {
        const cases: [string, () => MeshProbe | (() => Promise<MeshProbe>), number, RegExp][] = [
            ["unreachable API server", () => fakeProbe({ preflight: async () => ({ ok: false, server: "https://127.0.0.1:1", problem: "the API server does not answer: connect ECONNREFUSED 127.0.0.1:1" }) }), 2, /kube context "k3d-istio-mesh" .*API server https:\/\/127\.0\.0\.1:1: the API server does not answer/],
            ["context not in the kubeconfig", () => async () => { throw new Error('kube context "k3d-istio-mesh" is not in your kubeconfig (have: none)'); }, 2, /is not in your kubeconfig/],
            ["missing fortio pod", () => fakeProbe({ preflight: async () => ({ ok: false, server: "https://127.0.0.1:6550", problem: "no Running pod labelled app=fortio in namespace default" }) }), 2, /no Running pod labelled app=fortio/],
            ["fortio without its sidecar", () => fakeProbe({ preflight: async () => ({ ok: false, server: "https://127.0.0.1:6550", problem: "the fortio pod fortio-1 has no ready istio-proxy sidecar" }) }), 2, /no ready istio-proxy sidecar/],
            ["preflight throws", () => fakeProbe({ preflight: async () => { throw new Error("socket hang up"); } }), 2, /socket hang up/],
            ["probe error on every call", () => fakeProbe({ curl: async () => { throw new Error("exec: pod gone"); }, ingress: async () => { throw new Error("ECONNREFUSED"); }, load: async () => { throw new Error("exec: pod gone"); }, send: async () => { throw new Error("exec: pod gone"); } }), 1, /ERROR/],
            ["unexpected status everywhere", () => fakeProbe({ curl: async () => ({ status: 503, body: "no healthy upstream" }), ingress: async () => ({ status: 404, body: "" }), send: async () => ({ status: 503, body: "" }) }), 1, /FAIL/],
            ["client misconfiguration (the outside client rejects its own flags)", () => fakeProbe({ send: async (from) => (from === "outside" ? { error: "HTTP protocol is not allowed when skipTLSVerify is set" } : { status: 200 }) }), 1, /ERROR/],
            ["the client outside the mesh reset everywhere, its control too", () => fakeProbe({ send: async (from) => (from === "outside" ? { error: RESET } : { status: 200 }) }), 1, /ERROR/],
        ];
        for (const [name, probe, code, text] of cases) {
            it(`${name} → exit ${code}`, async () => {
                const c = await verifyCommand(opts(), io, deps(probe()));
                expect(c).to.equal(code);
                expect(out + err).to.match(text);
                if (code === 2) expect(out).to.equal(""); // no rows at all
                // No STRICT row may pass on a broken probe or client.
                expect(out).to.not.match(/mTLS STRICT.*PASS/);
            });
        }
        it("the probe error rows name what failed", async () => {
            await verifyCommand(opts(), io, deps(fakeProbe({ load: async () => { throw new Error("no running pod labelled app=fortio in namespace default"); } })));
            expect(out).to.match(/circuit-breaker-servicex\s+circuitBreaker\s+a measurement\s+not measured: no running pod labelled app=fortio.*ERROR/);
        });
        it("exit 2 with --json still prints a machine-readable error and no rows", async () => {
            expect(await verifyCommand(opts({ json: true }), io, deps(fakeProbe({ preflight: async () => ({ ok: false, server: "https://x", problem: "down" }) })))).to.equal(2);
            expect(JSON.parse(out)).to.deep.include({ ok: false, rows: [] });
        });
    });

    describe("flags", () => {
        const bad: [string, Partial<VerifyCommandOptions>, RegExp][] = [
            ["--ingress-url not-a-url", { ingressUrl: "not-a-url" }, /--ingress-url "not-a-url" is not a URL/],
            ["--ingress-url ftp://…", { ingressUrl: "ftp://127.0.0.1:8000" }, /expected an http:\/\/ or https:\/\/ URL, got ftp:/],
            ["--samples 3", { samples: 3 }, /--samples 3: expected an integer from 20 to 10000/],
            ["--converge-timeout -1", { convergeTimeoutSeconds: -1 }, /--converge-timeout -1/],
            ["--converge-timeout abc", { convergeTimeoutSeconds: Number("abc") }, /--converge-timeout NaN/],
            ["--context ''", { context: " " }, /--context needs a kube context name/],
        ];
        for (const [name, o, text] of bad) {
            it(`${name}: a UsageError (exit 2) before touching the cluster`, async () => {
                let probed = false;
                const e = await verifyCommand(opts(o), io, { makeProbe: async () => ((probed = true), fakeProbe()) }).catch((x) => x);
                expect(e).to.be.instanceOf(UsageError);
                expect(String(e)).to.match(text);
                expect(probed).to.equal(false);
            });
        }
        it("--ingress-url http(s) is accepted; a good one reaches the ingress checks", async () => {
            const seen: string[] = [];
            await verifyCommand(opts({ ingressUrl: "https://lab.example.com" }), io, deps(fakeProbe({ ingress: async (u) => (seen.push(u), { status: 200, body: "Full Cycle A" }) })));
            expect(seen[0]).to.equal("https://lab.example.com/");
        });
    });

    describe("which kube context (the cluster kind implies it; --context overrides)", () => {
        const none = async () => undefined;
        const kubeconfigCluster = (extra: Record<string, unknown>): MeshConfig => {
            const cfg = config();
            return { ...cfg, cluster: { kind: "kubeconfig", upsertExistingObjects: false, ingress: { annotations: {} }, ...extra } } as MeshConfig;
        };
        const eks = (): MeshConfig => ({ ...config(), cluster: { kind: "eks", name: "istio-mesh-prod", region: "eu-west-1", kubernetesVersion: "1.33", nodeGroup: { instanceType: "t3.large", minSize: 1, desiredSize: 2, maxSize: 3 }, ingress: { annotations: {} } } } as MeshConfig);
        const rows: [string, Partial<VerifyCommandOptions>, () => Promise<Record<string, unknown> | undefined>, string][] = [
            ["k3d → k3d-<name>", {}, none, "k3d-istio-mesh"],
            ["--context wins over k3d", { context: "other" }, none, "other"],
            ["eks → the cluster name (update-kubeconfig --alias)", { cfg: eks() }, none, "istio-mesh-prod"],
            ["kubeconfig → cluster.context, not the current context", { cfg: kubeconfigCluster({ context: "gke_lab" }) }, none, "gke_lab"],
            ["kubeconfig as a secret → the stack output kubeContext", { cfg: kubeconfigCluster({ kubeconfig: "[secret]" }) }, async () => ({ kubeContext: "aks-lab", kubeconfig: "apiVersion: v1\ncurrent-context: aks-lab\n" }), "aks-lab"],
            ["kubeconfig in config → its current-context", { cfg: kubeconfigCluster({ kubeconfig: "apiVersion: v1\ncurrent-context: doks-lab\n" }) }, none, "doks-lab"],
        ];
        for (const [name, o, outputs, context] of rows) {
            it(name, async () => expect((await resolveTarget({ ...opts(), ...o }, outputs)).context).to.equal(context));
        }
        it("kubeconfig with a secret kubeconfig and no outputs: a usage error asking for --context", async () => {
            const e = await resolveTarget({ ...opts(), cfg: kubeconfigCluster({ kubeconfig: "[secret]" }) }, none).catch((x) => x);
            expect(e).to.be.instanceOf(UsageError);
            expect(String(e)).to.include("pass --context");
        });
        it("the stack's own kubeconfig goes to the probe with its context", async () => {
            const seen: KubeProbeOptions[] = [];
            const yaml = "apiVersion: v1\ncurrent-context: aks-lab\n";
            await verifyCommand(opts({ cfg: kubeconfigCluster({ kubeconfig: "[secret]" }), ingressUrl: "http://1.2.3.4" }), io, { ...deps(fakeProbe(), seen), stackOutputs: async () => ({ kubeContext: "aks-lab", kubeconfig: yaml }) });
            expect(seen[0]).to.deep.include({ context: "aks-lab", kubeconfig: yaml, namespace: "default", istioNamespace: "istio-system" });
        });
        it("ingress URL: k3d's host port, else --ingress-url, else the stack output, else a usage error", async () => {
            expect(await resolveIngressUrl(opts(), none)).to.equal("http://127.0.0.1:8000");
            expect(await resolveIngressUrl({ ...opts(), cfg: eks() }, async () => ({ ingressUrl: "http://nlb.example.com" }))).to.equal("http://nlb.example.com");
            const e = await resolveIngressUrl({ ...opts(), cfg: eks() }, none).catch((x) => x);
            expect(String(e)).to.include("pass --ingress-url");
        });
    });

    it("waits for the config to reach the proxies, reports how long, and says so on a time-out", async () => {
        let t = 0;
        let polls = 0;
        const syncing = fakeProbe({
            syncStatus: async () => {
                polls++;
                return [{ proxy: "fortio-deploy-1.default", sent: { route: "n2" }, acked: { route: polls < 3 ? "n1" : "n2" } }];
            },
        });
        const clock = { now: () => t, sleep: async (ms: number) => void (t += ms) };
        expect(await verifyCommand(opts({ convergeTimeoutSeconds: 30, json: true }), io, { ...deps(syncing), ...clock })).to.equal(0);
        const doc = JSON.parse(out);
        expect(doc.convergence.converged).to.equal(true);
        expect(doc.convergence.seconds).to.equal(5); // two polls waiting, then 3 s steady
        expect(doc.convergence.how).to.match(/^istiod sync status/);
        out = "";
        t = 0;
        const stuck = fakeProbe({ syncStatus: async () => [{ proxy: "fortio-deploy-1.default", sent: { route: "n2" }, acked: { route: "n1" } }] });
        await verifyCommand(opts({ convergeTimeoutSeconds: 10 }), io, { ...deps(stuck), ...clock });
        expect(out).to.match(/WARNING: config not confirmed on every proxy: timed out after 10s by istiod sync status: waiting for fortio-deploy-1\.default: route/);
    });

    it("the real entry point against a closed loopback port: exit 2, no PASS", async function () {
        this.timeout(60000);
        // A port bound and closed again: nothing listens there.
        const port = await new Promise<number>((resolve) => {
            const s = net.createServer().listen(0, "127.0.0.1", () => {
                const p = (s.address() as net.AddressInfo).port;
                s.close(() => resolve(p));
            });
        });
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-kubeconfig-"));
        const kubeconfig = path.join(dir, "config");
        fs.writeFileSync(
            kubeconfig,
            [
                "apiVersion: v1",
                "kind: Config",
                "clusters: [{name: closed, cluster: {server: 'https://127.0.0.1:" + port + "', insecure-skip-tls-verify: true}}]",
                "users: [{name: nobody, user: {token: not-a-token}}]",
                "contexts: [{name: closed-ctx, context: {cluster: closed, user: nobody}}]",
                "current-context: closed-ctx",
                "",
            ].join("\n"),
        );
        const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            execFile(process.execPath, ["--import", "tsx", "cli/main.ts", "verify", "--stack", "dev", "--context", "closed-ctx", "--converge-timeout", "0"], { cwd: ROOT, env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 55000 }, (e, stdout, stderr) =>
                resolve({ code: e ? ((e as { code?: number }).code ?? null) : 0, stdout, stderr }),
            );
        });
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stdout + r.stderr).to.not.include("PASS");
        expect(r.stderr).to.include('kube context "closed-ctx"').and.include(`127.0.0.1:${port}`);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
