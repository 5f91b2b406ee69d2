/**
 * What the program asks of the machine: the Docker daemon the Docker CLI uses (a fake `docker` on
 * PATH answers `docker context inspect` as Colima, Rancher Desktop or a TLS context would), and which
 * provider plugins the dev stack needs against those the Node language host reports.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Lab } from "../program";
import { runUnderMocks } from "../render/mocks";
import { dockerEndpoint, dockerEndpointHere } from "../stacks/dockerEndpoint";
import { config } from "./helpers/config";
import { ROOT } from "./helpers/render";

describe("the Docker daemon the servicex build uses: the Docker CLI's", () => {
    let dir: string;
    let calls: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "docker-context-"));
        calls = path.join(dir, "calls");
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    /** A `docker` that answers `context inspect` with this JSON (and logs how it was asked, DOCKER_CONTEXT included). */
    const fakeDocker = (inspect: unknown, code = 0) =>
        fs.writeFileSync(
            path.join(dir, "docker"),
            `#!/bin/sh\necho "docker $* DOCKER_CONTEXT=$DOCKER_CONTEXT" >> ${JSON.stringify(calls)}\n[ "$1 $2" = "context inspect" ] && printf '%s\\n' '${JSON.stringify(inspect)}'\nexit ${code}\n`,
            { mode: 0o755 },
        );
    const colima = [{ Name: "colima", Metadata: {}, Endpoints: { docker: { Host: "unix:///Users/me/.colima/default/docker.sock", SkipTLSVerify: false } }, TLSMaterial: {}, Storage: { MetadataPath: "/m", TLSPath: "/Users/me/.docker/contexts/tls/abc" } }];

    it("the current context's endpoint (Colima's socket), asked with `docker context inspect`", () => {
        fakeDocker(colima);
        expect(dockerEndpointHere({ PATH: dir })).to.deep.equal({ host: "unix:///Users/me/.colima/default/docker.sock", source: "context colima" });
        expect(fs.readFileSync(calls, "utf8")).to.equal("docker context inspect DOCKER_CONTEXT=\n");
    });

    it("DOCKER_CONTEXT reaches the CLI, which resolves it (Rancher Desktop's context)", () => {
        fakeDocker([{ Name: "rancher-desktop", Endpoints: { docker: { Host: "unix:///Users/me/.rd/docker.sock" } } }]);
        expect(dockerEndpointHere({ PATH: dir, DOCKER_CONTEXT: "rancher-desktop" })?.host).to.equal("unix:///Users/me/.rd/docker.sock");
        expect(fs.readFileSync(calls, "utf8")).to.include("DOCKER_CONTEXT=rancher-desktop");
    });

    it("DOCKER_HOST wins, as in the Docker CLI: the context is not even asked", () => {
        fakeDocker(colima);
        expect(dockerEndpointHere({ PATH: dir, DOCKER_HOST: "tcp://10.0.0.5:2376" })).to.deep.equal({ host: "tcp://10.0.0.5:2376", source: "DOCKER_HOST" });
        expect(fs.existsSync(calls)).to.equal(false);
    });

    it("a context with TLS material: its certificate directory", () => {
        fakeDocker([{ Name: "remote", Endpoints: { docker: { Host: "tcp://build.example:2376" } }, TLSMaterial: { docker: ["ca.pem", "cert.pem", "key.pem"] }, Storage: { TLSPath: "/home/me/.docker/contexts/tls/f00" } }]);
        expect(dockerEndpointHere({ PATH: dir })).to.deep.equal({ host: "tcp://build.example:2376", certPath: "/home/me/.docker/contexts/tls/f00/docker", source: "context remote" });
    });

    it("no docker, a failing docker or an answer without an endpoint: nothing (the provider's own default, and the prerequisites step says what to install)", () => {
        expect(dockerEndpointHere({ PATH: dir })).to.equal(undefined);
        fakeDocker(colima, 1);
        expect(dockerEndpointHere({ PATH: dir })).to.equal(undefined);
        expect(dockerEndpoint({}, () => ({ status: 0, stdout: "[{}]" }))).to.equal(undefined);
        expect(dockerEndpoint({}, () => ({ status: 0, stdout: "not json" }))).to.equal(undefined);
    });

    it("under mocks the program is given the endpoint: an explicit docker provider with that host builds servicex", async () => {
        const mocks = await runUnderMocks(() => new Lab("istio-mesh", config()), { machine: { dockerEndpoint: () => ({ host: "unix:///Users/me/.colima/default/docker.sock", source: "context colima" }), dockerHubLogin: () => undefined } });
        const providers = mocks.resources.filter((r) => r.type === "pulumi:providers:docker");
        expect(providers.map((p) => [p.name, p.inputs.host])).to.deep.equal([["docker", "unix:///Users/me/.colima/default/docker.sock"]]);
        const image = mocks.resources.find((r) => r.type === "docker:index/image:Image")!;
        expect(image.provider).to.match(/pulumi:providers:docker::docker::/);
    });

    it("render asks nothing of the machine: the provider is there without a host", async () => {
        const mocks = await runUnderMocks(() => new Lab("istio-mesh", config()));
        expect(mocks.resources.filter((r) => r.type === "pulumi:providers:docker").map((p) => p.inputs.host)).to.deep.equal([undefined]);
    });
});

describe("provider plugins: what the dev stack uses against what the language host reports", () => {
    /** As pulumi-language-nodejs GetRequiredPackages does (v3.248.0 main.go getPackagesFromDir): every package.json under node_modules with pulumi.resource. */
    function reported(dir: string, inNodeModules = false, seen = new Set<string>()): string[] {
        const real = fs.realpathSync(dir);
        if (seen.has(real)) return [];
        seen.add(real);
        const out: string[] = [];
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            const isDir = e.isDirectory() || (e.isSymbolicLink() && fs.statSync(p).isDirectory());
            if (isDir && e.name !== ".git") out.push(...reported(p, inNodeModules || path.basename(dir) === "node_modules", seen));
            else if (inNodeModules && e.name === "package.json") {
                const j = JSON.parse(fs.readFileSync(p, "utf8")) as { name: string; pulumi?: { resource?: boolean; name?: string } };
                if (j.pulumi?.resource) out.push(j.pulumi.name ?? j.name.replace(/^@pulumi\//, ""));
            }
        }
        return out;
    }

    it("the host reports all six; the dev stack's resources need kubernetes, command and docker only (hence --skip-plugin-pre-install)", async () => {
        const all = [...new Set(reported(path.join(ROOT, "node_modules"), true))].sort();
        expect(all).to.deep.equal(["aws", "command", "docker", "eks", "kubernetes", "random"]);
        const mocks = await runUnderMocks(() => new Lab("istio-mesh", config()));
        const used = new Set(mocks.resources.filter((r) => r.custom || r.type.startsWith("kubernetes:")).map((r) => (r.type.startsWith("pulumi:providers:") ? r.type.split(":")[2] : r.type.split(":")[0])));
        expect([...used].sort()).to.deep.equal(["command", "docker", "kubernetes"]);
        expect(all.filter((p) => !used.has(p))).to.deep.equal(["aws", "eks", "random"]);
    });
});
