import { expect } from "chai";
import { ConfigError } from "../config/reader";
import { parseConfig } from "../config/parse";
import { flattenStackFile, projectValues } from "../config/stackConfig";
import { istioHubProblem } from "../config/sections/versions";
import { DEFAULT_VERSIONS } from "../config/versions";
import { config, expectProblem, k3dOf } from "./helpers/config";

describe("stack config", () => {
    describe("defaults reproduce the course", () => {
        const c = config();

        it("k3d with 1 server, 2 agents, host 8000 → nodePort 30000 on loopback", () => {
            expect(c.cluster).to.deep.include({ kind: "k3d", servers: 1, agents: 2 });
            expect(c.cluster.ingress).to.deep.equal({ hostPort: 8000, nodePort: 30000, bindAddress: "127.0.0.1" });
        });

        it("Istio 1.30.5 in istio-system, gateway release istio-ingressgateway on NodePort 30000", () => {
            expect(c.versions.istio).to.equal("1.30.5");
            expect(c.istio).to.deep.equal({ namespace: "istio-system", gatewayRelease: "istio-ingressgateway", gatewayService: { type: "NodePort", httpNodePort: 30000 } });
        });

        it("the default namespace, labelled but not owned", () => {
            expect(c.namespace).to.deep.equal({ name: "default", existing: true });
        });

        it("nginx (version A) and nginx-b (version B), both app: nginx, one replica each; servicex 200/504 and fortio", () => {
            expect(c.workloads.map((w) => [w.name, w.labels, w.replicas])).to.deep.equal([
                ["nginx", { app: "nginx", version: "A" }, 1],
                ["nginx-b", { app: "nginx", version: "B" }, 1],
                ["servicex", { app: "servicex", version: "200" }, 1],
                ["servicex-error", { app: "servicex", version: "504" }, 1],
                ["fortio-deploy", { app: "fortio" }, 1],
            ]);
            expect(c.workloads.map((w) => w.indexHtml)).to.deep.equal(["Full Cycle A", "Full Cycle B", undefined, undefined, undefined]);
        });

        it("nginx-service 8000 → 80 with subsets v1/v2 and the 90/10 canary", () => {
            const s = c.services[0];
            expect([s.name, s.port, s.targetPort, s.selector]).to.deep.equal(["nginx-service", 8000, 80, { app: "nginx" }]);
            expect(s.destinationRule).to.deep.equal({ name: "nginx-dr", host: "nginx-service", subsets: [{ name: "v1", labels: { version: "A" } }, { name: "v2", labels: { version: "B" } }] });
            expect(s.virtualService).to.deep.equal({ name: "nginx-vs", route: [{ subset: "v1", weight: 90 }, { subset: "v2", weight: 10 }], http: {} });
            expect(s.type).to.equal("ClusterIP");
        });

        it("Gateway ingress-gateway-k3d on port 80, hosts *", () => {
            expect(c.ingress.gateway).to.deep.equal({ name: "ingress-gateway-k3d", selector: { istio: "ingressgateway" }, servers: [{ port: 80, name: "http", protocol: "HTTP2", hosts: ["*"] }] });
            expect(c.ingress.virtualServices).to.deep.equal([{ name: "nginx-ingress", hosts: ["*"], service: "nginx-service", routes: [], http: {} }]);
        });

        it("STRICT mTLS in the workload namespace; no other security policy", () => {
            expect(c.security).to.deep.equal({ mtls: "STRICT", authorization: [], rateLimits: [], egress: { gateway: false, serviceEntries: [] } });
        });
    });

    describe("overrides", () => {
        it("a user's service entry replaces only the fields it sets", () => {
            const c = config({ services: { "nginx-service": { weights: { v1: 75, v2: 25 } } } });
            expect(c.services[0].virtualService!.route).to.deep.equal([{ subset: "v1", weight: 75 }, { subset: "v2", weight: 25 }]);
            expect(c.services[0].destinationRule!.name).to.equal("nginx-dr");
        });

        it("replicas per workload (course: 8/2)", () => {
            const c = config({ workloads: { nginx: { replicas: 8 }, "nginx-b": { replicas: 2 } } });
            expect(c.workloads.map((w) => w.replicas)).to.deep.equal([8, 2, 1, 1, 1]);
            expect(c.workloads[0].labels).to.deep.equal({ app: "nginx", version: "A" });
        });

        it("null removes a default entry", () => {
            const c = config({ ingress: { virtualServices: { "nginx-ingress": null } } });
            expect(c.ingress.virtualServices).to.deep.equal([]);
        });

        it("a namespace other than the built-in ones is created", () => {
            expect(config({ namespace: { name: "lab" } }).namespace).to.deep.equal({ name: "lab", existing: false });
        });

        it("every pinned version can be overridden per stack", () => {
            const c = config({ versions: { istio: "1.30.2", k3sImage: "rancher/k3s:v1.34.2-k3s1" } });
            expect(c.versions).to.deep.equal({ ...DEFAULT_VERSIONS, istio: "1.30.2", k3sImage: "rancher/k3s:v1.34.2-k3s1" });
        });

        it("values set without --path arrive as strings and are still read", () => {
            const c = parseConfig(projectValues({ "istio-mesh:cluster": JSON.stringify({ agents: "3" }), "aws:region": "us-east-1" }), "dev");
            expect(k3dOf(c).agents).to.equal(3);
        });
    });

    describe("rejects bad input, naming the path", () => {
        it("unknown top-level key, with a suggestion", () => {
            expectProblem({ workload: {} }, "istio-mesh:workload", /did you mean "workloads"/);
        });
        it("unknown nested key", () => {
            expectProblem({ cluster: { agnets: 3 } }, "istio-mesh:cluster.agnets", /did you mean "agents"/);
        });
        it("unknown key in a workload", () => {
            expectProblem({ workloads: { nginx: { replica: 3 } } }, "istio-mesh:workloads.nginx.replica", /did you mean "replicas"/);
        });
        it("unknown key in a service", () => {
            expectProblem({ services: { "nginx-service": { weight: { v1: 1 } } } }, "istio-mesh:services.nginx-service.weight", /did you mean "weights"/);
        });
        it("negative weight", () => {
            expectProblem({ services: { "nginx-service": { weights: { v1: -10, v2: 110 } } } }, "istio-mesh:services.nginx-service.weights.v1", /-10.*integer >= 0/);
        });
        it("fractional weight", () => {
            expectProblem({ services: { "nginx-service": { weights: { v1: 50.5, v2: 49.5 } } } }, "istio-mesh:services.nginx-service.weights.v1", /integer/);
        });
        it("all-zero weights", () => {
            expectProblem({ services: { "nginx-service": { weights: { v1: 0, v2: 0 } } } }, "istio-mesh:services.nginx-service.weights", /all weights are 0/);
        });
        it("weight for an undeclared subset", () => {
            expectProblem({ services: { "nginx-service": { weights: { v1: 50, v3: 50 } } } }, "istio-mesh:services.nginx-service.weights.v3", /not declared.*v1, v2/);
        });
        it("negative replicas", () => {
            expectProblem({ workloads: { nginx: { replicas: -1 } } }, "istio-mesh:workloads.nginx.replicas", /-1.*from 0 to 100/);
        });
        it("port out of range", () => {
            expectProblem({ services: { "nginx-service": { port: 70000 } } }, "istio-mesh:services.nginx-service.port", /70000.*1 to 65535/);
        });
        it("port 0", () => {
            expectProblem({ cluster: { ingress: { hostPort: 0 } } }, "istio-mesh:cluster.ingress.hostPort", /1 to 65535/);
        });
        it("nodePort outside the NodePort range", () => {
            expectProblem({ cluster: { ingress: { nodePort: 8080 } } }, "istio-mesh:cluster.ingress.nodePort", /30000 to 32767/);
        });
        it("cluster name that is not a DNS-1123 label", () => {
            expectProblem({ cluster: { name: "My_Cluster" } }, "istio-mesh:cluster.name", /DNS-1123/);
        });
        it("workload name that is not a DNS-1123 label", () => {
            expectProblem({ workloads: { Nginx_C: { labels: { app: "nginx" } } } }, "istio-mesh:workloads.Nginx_C", /DNS-1123/);
        });
        it("subset name that is not a DNS-1123 label", () => {
            expectProblem({ services: { "nginx-service": { subsets: { V1: { version: "A" } }, weights: { V1: 1 } } } }, "istio-mesh:services.nginx-service.subsets.V1", /DNS-1123/);
        });
        it("namespace name that is not a DNS-1123 label", () => {
            expectProblem({ namespace: { name: "-lab" } }, "istio-mesh:namespace.name", /DNS-1123/);
        });
        it("unpinned image", () => {
            expectProblem({ workloads: { nginx: { image: "nginx" } } }, "istio-mesh:workloads.nginx.image", /not pinned/);
            expectProblem({ workloads: { nginx: { image: "nginx:latest" } } }, "istio-mesh:workloads.nginx.image", /not pinned/);
        });
        it("an image by digest is pinned", () => {
            expect(config({ workloads: { nginx: { image: "nginx@sha256:" + "a".repeat(64) } } }).workloads[0].image).to.match(/@sha256/);
        });
        it("a k3d setting under another cluster kind names the kind it belongs to (more in cloud.test.ts)", () => {
            expectProblem({ cluster: { kind: "eks", agents: 3 } }, "istio-mesh:cluster.agents", /setting of cluster.kind "k3d"; it does not apply to cluster.kind "eks"/);
        });
        it("cluster kind unknown", () => {
            expectProblem({ cluster: { kind: "kind" } }, "istio-mesh:cluster.kind", /one of k3d, eks, kubeconfig/);
        });
        it("agents out of range", () => {
            expectProblem({ cluster: { agents: 11 } }, "istio-mesh:cluster.agents", /0 to 10/);
        });
        it("bind address that is not an IPv4 address", () => {
            expectProblem({ cluster: { ingress: { bindAddress: "localhost" } } }, "istio-mesh:cluster.ingress.bindAddress", /IPv4/);
        });
        it("Istio version that is not an exact release", () => {
            expectProblem({ versions: { istio: "1.30" } }, "istio-mesh:versions.istio", /exact version/);
        });
        it("ingress route to an undeclared service", () => {
            expectProblem({ ingress: { virtualServices: { web: { service: "web" } } } }, "istio-mesh:ingress.virtualServices.web.service", /not a service declared/);
        });
        it("ingress host that is not a host", () => {
            expectProblem({ ingress: { hosts: ["http://a.fullcycle"] } }, "istio-mesh:ingress.hosts[0]", /not a host/);
        });
        it("a section of the wrong type", () => {
            expectProblem({ cluster: "k3d" }, "istio-mesh:cluster", /not an object/);
        });
        it("a boolean that is not a boolean", () => {
            expectProblem({ namespace: { name: "lab", existing: "yes" } }, "istio-mesh:namespace.existing", /true or false/);
        });
        it("a label value Kubernetes would refuse", () => {
            expectProblem({ workloads: { nginx: { labels: { app: "nginx", version: "A B" } } } }, "istio-mesh:workloads.nginx.labels.version", /label value/);
        });
        it("a subset without labels", () => {
            expectProblem({ services: { "nginx-service": { subsets: { v1: {}, v2: { version: "B" } } } } }, "istio-mesh:services.nginx-service.subsets.v1", /at least one pod label/);
        });

        it("reports every problem at once, in one error", () => {
            let e: unknown;
            try {
                parseConfig({ cluster: { agents: -1, name: "Bad" }, workloads: { nginx: { replicas: -2 } }, typo: 1 }, "dev");
            } catch (err) {
                e = err;
            }
            expect(e).to.be.instanceOf(ConfigError);
            const paths = (e as ConfigError).problems.map((p) => p.path);
            expect(paths).to.include.members(["istio-mesh:cluster.agents", "istio-mesh:cluster.name", "istio-mesh:workloads.nginx.replicas", "istio-mesh:typo"]);
            expect((e as ConfigError).message).to.match(/4 problems\); nothing was deployed/);
        });
    });

    describe("versions.istioHub: where Istio's images come from (failing and passing rows)", () => {
        const rows: [string, string | undefined][] = [
            ["docker.io/istio", undefined],
            ["registry.example.com:5000/istio", undefined],
            ["localhost:5000", undefined],
            ["mirror.corp.example/dockerhub/istio", undefined],
            ["registry.istio.io/release", "is retired"],
            ["REGISTRY.istio.io/release", "is retired"],
            ["gcr.io/istio-release", "is retired"],
            ["gcr.io/istio-release/sub", "is retired"],
            ["registry.istio.io/testing", "is retired"], // the whole registry host is gone (wholeHost in config/retiredLocations.ts)
            ["gcr.io/another-project", undefined], // only gcr.io/istio-release was Istio's
            ["docker.io/istio:1.30.5", "without a tag or digest"],
            [`docker.io/istio@sha256:${"a".repeat(64)}`, "without a tag or digest"],
            ["docker.io/istio/", "without a tag or digest"],
            ["docker.io/Istio", "without a tag or digest"],
            ["docker.io istio", "without a tag or digest"],
        ];
        for (const [hub, problem] of rows) {
            it(`${hub}: ${problem ?? "accepted"}`, () => {
                const got = istioHubProblem(hub);
                if (problem === undefined) expect(got).to.equal(undefined);
                else expect(got).to.include(problem).and.include("docker.io/istio");
            });
        }
        it("a stack's mirror is read; a retired one is refused naming the path and the fix", () => {
            expect(config({ versions: { istioHub: "registry.example.com:5000/istio" } }).versions.istioHub).to.equal("registry.example.com:5000/istio");
            expectProblem({ versions: { istioHub: "registry.istio.io/release" } }, "istio-mesh:versions.istioHub", /is retired.*use e\.g\. docker\.io\/istio/);
            expectProblem({ versions: { istioHub: 42 } }, "istio-mesh:versions.istioHub", /quote it|non-empty string/);
        });
    });

    describe("stack files", () => {
        it("flattens structured values to JSON and keys without a namespace to the project's", () => {
            const flat = flattenStackFile("config:\n  istio-mesh:cluster:\n    agents: 3\n  namespace:\n    name: lab\n  aws:region: us-east-1\n");
            expect(flat.values).to.deep.equal({ "istio-mesh:cluster": '{"agents":3}', "istio-mesh:namespace": '{"name":"lab"}', "aws:region": "us-east-1" });
            expect(k3dOf(parseConfig(projectValues(flat.values), "dev")).agents).to.equal(3);
        });

        it("masks encrypted values and marks their keys secret", () => {
            const flat = flattenStackFile("config:\n  istio-mesh:token:\n    secure: v1:abc\n");
            expect(flat.values["istio-mesh:token"]).to.equal("[secret]");
            expect(flat.secretKeys).to.deep.equal(["istio-mesh:token"]);
        });
    });
});
