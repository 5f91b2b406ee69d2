import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { k3dConfig, k3dConfigYaml, k3dCreateScript, k3dDeleteScript, k3dUpdateScript, PREFLIGHT } from "../mesh/k3d/K3dConfig";
import { config, k3dOf } from "./helpers/config";

describe("k3d cluster config", () => {
    const c = config();
    const k = k3dConfig(k3dOf(c), c.versions) as any;

    it("k3d.io/v1alpha5 Simple, 1 server + 2 agents, named from config", () => {
        expect([k.apiVersion, k.kind, k.metadata.name, k.servers, k.agents]).to.deep.equal(["k3d.io/v1alpha5", "Simple", "istio-mesh", 1, 2]);
    });

    it("pins a k3s image with Kubernetes >= 1.32 (Istio 1.30's minimum)", () => {
        const m = /^rancher\/k3s:v1\.(\d+)\.\d+-k3s\d+$/.exec(k.image);
        expect(m, k.image).to.not.equal(null);
        expect(Number(m![1])).to.be.at.least(32);
    });

    it("Traefik disabled on the servers", () => {
        expect(k.options.k3s.extraArgs).to.deep.include({ arg: "--disable=traefik", nodeFilters: ["server:*"] });
    });

    it("host 127.0.0.1:8000 → nodePort 30000 through the load balancer", () => {
        expect(k.ports).to.deep.equal([{ port: "127.0.0.1:8000:30000", nodeFilters: ["loadbalancer"] }]);
    });

    it("binds elsewhere only when config says so", () => {
        const c2 = config({ cluster: { ingress: { bindAddress: "0.0.0.0", hostPort: 9080 } } });
        expect((k3dConfig(k3dOf(c2), c2.versions) as any).ports[0].port).to.equal("0.0.0.0:9080:30000");
    });

    it("the API listens on loopback at a fixed port", () => {
        expect(k.kubeAPI).to.deep.equal({ hostIP: "127.0.0.1", hostPort: "6550" });
    });

    it("agents and image follow config", () => {
        const c2 = config({ cluster: { agents: 0 }, versions: { k3sImage: "rancher/k3s:v1.34.2-k3s1" } });
        const k2 = k3dConfig(k3dOf(c2), c2.versions) as any;
        expect([k2.agents, k2.image]).to.deep.equal([0, "rancher/k3s:v1.34.2-k3s1"]);
    });

    it("the YAML k3d reads round-trips", () => {
        expect(yaml.load(k3dConfigYaml(k3dOf(c), c.versions))).to.deep.equal(k);
    });

    it("create reads the config from stdin after the preflight; delete names the cluster", () => {
        expect(k3dCreateScript()).to.match(/command -v docker[\s\S]*command -v k3d[\s\S]*docker info[\s\S]*k3d cluster create --config -\n$/);
        expect(k3dDeleteScript(k3dOf(c))).to.equal("k3d cluster delete istio-mesh\n");
    });

    describe("update (a script change without a config change), run for real with a fake k3d", () => {
        let dir: string;
        beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "k3d-update-"))));
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
        const runWith = (k3dBody: string) => {
            fs.writeFileSync(path.join(dir, "k3d"), `#!/bin/sh\necho "$@" >> ${dir}/calls\n${k3dBody}\n`);
            fs.chmodSync(path.join(dir, "k3d"), 0o755);
            return spawnSync("/bin/sh", ["-c", k3dUpdateScript(k3dOf(config()))], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: "utf8" });
        };

        it("only checks that the cluster exists: never creates it again", () => {
            const r = runWith("exit 0");
            expect(r.status).to.equal(0);
            expect(fs.readFileSync(path.join(dir, "calls"), "utf8")).to.equal("cluster get istio-mesh\n");
        });

        it("a cluster deleted outside Pulumi: exit 1 saying how to recover (npm run up recreates it; never down first)", () => {
            const r = runWith("exit 1");
            expect(r.status).to.equal(1);
            expect(r.stderr).to.match(/'istio-mesh' no longer exists .* Run 'npm run up': it recreates the cluster/);
            expect(r.stderr).to.not.include("npm run down");
        });
    });

    describe("preflight (run for real with a controlled PATH)", () => {
        let dir: string;
        const fake = (name: string, body: string) => {
            const f = path.join(dir, name);
            fs.writeFileSync(f, `#!/bin/sh\n${body}\n`);
            fs.chmodSync(f, 0o755);
        };
        const run = () => spawnSync("/bin/sh", ["-c", `${PREFLIGHT}\necho preflight-ok`], { env: { PATH: dir }, encoding: "utf8" });
        beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "preflight-"))));
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("without docker: exit 1, says to install Docker and where", () => {
            const r = run();
            expect(r.status).to.equal(1);
            expect(r.stderr).to.match(/'docker' is not installed.*https:\/\/docs\.docker\.com\/get-docker/);
            expect(r.stdout).to.not.include("preflight-ok");
        });

        it("without k3d: exit 1, says to install k3d and where", () => {
            fake("docker", "exit 0");
            const r = run();
            expect(r.status).to.equal(1);
            expect(r.stderr).to.match(/'k3d' is not installed.*https:\/\/k3d\.io/);
        });

        it("docker daemon not answering: exit 1, says to start Docker", () => {
            fake("docker", "exit 1");
            fake("k3d", "exit 0");
            const r = run();
            expect(r.status).to.equal(1);
            expect(r.stderr).to.match(/Docker daemon does not answer/);
        });

        it("all present: passes", () => {
            fake("docker", "exit 0");
            fake("k3d", "exit 0");
            const r = run();
            expect(r.status).to.equal(0);
            expect(r.stdout).to.include("preflight-ok");
        });
    });
});
