import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { Lab } from "../program";
import { MOCK_KUBECONFIG, Registered, runUnderMocks } from "../render/mocks";
import { config } from "./helpers/config";
import { DependsOnRecorder } from "./helpers/ordering";

const CR = (kind: string) => `kubernetes:networking.istio.io/v1:${kind}`;
const CHART = "kubernetes:helm.sh/v4:Chart";

describe("program under mocks (dev)", () => {
    let resources: Registered[];
    const recorder = new DependsOnRecorder();
    let outputs: Record<string, unknown>;

    before(async () => {
        const mocks = await runUnderMocks(() => {
            const lab = new Lab("istio-mesh", config(), { transformations: [recorder.transformation] });
            return pulumi.output(lab.outputs).apply((o) => (outputs = o as Record<string, unknown>));
        });
        resources = mocks.resources;
    });

    const one = (type: string, name: string) => {
        const r = resources.filter((x) => x.type === type && x.name === name);
        expect(r, `${type} ${name}`).to.have.length(1);
        return r[0];
    };

    it("registers the expected mesh resources, once each", () => {
        const names = resources.filter((r) => r.custom || r.type === CHART).map((r) => `${r.type} ${r.name}`);
        expect(new Set(names).size, "no resource twice").to.equal(names.length);
        // The observability addons have their own tests.
        expect(names).to.include.members([
            "command:local:Command istio-mesh-cluster",
            "command:local:Command istio-mesh-kubeconfig",
            "pulumi:providers:kubernetes istio-mesh",
            "kubernetes:core/v1:Namespace istio-system",
            `${CHART} istio-base`,
            `${CHART} istiod`,
            `${CHART} istio-ingressgateway`,
            "kubernetes:core/v1:NamespacePatch default",
            "kubernetes:core/v1:ServiceAccount nginx",
            "kubernetes:core/v1:ServiceAccount nginx-b",
            "kubernetes:core/v1:ConfigMap nginx-html",
            "kubernetes:core/v1:ConfigMap nginx-b-html",
            "kubernetes:apps/v1:Deployment nginx",
            "kubernetes:apps/v1:Deployment nginx-b",
            "kubernetes:core/v1:Service nginx-service",
            `${CR("DestinationRule")} nginx-dr`,
            `${CR("VirtualService")} nginx-vs`,
            `${CR("VirtualService")} nginx-ingress`,
            `${CR("Gateway")} ingress-gateway-k3d`,
            "kubernetes:security.istio.io/v1:PeerAuthentication default",
        ]);
    });

    it("components follow istio-mesh:<area>:<Name>", () => {
        const components = resources.filter((r) => !r.custom && r.type.startsWith("istio-mesh:")).map((r) => r.type);
        expect(components).to.include.members([
            "istio-mesh:index:Lab",
            "istio-mesh:cluster:K3dCluster",
            "istio-mesh:istio:Istio",
            "istio-mesh:workloads:WorkloadNamespace",
            "istio-mesh:workloads:Workloads",
            "istio-mesh:policies:TrafficPolicies",
        ]);
    });

    it("every Kubernetes resource uses the k3d cluster's provider, passed explicitly", () => {
        const k8s = resources.filter((r) => r.type.startsWith("kubernetes:"));
        expect(k8s.length).to.be.greaterThan(10);
        for (const r of k8s) {
            if (r.custom) expect(r.provider, `${r.type} ${r.name}`).to.match(/pulumi:providers:kubernetes::istio-mesh::/);
            expect(recorder.providers.get(`${r.type}::${r.name}`), `${r.type} ${r.name}`).to.equal("pulumi:providers:kubernetes::istio-mesh");
        }
    });

    it("the provider is built on the kubeconfig from `k3d kubeconfig get`", () => {
        expect(one("command:local:Command", "istio-mesh-kubeconfig").inputs.create).to.equal("k3d kubeconfig get istio-mesh\n");
        expect(one("pulumi:providers:kubernetes", "istio-mesh").inputs.kubeconfig).to.not.equal(undefined);
    });

    it("the cluster command creates from the k3d config on stdin and deletes on destroy", () => {
        const c = one("command:local:Command", "istio-mesh-cluster").inputs;
        expect(c.create).to.include("k3d cluster create --config -");
        expect(c.stdin).to.include("kind: Simple");
        expect(c.delete).to.equal("k3d cluster delete istio-mesh\n");
        expect(c.triggers).to.have.length(1);
    });

    it("charts: base, istiod, gateway at 1.30.5 from blob.istio.io in istio-system", () => {
        for (const [name, chart] of [["istio-base", "base"], ["istiod", "istiod"], ["istio-ingressgateway", "gateway"]]) {
            const i = one(CHART, name).inputs;
            expect([i.chart, i.version, i.namespace, i.repositoryOpts.repo]).to.deep.equal([chart, "1.30.5", "istio-system", "https://blob.istio.io/istio-release/charts"]);
        }
        expect(one(CHART, "istio-ingressgateway").inputs.values.service.ports[1]).to.deep.include({ name: "http2", nodePort: 30000 });
    });

    it("the existing default namespace is patched with the injection label, never owned", () => {
        const ns = one("kubernetes:core/v1:NamespacePatch", "default").inputs;
        expect(ns.metadata.labels).to.deep.equal({ "istio-injection": "enabled" });
        expect(resources.some((r) => r.type === "kubernetes:core/v1:Namespace" && r.name === "default")).to.equal(false);
    });

    describe("ordering (explicit dependsOn)", () => {
        it("base waits for istio-system, istiod for base, the gateway for istiod", () => {
            expect(recorder.dependsOn(CHART, "istio-base")).to.deep.equal(["kubernetes:core/v1:Namespace::istio-system"]);
            expect(recorder.dependsOn(CHART, "istiod")).to.deep.equal([`${CHART}::istio-base`]);
            expect(recorder.dependsOn(CHART, "istio-ingressgateway")).to.deep.equal([`${CHART}::istiod`]);
        });

        it("workloads wait for istiod (injector) and the namespace label", () => {
            for (const [type, name] of [["kubernetes:apps/v1:Deployment", "nginx"], ["kubernetes:apps/v1:Deployment", "nginx-b"], ["kubernetes:core/v1:Service", "nginx-service"]]) {
                expect(recorder.dependsOn(type, name)).to.include.members([`${CHART}::istiod`, "kubernetes:core/v1:NamespacePatch::default"]);
            }
        });

        it("Istio custom resources wait for istiod (validation webhook)", () => {
            for (const [kind, name] of [["DestinationRule", "nginx-dr"], ["VirtualService", "nginx-vs"], ["VirtualService", "nginx-ingress"], ["Gateway", "ingress-gateway-k3d"]]) {
                expect(recorder.dependsOn(CR(kind), name)).to.include(`${CHART}::istiod`);
            }
        });

        it("each VirtualService waits for the DestinationRule declaring its subsets", () => {
            expect(recorder.dependsOn(CR("VirtualService"), "nginx-vs")).to.include(`${CR("DestinationRule")}::nginx-dr`);
            expect(recorder.dependsOn(CR("VirtualService"), "nginx-ingress")).to.include.members([`${CR("DestinationRule")}::nginx-dr`, `${CR("Gateway")}::ingress-gateway-k3d`]);
        });

        it("the kubeconfig is read after the cluster exists", () => {
            expect(recorder.dependsOn("command:local:Command", "istio-mesh-kubeconfig")).to.deep.equal(["command:local:Command::istio-mesh-cluster"]);
        });
    });

    it("outputs: ingress URL, cluster name, context, kubeconfig (secret) and commands", async () => {
        expect(outputs.ingressUrl).to.equal("http://localhost:8000");
        expect(outputs.clusterName).to.equal("istio-mesh");
        expect(outputs.kubeContext).to.equal("k3d-istio-mesh");
        expect(outputs.kubeconfig).to.equal(MOCK_KUBECONFIG);
        expect((outputs.commands as Record<string, string>).pods).to.equal("kubectl --context k3d-istio-mesh -n default get pods -L app,version");
    });
});

describe("program under mocks (created namespace)", () => {
    it("a namespace of its own is created with the label, and workloads wait for it", async () => {
        const recorder = new DependsOnRecorder();
        const mocks = await runUnderMocks(() => new Lab("istio-mesh", config({ namespace: { name: "lab" } }), { transformations: [recorder.transformation] }));
        const ns = mocks.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && r.name === "lab");
        expect(ns?.inputs.metadata.labels).to.deep.include({ "istio-injection": "enabled" });
        expect(mocks.resources.some((r) => r.type === "kubernetes:core/v1:NamespacePatch")).to.equal(false);
        expect(recorder.dependsOn("kubernetes:apps/v1:Deployment", "nginx")).to.include("kubernetes:core/v1:Namespace::lab");
        const dep = mocks.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "nginx");
        expect(dep?.inputs.metadata.namespace).to.equal("lab");
    });
});

describe("index.ts: checks run before any resource is registered", () => {
    const { runUnderMocks: run, RecordingMocks: Recorder } = require("../render/mocks") as typeof import("../render/mocks");
    const { AnalysisError } = require("../analysis/finding") as typeof import("../analysis/finding");

    function runIndex(config: Record<string, string>, mocks = new Recorder()) {
        // A fresh copy of the program module per run, as `pulumi up` would load it.
        delete require.cache[require.resolve("../index")];
        return run(() => require("../index"), { config, mocks });
    }

    it("an analyzer error (sticky hash over a weighted split) stops the program with nothing registered", async () => {
        let error: unknown;
        const mocks = new Recorder();
        await runIndex({ "istio-mesh:services": JSON.stringify({ "nginx-service": { trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: "x-user" } } } } }) }, mocks).catch((e) => (error = e));
        expect(error).to.be.instanceOf(AnalysisError);
        expect((error as Error).message).to.match(/MESH001 VirtualService default\/nginx-vs spec\.http\[0\]\.route/).and.match(/nothing was deployed/);
        expect(mocks.resources).to.deep.equal([]);
    });

    it("a valid stack registers its resources and returns the outputs", async () => {
        const mocks = await runIndex({});
        expect(mocks.resources.some((r) => r.type === "kubernetes:networking.istio.io/v1:VirtualService" && r.name === "nginx-vs")).to.equal(true);
        expect(mocks.resources.some((r) => r.type === "kubernetes:security.istio.io/v1:PeerAuthentication")).to.equal(true);
    });
});
