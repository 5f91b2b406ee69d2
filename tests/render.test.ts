import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseConfig } from "../config/parse";
import { projectValues, readStackFile } from "../config/stackConfig";
import { DEFAULT_VERSIONS } from "../config/versions";
import { buildPlan } from "../mesh/plan";
import { render, ROOT } from "./helpers/render";

describe("npm run render", function () {
    this.timeout(60000);
    let docs: any[];

    before(() => {
        const r = render(["dev"]);
        expect(r.status, r.stderr).to.equal(0);
        docs = yaml.loadAll(r.stdout) as any[];
    });

    it("prints one YAML document per registered resource", () => {
        expect(docs.length).to.be.greaterThan(15);
        for (const d of docs) expect(d).to.satisfy((x: any) => (x.apiVersion && x.kind && x.metadata) || (x.type && x.name && x.inputs));
    });

    it("round-trips every Kubernetes object of the plan exactly", () => {
        const plan = buildPlan(parseConfig(projectValues(readStackFile(path.join(ROOT, "Pulumi.dev.yaml")).values), "dev"));
        const objects = [plan.istio.namespace, ...plan.workloads, ...plan.trafficPolicies.destinationRules, ...plan.trafficPolicies.virtualServices, ...plan.trafficPolicies.gateways];
        for (const o of objects) {
            const d = docs.find((x) => x.kind === o.kind && x.metadata?.name === o.metadata.name);
            expect(d, `${o.kind} ${o.metadata.name}`).to.deep.equal(o);
        }
    });

    it("shows the k3d cluster (Traefik off, 8000 → 30000) and the three charts at 1.30.5 from blob.istio.io", () => {
        const cluster = docs.find((d) => d.name === "istio-mesh-cluster");
        const k3d = yaml.load(cluster.inputs.stdin) as any;
        expect(k3d.ports[0].port).to.equal("127.0.0.1:8000:30000");
        expect(k3d.options.k3s.extraArgs[0].arg).to.equal("--disable=traefik");
        const charts = docs.filter((d) => d.type === "kubernetes:helm.sh/v4:Chart" && d.inputs.repositoryOpts.repo === "https://blob.istio.io/istio-release/charts");
        expect(charts.map((c) => `${c.inputs.chart}@${c.inputs.version}`)).to.deep.equal(["base@1.30.5", "istiod@1.30.5", "gateway@1.30.5"]);
    });

    it("shows the circuit-breaker lab: the servicex build and import, both Deployments, the Service, the breaker, fortio", () => {
        const build = docs.find((d) => d.type === "docker:index/image:Image" && d.name === "servicex");
        expect(build.inputs.imageName).to.match(/^istio-mesh\.local\/servicex:src-[0-9a-f]{12}$/);
        expect(docs.find((d) => d.name === "servicex-import").inputs.create).to.include(`k3d image import --mode direct ${build.inputs.imageName} -c istio-mesh`);
        const kinds = docs.filter((d) => d.kind).map((d) => `${d.kind} ${d.metadata.name}`);
        expect(kinds).to.include.members(["Deployment servicex", "Deployment servicex-error", "Service servicex-service", "DestinationRule circuit-breaker-servicex", "Deployment fortio-deploy", "Service fortio"]);
    });

    it("marks the patch of the existing default namespace as a patch", () => {
        expect(render(["dev"]).stdout).to.match(/---\n# kubernetes:core\/v1:NamespacePatch: server-side apply of these fields only[^\n]*\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n/);
    });

    it("prints secrets as [secret]", () => {
        const provider = docs.find((d) => d.type === "pulumi:providers:kubernetes");
        expect(provider.inputs.kubeconfig).to.equal("[secret]");
    });

    it("cloud: only secret leaves print as [secret]; chart values and the registry stay reviewable", () => {
        const r = render(["cloud"]);
        expect(r.status, r.stderr).to.equal(0);
        const cloud = yaml.loadAll(r.stdout) as any[];
        const kiali = cloud.find((d) => d.type === "kubernetes:helm.sh/v4:Chart" && d.name === "kiali");
        expect(kiali.inputs.values.login_token.signing_key).to.equal("[secret]");
        expect(kiali.inputs.values.auth.strategy).to.be.a("string");
        const grafana = cloud.find((d) => d.type === "kubernetes:helm.sh/v4:Chart" && d.name === "grafana");
        expect(grafana.inputs.values.adminPassword).to.equal("[secret]");
        expect(grafana.inputs.values).to.have.property("datasources");
        const image = cloud.find((d) => d.type === "docker:index/image:Image");
        expect(image.inputs.registry.password).to.equal("[secret]");
        expect(image.inputs.registry.server).to.match(/\.dkr\.ecr\.eu-west-1\.amazonaws\.com$/);
        expect(r.stdout, "no mock secret leaks").to.not.include("mock-ecr-authorization-password").and.not.include("mock kubeconfig").and.not.match(/mock[A-Za-z0-9]*kiali/i);
    });

    it("--graph prints the declared traffic as Mermaid; --graph <file.md> writes it as Markdown", () => {
        const r = render(["dev", "--graph"]);
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.match(/^flowchart LR\n/).and.include("VirtualService nginx-vs").and.include("90 %");
        const file = path.join(os.tmpdir(), `graph-${process.pid}.md`);
        const w = render(["--graph", file, "dev"]);
        expect(w.status, w.stderr).to.equal(0);
        expect(w.stdout).to.equal("");
        expect(fs.readFileSync(file, "utf8")).to.match(/^### Traffic of stack `dev`\n[\s\S]*```mermaid\nflowchart LR\n/);
        fs.rmSync(file);
    });

    it("--output writes the same plain YAML to a file, stdout stays empty", () => {
        const file = path.join(os.tmpdir(), `render-${process.pid}.yaml`);
        const r = render(["dev", "--output", file]);
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.equal("");
        expect(r.stderr).to.match(/wrote \d+ documents of stack "dev" to /);
        expect(yaml.loadAll(fs.readFileSync(file, "utf8")).length).to.equal(docs.length);
        fs.rmSync(file);
    });

    it("the dev stack file is what users get: the course defaults", () => {
        expect(docs.find((d) => d.kind === "VirtualService" && d.metadata.name === "nginx-vs").spec.http[0].route.map((r: any) => r.weight)).to.deep.equal([90, 10]);
    });

    describe("--file with bad config", () => {
        let dir: string;
        before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-"))));
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("an unknown key and a negative weight: exit 1, both named on stderr, nothing on stdout", () => {
            const f = path.join(dir, "Pulumi.bad.yaml");
            fs.writeFileSync(f, "config:\n  istio-mesh:services:\n    nginx-service:\n      weights: {v1: -5, v2: 10}\n  istio-mesh:clustr:\n    agents: 3\n");
            const r = render(["--file", f]);
            expect(r.status).to.equal(1);
            expect(r.stdout).to.equal("");
            expect(r.stderr).to.include("istio-mesh:services.nginx-service.weights.v1");
            expect(r.stderr).to.include("istio-mesh:clustr");
            expect(r.stderr).to.include('did you mean "cluster"');
        });

        it("a good file renders its own values", () => {
            const f = path.join(dir, "Pulumi.dev.yaml");
            fs.writeFileSync(f, "config:\n  istio-mesh:services:\n    nginx-service:\n      weights: {v1: 20, v2: 80}\n");
            const r = render(["--file", f]);
            expect(r.status, r.stderr).to.equal(0);
            const vs = (yaml.loadAll(r.stdout) as any[]).find((d) => d.kind === "VirtualService" && d.metadata.name === "nginx-vs");
            expect(vs.spec.http[0].route.map((x: any) => x.weight)).to.deep.equal([20, 80]);
        });

        it("an unknown stack: a usage error (exit 2) naming the file and the stacks that exist", () => {
            const r = render(["no-such-stack"]);
            expect(r.status).to.equal(2);
            expect(r.stdout).to.equal("");
            expect(r.stderr).to.include("Pulumi.no-such-stack.yaml").and.include("Stacks here: cloud, dev");
        });
    });
});

/** Hosts Istio and Grafana retired or left in 2026: nothing a stack deploys may name them. */
const RETIRED = ["istio-release.storage.googleapis.com", "registry.istio.io", "gcr.io/istio-release", "grafana.github.io/helm-charts"];

describe("npm run render: only live artifact locations", function () {
    this.timeout(120000);
    for (const stack of ["dev", "cloud"]) {
        describe(stack, () => {
            let text: string;
            let docs: any[];
            before(() => {
                const r = render([stack]);
                expect(r.status, r.stderr).to.equal(0);
                text = r.stdout;
                docs = yaml.loadAll(text) as any[];
            });
            const chart = (name: string) => docs.find((d) => d.type === "kubernetes:helm.sh/v4:Chart" && d.name === name);

            it("names no retired location anywhere", () => {
                for (const r of RETIRED) expect(text, r).to.not.include(r);
            });
            it("istiod's chart values set both hub (pilot) and global.hub (sidecars, gateway) to the pinned hub", () => {
                const v = chart("istiod").inputs.values;
                expect(DEFAULT_VERSIONS.istioHub).to.equal("docker.io/istio");
                expect([v.hub, v.global?.hub]).to.deep.equal(["docker.io/istio", "docker.io/istio"]);
            });
            it("the gateway chart's values have no hub (its schema refuses one; its image comes from istiod)", () => {
                const v = chart("istio-ingressgateway").inputs.values;
                expect(v).to.not.have.property("hub");
                expect(v.global?.hub).to.equal(undefined);
            });
            it("every chart comes from a repository the pins name", () => {
                const repos = docs.filter((d) => d.type === "kubernetes:helm.sh/v4:Chart").map((d) => d.inputs.repositoryOpts?.repo);
                expect(repos).to.include("https://blob.istio.io/istio-release/charts").and.include("https://grafana-community.github.io/helm-charts");
            });
        });
    }
});
