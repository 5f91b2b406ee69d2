/**
 * The passing side of the gate's rules: inputs close to the corpus's bad ones that must go through
 * (a check that cannot pass is as wrong as one that cannot fail), and the behaviours the corpus
 * cannot show (expansion, downgrades, warnings).
 */
import { expect } from "chai";
import { checkStack } from "../analysis/gate";
import { apiRuleFindings } from "../analysis/kubernetes";
import { parseQuantity } from "../analysis/kubernetes/quantity";
import { dns1035Label, envVarName, ianaServiceName, qualifiedName } from "../analysis/kubernetes/validation";
import { imageProblem } from "../config/imageReference";
import { re2Problem } from "../config/re2";
import type { K8sObject } from "../mesh/objects";
import { stackText } from "./fixtures/bad/corpus";

const ok = (config: string, stack = "dev") => checkStack(stackText(config), stack, { file: "good.yaml" });

describe("pre-deploy gate: what it accepts", () => {
    const GOOD: [string, string][] = [
        ["the course's defaults", "cluster: {kind: k3d}"],
        ["names that are JavaScript built-ins but DNS labels", "workloads: {constructor: {labels: {app: constructor}}}\nistio-mesh:services: {constructor: {selector: {app: constructor}}}"],
        ["an env var named __proto__ (a valid name)", "workloads: {nginx: {env: {__proto__: x, LOG_LEVEL: debug, my.dotted-name: y}}}"],
        ["a quoted version and number", "versions: {istio: '1.30.3'}\nistio-mesh:workloads: {nginx: {env: {WORKERS: '4'}}}"],
        ["Kubernetes 1.32 and 1.36 (the range's ends)", "cluster: {kind: eks, kubernetesVersion: '1.32'}\nistio-mesh:versions: {eksKubernetes: '1.36'}"],
        ["a k3s image of 1.36", "versions: {k3sImage: 'rancher/k3s:v1.36.1-k3s1'}"],
        ["an Istio image hub of one's own (a mirror with a port)", "versions: {istioHub: 'registry.example.com:5000/istio'}"],
        ["a Gateway protocol in lower case, as the course wrote it", "ingress: {servers: [{port: 80, protocol: http2, hosts: ['*']}]}"],
        ["an RE2 regex route", "ingress: {virtualServices: {nginx-ingress: {routes: [{regex: '^/(a|b)/[0-9]+$'}]}}}"],
        ["requests equal to limits", "workloads: {nginx: {resources: {requests: {cpu: 500m, memory: 128Mi}, limits: {cpu: '0.5', memory: '134217728'}}}}"],
        ["a lone weight of 100", "services: {nginx-service: {weights: {v1: 100}}}"],
        ["weights 100/0", "services: {nginx-service: {weights: {v1: 100, v2: 0}}}"],
        ["a NodePort Service on its own port", "services: {fortio: {type: NodePort, nodePort: 30100}}\nistio-mesh:analysis: {MESH004: warning}"],
        ["a context name with the usual cloud characters", "cluster: {kind: kubeconfig, context: 'arn:aws:eks:eu-west-1:123456789012:cluster/lab', registry: {server: ghcr.io, repository: me/servicex}}"],
        ["different API and ingress host ports", "cluster: {apiPort: 6443, ingress: {hostPort: 8080}}"],
        ["a namespace of one's own", "namespace: {name: lab}"],
        ["an image with registry port and digest", `versions: {nginxImage: 'registry.example.com:5000/web/nginx@sha256:${"a".repeat(64)}'}`],
        ["allowFrom with a caller", "security: {authorization: {nginx-service: {allowFrom: [fortio]}}}"],
        ["L7 authorization: methods and paths (exact and a prefix)", "security: {authorization: {nginx-service: {allowFrom: [fortio], methods: [GET, HEAD], paths: [/, '/api/*']}}}"],
    ];
    for (const [name, config] of GOOD) it(name, async () => void (await ok(config)));

    it("DestinationRule hosts <svc>.<ns> and <svc>.<ns>.svc are written as the FQDN Istio needs", async () => {
        for (const host of ["servicex-service.default", "servicex-service.default.svc"]) {
            const { plan } = await ok(`services: {servicex-service: {destinationRule: {name: circuit-breaker-servicex, host: ${host}}}}`);
            const dr = plan.trafficPolicies.destinationRules.find((d) => d.metadata.name === "circuit-breaker-servicex")!;
            expect((dr.spec as { host: string }).host).to.equal("servicex-service.default.svc.cluster.local");
        }
    });

    it("a built-in-named workload renders whole (Deployment, ServiceAccount, Service)", async () => {
        const { plan } = await ok("workloads: {constructor: {labels: {app: constructor}}}\nistio-mesh:services: {constructor: {selector: {app: constructor}}}");
        const names = plan.workloads.map((o) => `${o.kind}/${o.metadata.name}`);
        expect(names).to.include.members(["Deployment/constructor", "ServiceAccount/constructor", "Service/constructor"]);
    });

    it("Gateway protocol http2 is rendered HTTP2", async () => {
        const { plan } = await ok("ingress: {servers: [{port: 80, protocol: http2, hosts: ['*']}]}");
        expect((plan.trafficPolicies.gateways[0].spec as any).servers[0].port.protocol).to.equal("HTTP2");
    });

    it("istio-mesh:analysis downgrades an analyzer code to a warning, explicitly", async () => {
        const bad = "services: {nginx-service: {subsets: {v1: {version: A}, v2: {version: C}}}}";
        const { findings } = await ok(`${bad}\nistio-mesh:analysis: {IST0173: warning}`);
        expect(findings.filter((f) => f.code === "IST0173").map((f) => f.severity)).to.deep.equal(["warning"]);
        expect(findings.find((f) => f.code === "IST0173")!.configPath).to.equal("istio-mesh:services.nginx-service.subsets.v2");
    });

    it("a credential in plain text is a warning naming pulumi config set --secret; a secure one is not", async () => {
        const plain = await ok("cluster: {kind: eks}\nistio-mesh:addons: {grafana: {adminPassword: not-so-secret}}", "cloud");
        const w = plain.config.warnings.find((p) => p.path === "istio-mesh:addons.grafana.adminPassword");
        expect(w?.message).to.include("pulumi config set --secret --path 'istio-mesh:addons.grafana.adminPassword'");
        const secure = await ok("cluster: {kind: eks}\nistio-mesh:addons: {grafana: {adminPassword: {secure: AAABAQ==}}}", "cloud");
        expect(secure.config.warnings.map((p) => p.path)).to.not.include("istio-mesh:addons.grafana.adminPassword");
    });

    it("analyze can ask for every finding instead of a throw", async () => {
        const { findings } = await checkStack(stackText("services: {nginx-service: {subsets: {v1: {version: A}, v2: {version: C}}}}"), "dev", { throwOnErrors: false });
        expect(findings.some((f) => f.code === "IST0173" && f.severity === "error" && f.downgrade?.includes("istio-mesh:analysis.IST0173"))).to.equal(true);
    });
});

describe("Kubernetes API layer: formats (failing and passing rows)", () => {
    const rows: [string, (v: string) => string | undefined, string[], string[]][] = [
        ["DNS-1035 label (Service names)", dns1035Label, ["nginx", "a1", "svc-1"], ["1svc", "-a", "a-", "A", "a".repeat(64)]],
        ["qualified name (label/annotation keys)", qualifiedName, ["app", "app.kubernetes.io/name", "a_b.c-d"], ["bad key", "/a", "a/", "a/b/c", "-a", `${"a".repeat(64)}`]],
        ["IANA service name (container ports)", ianaServiceName, ["http", "http-2", "grpc-web"], ["jaeger-collector-http", "HTTP", "1234", "a--b", "-http"]],
        ["env var name", envVarName, ["A", "_x", "my.var-1", "__proto__"], ["1A", "A B", "A=B", ""]],
    ];
    for (const [name, check, good, bad] of rows) {
        it(name, () => {
            for (const g of good) expect(check(g), g).to.equal(undefined);
            for (const b of bad) expect(check(b), b).to.be.a("string");
        });
    }
    it("quantities", () => {
        expect([parseQuantity("500m"), parseQuantity("128Mi"), parseQuantity("1e3"), parseQuantity(".5"), parseQuantity(2)]).to.deep.equal([0.5, 128 * 2 ** 20, 1000, 0.5, 2]);
        for (const bad of ["lots", "128MB", "1.2.3", "", "Mi"]) expect(parseQuantity(bad), bad).to.equal(undefined);
    });
    it("image references (Docker's grammar) and pinning", () => {
        for (const good of ["nginx:1.28.0-alpine", "docker.io/fortio/fortio:1.60.3", "localhost:5000/a/b:1", `a@sha256:${"0".repeat(64)}`]) expect(imageProblem(good), good).to.equal(undefined);
        for (const bad of ["Nginx:1", "nginx:", "nginx :1", "nginx", "nginx:latest", "a//b:1", "ghcr.io/Me/x:1"]) expect(imageProblem(bad), bad).to.be.a("string");
    });
    it("RE2, not JavaScript's RegExp", () => {
        expect(re2Problem("^/api/(v1|v2)/.*$")).to.equal(undefined);
        // JavaScript accepts both; RE2 (Envoy) refuses them.
        for (const js of ["(?=a)", "(a)\\1", "(?<!a)b"]) expect(re2Problem(js), js).to.be.a("string");
    });
    it("rules on objects config cannot produce: a Service port name, a targetPort name, a ConfigMap key", () => {
        const svc: K8sObject = { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [{ name: "HTTP", port: 80, targetPort: "a-very-long-port-name" }, { name: "web", port: 81, targetPort: 81 }] } };
        const cm: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { "bad/key": "x", "index.html": "ok" } };
        const codes = apiRuleFindings([svc, cm]).map((f) => `${f.code} ${f.path}`);
        expect(codes).to.deep.equal(["K8S004 spec.ports[0].name", "K8S004 spec.ports[0].targetPort", "K8S008 data.bad/key"]);
    });
});
