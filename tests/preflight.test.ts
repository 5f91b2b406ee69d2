import { expect } from "chai";
import * as net from "net";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PrerequisiteError } from "../cli/errors";
import { parseConfig } from "../config/parse";
import type { MeshConfig } from "../config/types";
import { k3dVersionProblem, preflight, PreflightCommand, realSystem, System } from "../preflight/preflight";

const k3dCfg = (): MeshConfig => parseConfig({ images: { servicex: { image: "ghcr.io/example/servicex:1.0.0" } } }, "dev");
const eksCfg = (): MeshConfig => parseConfig({ cluster: { kind: "eks", name: "lab", region: "eu-west-1" }, images: { servicex: { image: "ghcr.io/example/servicex:1.0.0" } } }, "cloud");
const kubeCfg = (): MeshConfig => parseConfig({ cluster: { kind: "kubeconfig", context: "gke-lab" }, images: { servicex: { image: "ghcr.io/example/servicex:1.0.0" } } }, "lab");

/** A machine with docker, k3d 5.9.0 and a daemon, free ports, no cluster yet; each row breaks one thing. */
function machine(over: Partial<{ tools: string[]; dockerInfo: number; k3dVersion: string; clusterExists: boolean; busy: string[]; env: Record<string, string>; files: string[]; kube: boolean }> = {}): System & { asked: string[] } {
    const o = { tools: ["docker", "k3d"], dockerInfo: 0, k3dVersion: "k3d version v5.9.0\nk3s version v1.33.7-k3s1 (default)", clusterExists: false, busy: [], env: {}, files: [], kube: true, ...over };
    const asked: string[] = [];
    return {
        asked,
        env: o.env,
        homeDir: "/home/u",
        which: (c) => (o.tools.includes(c) ? `/usr/bin/${c}` : undefined),
        exec: (c, args) => {
            asked.push(`${c} ${args.join(" ")}`);
            if (c === "docker") return o.dockerInfo === 0 ? { status: 0, stdout: "28.2.2\n", stderr: "" } : { status: 1, stdout: "", stderr: "Cannot connect to the Docker daemon" };
            if (args[0] === "version") return { status: 0, stdout: o.k3dVersion, stderr: "" };
            if (args[0] === "cluster") return { status: o.clusterExists ? 0 : 1, stdout: "", stderr: o.clusterExists ? "" : "No nodes found" };
            return { status: 127, stdout: "", stderr: "" };
        },
        portBusy: async (host, port) => (o.busy.includes(`${host}:${port}`) ? "in use" : undefined),
        exists: (f) => o.files.includes(f),
        kubeApi: async (context) => (o.kube ? { ok: true, server: "https://10.0.0.1" } : { ok: false, server: "https://10.0.0.1", error: `connect ECONNREFUSED (context ${context})` }),
    };
}

async function problems(cfg: MeshConfig, command: PreflightCommand, sys: System): Promise<string> {
    try {
        await preflight(cfg, command, sys);
        return "";
    } catch (e) {
        expect(e).to.be.instanceOf(PrerequisiteError);
        return (e as Error).message;
    }
}

describe("preflight: prerequisites of the cluster kind, before anything is created", () => {
    const rows: { name: string; cfg: () => MeshConfig; command?: PreflightCommand; sys: Partial<Parameters<typeof machine>[0]>; want: RegExp | "" }[] = [
        { name: "k3d: all there", cfg: k3dCfg, sys: {}, want: "" },
        { name: "k3d: no docker", cfg: k3dCfg, sys: { tools: ["k3d"] }, want: /'docker' is not installed \(not on PATH\): install Docker Engine or Docker Desktop/ },
        { name: "k3d: daemon down", cfg: k3dCfg, sys: { dockerInfo: 1 }, want: /the Docker daemon does not answer \('docker info': Cannot connect to the Docker daemon\): start Docker/ },
        { name: "k3d: no k3d", cfg: k3dCfg, sys: { tools: ["docker"] }, want: /'k3d' is not installed \(not on PATH\): install k3d v5/ },
        { name: "k3d: k3d too old", cfg: k3dCfg, sys: { k3dVersion: "k3d version v5.4.9" }, want: /k3d v5\.4\.9 is not supported/ },
        { name: "k3d: k3d 6", cfg: k3dCfg, sys: { k3dVersion: "k3d version v6.0.0" }, want: /k3d v6\.0\.0 is not supported/ },
        { name: "k3d: ingress port taken", cfg: k3dCfg, sys: { busy: ["127.0.0.1:8000"] }, want: /port 127\.0\.0\.1:8000 \(istio-mesh:cluster\.ingress\.hostPort, for the ingress gateway\) is in use.*pulumi config set --path 'istio-mesh:cluster\.ingress\.hostPort' <port>/ },
        { name: "k3d: API port taken", cfg: k3dCfg, sys: { busy: ["127.0.0.1:6550"] }, want: /port 127\.0\.0\.1:6550 \(istio-mesh:cluster\.apiPort/ },
        { name: "k3d: ports held by the running cluster itself", cfg: k3dCfg, sys: { busy: ["127.0.0.1:8000", "127.0.0.1:6550"], clusterExists: true }, want: "" },
        { name: "k3d: preview does not need the ports", cfg: k3dCfg, command: "preview", sys: { busy: ["127.0.0.1:8000"] }, want: "" },
        { name: "k3d: down needs docker and k3d too", cfg: k3dCfg, command: "down", sys: { tools: [] }, want: /'docker' is not installed[\s\S]*'k3d' is not installed/ },
        { name: "eks: no credentials", cfg: eksCfg, sys: {}, want: /no AWS credentials found.*aws configure/ },
        { name: "eks: keys in env", cfg: eksCfg, sys: { env: { AWS_ACCESS_KEY_ID: "A", AWS_SECRET_ACCESS_KEY: "B" } }, want: "" },
        { name: "eks: only a key id is not credentials", cfg: eksCfg, sys: { env: { AWS_ACCESS_KEY_ID: "A" } }, want: /no AWS credentials/ },
        { name: "eks: a profile", cfg: eksCfg, sys: { env: { AWS_PROFILE: "lab" } }, want: "" },
        { name: "eks: a credentials file", cfg: eksCfg, sys: { files: ["/home/u/.aws/credentials"] }, want: "" },
        { name: "kubeconfig: API server answers", cfg: kubeCfg, sys: {}, want: "" },
        { name: "kubeconfig: API server does not answer", cfg: kubeCfg, sys: { kube: false }, want: /the cluster of kube context "gke-lab" \(https:\/\/10\.0\.0\.1\) does not answer: connect ECONNREFUSED/ },
        { name: "kubeconfig: up on a cluster that does not answer says --refresh for a new one", cfg: kubeCfg, sys: { kube: false }, want: /if it is a new cluster under the same context, run npm run up -- --stack lab --refresh/ },
        { name: "kubeconfig: down on a cluster that does not answer says how to forget it", cfg: kubeCfg, command: "down", sys: { kube: false }, want: /does not answer[\s\S]*gone for good, forget what the state holds for it with: PULUMI_K8S_DELETE_UNREACHABLE=true npm run down -- --stack lab/ },
        { name: "kubeconfig: down told the cluster is gone (PULUMI_K8S_DELETE_UNREACHABLE=true)", cfg: kubeCfg, command: "down", sys: { kube: false, env: { PULUMI_K8S_DELETE_UNREACHABLE: "true" } }, want: "" },
    ];
    for (const r of rows) {
        it(`${r.name}: ${r.want === "" ? "passes" : "stops"}`, async () => {
            const msg = await problems(r.cfg(), r.command ?? "up", machine(r.sys));
            if (r.want === "") expect(msg).to.equal("");
            else {
                expect(msg).to.match(r.want);
                expect(msg).to.match(/nothing was created/);
            }
        });
    }

    it("lists every missing prerequisite at once", async () => {
        const msg = await problems(k3dCfg(), "up", machine({ tools: [] }));
        expect(msg).to.include("2 prerequisites are missing");
    });

    it("a stack that builds servicex needs docker on any cluster kind", async () => {
        const cfg = parseConfig({ cluster: { kind: "kubeconfig", context: "gke-lab", registry: { server: "ghcr.io", repository: "me/servicex" } } }, "lab");
        expect(await problems(cfg, "up", machine({ tools: [] }))).to.match(/'docker' is not installed.*the servicex image is built locally/);
    });

    it("k3d versions: the supported range", () => {
        expect(k3dVersionProblem("k3d version v5.9.0")).to.equal(undefined);
        expect(k3dVersionProblem("k3d version v5.5.0")).to.equal(undefined);
        expect(k3dVersionProblem("something else")).to.match(/printed no version/);
    });

    describe("the real machine probes (loopback only)", () => {
        it("a port something listens on is busy; a closed one is free", async () => {
            const server = net.createServer();
            await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
            const port = (server.address() as net.AddressInfo).port;
            const sys = realSystem({ PATH: "" });
            expect(await sys.portBusy("127.0.0.1", port)).to.equal("in use");
            await new Promise<void>((r) => server.close(() => r()));
            expect(await sys.portBusy("127.0.0.1", port)).to.equal(undefined);
        });

        it("an API server on a closed loopback port does not answer; a missing context is named", async () => {
            const server = net.createServer();
            await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
            const port = (server.address() as net.AddressInfo).port;
            await new Promise<void>((r) => server.close(() => r()));
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubecfg-"));
            const file = path.join(dir, "config");
            fs.writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: lab\n  context: {cluster: c, user: u}\ncurrent-context: lab\n`);
            const prev = process.env.KUBECONFIG;
            process.env.KUBECONFIG = file;
            try {
                const sys = realSystem({});
                const a = await sys.kubeApi("lab", undefined);
                expect(a.ok).to.equal(false);
                if (!a.ok) expect(a.server).to.equal(`https://127.0.0.1:${port}`);
                const b = await sys.kubeApi("nope", undefined);
                expect(b.ok).to.equal(false);
                if (!b.ok) expect(b.error).to.include('no context "nope" in the kubeconfig (contexts: lab)');
            } finally {
                if (prev === undefined) delete process.env.KUBECONFIG;
                else process.env.KUBECONFIG = prev;
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("which finds only executables on the given PATH", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "which-"));
            fs.writeFileSync(path.join(dir, "k3d"), "#!/bin/sh\n", { mode: 0o755 });
            fs.writeFileSync(path.join(dir, "docker"), "not executable", { mode: 0o644 });
            const sys = realSystem({ PATH: dir });
            expect(sys.which("k3d")).to.equal(path.join(dir, "k3d"));
            expect(sys.which("docker")).to.equal(undefined);
            fs.rmSync(dir, { recursive: true, force: true });
        });
    });
});
