/**
 * The ambient data plane rendered: the program under mocks for the dev (k3d) and cloud (EKS) stacks
 * with `istio-mesh:dataplane: ambient` — the charts in the Helm guide's order with their dependsOn, the
 * cni platform, the namespace label, the waypoint only where a policy needs L7 — and the sidecar render
 * left as it was.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { Lab } from "../program";
import { Registered, runUnderMocks } from "../render/mocks";
import { buildPlan } from "../mesh/plan";
import { DEFAULT_VERSIONS } from "../config/versions";
import { renderYaml } from "../render/yaml";
import { config } from "./helpers/config";
import { DependsOnRecorder } from "./helpers/ordering";

const CHART = "kubernetes:helm.sh/v4:Chart";
const GATEWAY_API = "kubernetes:gateway.networking.k8s.io/v1:Gateway";

async function renderLab(raw: Record<string, unknown>, stack = "dev"): Promise<{ resources: Registered[]; recorder: DependsOnRecorder }> {
    const recorder = new DependsOnRecorder();
    const mocks = await runUnderMocks(() => {
        const lab = new Lab("istio-mesh", config(raw, stack), { transformations: [recorder.transformation] });
        return pulumi.output(lab.outputs).apply(() => undefined);
    });
    return { resources: mocks.resources, recorder };
}

const CLOUD = {
    cluster: { kind: "eks", name: "istio-mesh", region: "eu-west-1", kubernetesVersion: "1.33", ingress: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } } },
};

describe("ambient data plane: the dev stack under mocks", function () {
    this.timeout(60000);
    let resources: Registered[];
    let recorder: DependsOnRecorder;
    before(async () => ({ resources, recorder } = await renderLab({ dataplane: "ambient" })));

    const one = (type: string, name: string) => {
        const r = resources.filter((x) => x.type === type && x.name === name);
        expect(r, `${type} ${name}`).to.have.length(1);
        return r[0];
    };

    it("installs base, istiod, istio-cni, ztunnel and the gateway at the pinned Istio, in istio-system", () => {
        // The order they register in is the engine's; the order they install in is the dependsOn below.
        const charts = resources.filter((r) => r.type === CHART && r.inputs.repositoryOpts.repo.includes("istio")).map((r) => `${r.name}=${r.inputs.chart}@${r.inputs.version}`);
        const v = DEFAULT_VERSIONS.istio;
        expect(charts).to.have.members([`istio-base=base@${v}`, `istiod=istiod@${v}`, `istio-cni=cni@${v}`, `ztunnel=ztunnel@${v}`, `istio-ingressgateway=gateway@${v}`]);
        for (const name of ["istio-cni", "ztunnel"]) expect(one(CHART, name).inputs.namespace).to.equal("istio-system");
    });

    it("in the Helm guide's order: base → Gateway API CRDs → istiod → cni → ztunnel → gateway, each by dependsOn", () => {
        const crds = "kubernetes:yaml/v2:ConfigFile::gateway-api-crds";
        expect(recorder.dependsOn("kubernetes:yaml/v2:ConfigFile", "gateway-api-crds")).to.deep.equal([`${CHART}::istio-base`]);
        expect(recorder.dependsOn(CHART, "istiod")).to.deep.equal([`${CHART}::istio-base`, crds]);
        expect(recorder.dependsOn(CHART, "istio-cni")).to.deep.equal([`${CHART}::istiod`]);
        expect(recorder.dependsOn(CHART, "ztunnel")).to.deep.equal([`${CHART}::istiod`, `${CHART}::istio-cni`]);
        expect(recorder.dependsOn(CHART, "istio-ingressgateway")).to.deep.equal([`${CHART}::ztunnel`]);
    });

    it("the node agents pull from the same hub pin as istiod (versions.istioHub), not the charts' retired default", () => {
        const hub = one(CHART, "istiod").inputs.values.hub;
        expect(hub).to.equal(DEFAULT_VERSIONS.istioHub);
        expect(one(CHART, "istio-cni").inputs.values).to.deep.include({ hub });
        expect(one(CHART, "istio-cni").inputs.values.global.hub).to.equal(hub);
        expect(one(CHART, "ztunnel").inputs.values.hub).to.equal(hub);
    });

    it("istiod with the ambient profile; cni with the ambient profile and platform k3d; the demo profile's small requests", () => {
        const istiod = one(CHART, "istiod").inputs.values;
        expect(istiod.profile).to.equal("ambient");
        expect(istiod.global.waypoint.resources.requests).to.deep.equal({ cpu: "10m", memory: "40Mi" });
        const cni = one(CHART, "istio-cni").inputs.values;
        expect(cni.profile).to.equal("ambient");
        expect(cni.global.platform).to.equal("k3d");
        expect(cni.resources.requests).to.deep.equal({ cpu: "10m", memory: "40Mi" });
        expect(one(CHART, "ztunnel").inputs.values.resources.requests).to.deep.equal({ cpu: "10m", memory: "40Mi" });
    });

    it("the default namespace is enrolled with istio.io/dataplane-mode=ambient, without the injection label", () => {
        expect(one("kubernetes:core/v1:NamespacePatch", "default").inputs.metadata.labels).to.deep.equal({ "istio.io/dataplane-mode": "ambient" });
    });

    it("one waypoint, for the two services whose policies need L7, and only those carry istio.io/use-waypoint", () => {
        const gw = one(GATEWAY_API, "waypoint").inputs;
        expect(gw.spec).to.deep.include({ gatewayClassName: "istio-waypoint", listeners: [{ name: "mesh", port: 15008, protocol: "HBONE" }] });
        expect(gw.metadata.labels["istio.io/waypoint-for"]).to.equal("service");
        expect(gw.metadata.annotations["pulumi.com/waitFor"]).to.equal("condition=Programmed");
        const services = resources.filter((r) => r.type === "kubernetes:core/v1:Service");
        const using = services.filter((s) => s.inputs.metadata.labels?.["istio.io/use-waypoint"] === "waypoint").map((s) => s.name);
        expect(using).to.deep.equal(["nginx-service", "servicex-service"]);
        expect(one("kubernetes:core/v1:Service", "nginx-service").inputs.metadata.annotations["istio-mesh/waypoint-because"]).to.equal("HTTPRoute nginx-vs (weights 90/10)");
        expect(one("kubernetes:core/v1:Service", "servicex-service").inputs.metadata.annotations["istio-mesh/waypoint-because"]).to.equal("DestinationRule circuit-breaker-servicex (outlier detection)");
        expect(one("kubernetes:core/v1:Service", "fortio").inputs.metadata.labels).to.not.have.property("istio.io/use-waypoint");
    });

    it("the waypoint waits for istiod and the namespace; the workloads wait for ztunnel, the namespace and the waypoint", () => {
        expect(recorder.dependsOn(GATEWAY_API, "waypoint")).to.include.members([`${CHART}::istiod`, "kubernetes:core/v1:NamespacePatch::default"]);
        for (const [type, name] of [["kubernetes:apps/v1:Deployment", "nginx"], ["kubernetes:core/v1:Service", "nginx-service"]]) {
            expect(recorder.dependsOn(type, name)).to.include.members([`${CHART}::ztunnel`, "kubernetes:core/v1:NamespacePatch::default", "istio-mesh:ambient:Waypoints::waypoints"]);
        }
    });

    it("pods carry the data plane they were made for (switching restarts them), and fortio-outside stays out of ambient", () => {
        expect(one("kubernetes:apps/v1:Deployment", "nginx").inputs.spec.template.metadata.annotations).to.deep.equal({ "istio-mesh/dataplane": "ambient" });
        const outside = one("kubernetes:apps/v1:Deployment", "fortio-outside").inputs.spec.template.metadata.labels;
        expect(outside["istio.io/dataplane-mode"]).to.equal("none");
        expect(outside).to.not.have.property("sidecar.istio.io/inject");
    });
});

describe("ambient data plane: the cloud stack (EKS) under mocks", function () {
    this.timeout(60000);

    it("the same charts and order; no platform value (EKS keeps the default CNI paths)", async () => {
        const { resources, recorder } = await renderLab({ ...CLOUD, dataplane: "ambient" }, "cloud");
        const cni = resources.find((r) => r.type === CHART && r.name === "istio-cni")!;
        expect(cni.inputs.values).to.deep.equal({ profile: "ambient", hub: DEFAULT_VERSIONS.istioHub, global: { hub: DEFAULT_VERSIONS.istioHub }, resources: { requests: { cpu: "10m", memory: "40Mi" } } });
        expect(resources.find((r) => r.type === CHART && r.name === "ztunnel")!.inputs.values).to.not.have.property("global");
        expect(recorder.dependsOn(CHART, "ztunnel")).to.deep.equal([`${CHART}::istiod`, `${CHART}::istio-cni`]);
        expect(recorder.dependsOn(CHART, "istio-ingressgateway")).to.deep.equal([`${CHART}::ztunnel`]);
        expect(resources.some((r) => r.type === GATEWAY_API && r.name === "waypoint")).to.equal(true);
    });
});

describe("ambient data plane: waypoints only where needed", () => {
    it("routes with the Gateway API unless the stack says trafficApi: istio (then the VirtualService is the reason)", () => {
        expect(config({ dataplane: "ambient" }).trafficApi).to.equal("gateway-api");
        const istio = buildPlan(config({ dataplane: "ambient", trafficApi: "istio" }));
        expect(istio.ambient!.uses[0]).to.deep.equal({ kind: "Service", name: "nginx-service", reasons: ["VirtualService nginx-vs (split 90/10)"] });
        expect(istio.istio.gatewayApiCrds, "the waypoint still needs the Gateway API CRDs").to.not.equal(undefined);
    });

    it("a DestinationRule on a per-version backend makes the routed Service need the waypoint, not the backend", () => {
        const plan = buildPlan(config({ dataplane: "ambient", services: { "nginx-service": { trafficPolicy: { loadBalancer: { simple: "ROUND_ROBIN" } } } } }));
        expect(plan.ambient!.uses.map((u) => u.name)).to.deep.equal(["nginx-service", "servicex-service"]);
        expect(plan.ambient!.uses[0].reasons).to.include("DestinationRule nginx-dr-v1 (load balancer ROUND_ROBIN) on its backend nginx-service-v1");
        expect(plan.workloads.find((o) => o.metadata.name === "nginx-service-v1")!.metadata.labels).to.not.have.property("istio.io/use-waypoint");
    });

    it("no service needs L7 (no split, no DestinationRule policy): no waypoint, no use-waypoint label", () => {
        const plan = buildPlan(config({ dataplane: "ambient", services: { "nginx-service": { weights: null, virtualService: null, subsets: null, destinationRule: null }, "servicex-service": { trafficPolicy: null, destinationRule: null } }, ingress: { virtualServices: null } }));
        expect(plan.ambient!.uses).to.deep.equal([]);
        expect(plan.ambient!.waypoints).to.deep.equal([]);
        expect(plan.workloads.filter((o) => o.metadata.labels?.["istio.io/use-waypoint"])).to.deep.equal([]);
    });

    it("waypoints: none deploys none, but the plan still says which services would need one", () => {
        const plan = buildPlan(config({ dataplane: { mode: "ambient", waypoints: "none" } }));
        expect(plan.ambient!.waypoints).to.deep.equal([]);
        expect(plan.ambient!.deployed).to.equal(false);
        expect(plan.ambient!.uses.map((u) => u.name)).to.deep.equal(["nginx-service", "servicex-service"]);
        expect(plan.workloads.filter((o) => o.metadata.labels?.["istio.io/use-waypoint"])).to.deep.equal([]);
    });

    it("an AuthorizationPolicy on a service with a waypoint is attached to the Service (targetRefs), on one without it selects the pods", () => {
        const withWaypoint = buildPlan(config({ dataplane: "ambient", security: { authorization: { "servicex-service": { allowFrom: ["fortio"] } } } }));
        const ap = withWaypoint.trafficPolicies.security.find((o) => o.kind === "AuthorizationPolicy")!;
        expect(ap.spec).to.deep.equal({ targetRefs: [{ kind: "Service", group: "", name: "servicex-service" }], action: "ALLOW", rules: [{ from: [{ source: { principals: ["cluster.local/ns/default/sa/fortio-deploy"] } }] }] });
        const ztunnelOnly = buildPlan(config({ dataplane: "ambient", services: { "servicex-service": { trafficPolicy: null, destinationRule: null } }, security: { authorization: { "servicex-service": { allowFrom: ["fortio"] } } } }));
        const l4 = ztunnelOnly.trafficPolicies.security.find((o) => o.kind === "AuthorizationPolicy")!;
        expect(l4.spec).to.deep.include({ selector: { matchLabels: { app: "servicex" } } });
        expect(l4.spec).to.not.have.property("targetRefs");
    });

    it("a ServiceEntry whose calls time out (a VirtualService on its host) uses the waypoint too", () => {
        const plan = buildPlan(config({ dataplane: "ambient", security: { egress: { serviceEntries: { httpbin: { host: "httpbin.org", timeout: "3s" } } } } }));
        const se = plan.trafficPolicies.serviceEntries[0];
        expect(se.metadata.labels?.["istio.io/use-waypoint"]).to.equal("waypoint");
        expect(plan.ambient!.uses.find((u) => u.kind === "ServiceEntry")).to.deep.include({ name: "httpbin" });
    });
});

describe("sidecar data plane: nothing of ambient", () => {
    it("the default and an explicit `sidecar` plan identically, with the injection label and no ambient part", () => {
        const a = buildPlan(config());
        const b = buildPlan(config({ dataplane: "sidecar" }));
        expect(JSON.stringify(b)).to.equal(JSON.stringify(a));
        expect(a.ambient).to.equal(undefined);
        expect(a.istio).to.not.have.any.keys("cni", "ztunnel");
        expect(a.workloadNamespace.metadata.labels).to.deep.equal({ "istio-injection": "enabled" });
        expect(a.istio.istiod.values).to.not.have.property("profile");
    });
});

describe("ambient data plane: the dashboards", () => {
    it("Grafana also gets Istio's ztunnel dashboard on ambient, and only there", () => {
        const cm = (raw: Record<string, unknown>) => buildPlan(config(raw)).addons.objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "istio-grafana-dashboards")!.data as Record<string, string>;
        expect(cm({ dataplane: "ambient" })["istio-ztunnel.json.url"]).to.equal(`https://raw.githubusercontent.com/istio/istio/${DEFAULT_VERSIONS.istio}/manifests/addons/dashboards/ztunnel-dashboard.gen.json`);
        expect(cm({})).to.not.have.property("istio-ztunnel.json.url");
    });
});

describe("ambient data plane: render says what the waypoint is for", () => {
    it("a comment over the waypoint Gateway names its services; other Gateways get none", () => {
        const plan = buildPlan(config({ dataplane: "ambient" }));
        const wp = plan.ambient!.waypoints[0];
        const text = renderYaml([{ type: GATEWAY_API, name: "waypoint", custom: true, inputs: wp }], new Set());
        expect(text).to.match(/^---\n# the ambient data plane's waypoint \(istiod deploys an Envoy for it\), for Service nginx-service, Service servicex-service: each says why in its istio-mesh\/waypoint-because annotation\napiVersion: gateway\.networking\.k8s\.io\/v1\nkind: Gateway\n/);
        const ingress = plan.trafficPolicies.gateways[0];
        expect(renderYaml([{ type: GATEWAY_API, name: ingress.metadata.name, custom: true, inputs: ingress }], new Set())).to.match(/^---\napiVersion:/);
    });
});

describe("L7 authorization (methods, paths) on both data planes", () => {
    const l7 = { security: { authorization: { "servicex-service": { allowFrom: ["fortio"], methods: ["GET"], paths: ["/", "/api/*"] } } } };
    const noBreaker = { services: { "servicex-service": { trafficPolicy: null, destinationRule: null } } };
    const ap = (raw: Record<string, unknown>) => buildPlan(config(raw)).trafficPolicies.security.find((o) => o.kind === "AuthorizationPolicy")!;
    const rule = { from: [{ source: { principals: ["cluster.local/ns/default/sa/fortio-deploy"] } }], to: [{ operation: { methods: ["GET"], paths: ["/", "/api/*"] } }] };

    it("sidecar: the pods' sidecar enforces it (selector, with the operation)", () => {
        expect(ap({ ...l7, ...noBreaker }).spec).to.deep.equal({ selector: { matchLabels: { app: "servicex" } }, action: "ALLOW", rules: [rule] });
    });

    it("ambient: an L7 rule alone gives the service a waypoint, and the builder attaches the policy to the Service (targetRefs)", () => {
        const plan = buildPlan(config({ dataplane: "ambient", ...l7, ...noBreaker }));
        expect(plan.ambient!.uses).to.deep.include({ kind: "Service", name: "servicex-service", reasons: ["AuthorizationPolicy servicex-service-allow (L7 rules)"] });
        expect(plan.trafficPolicies.security.find((o) => o.kind === "AuthorizationPolicy")!.spec).to.deep.equal({ targetRefs: [{ kind: "Service", group: "", name: "servicex-service" }], action: "ALLOW", rules: [rule] });
    });

    it("ambient without waypoints: the policy selects the pods, and the gate says ztunnel would deny every call (MESH021, the corpus has the row)", () => {
        const spec = ap({ dataplane: { mode: "ambient", waypoints: "none" }, ...l7, ...noBreaker }).spec as Record<string, unknown>;
        expect(spec).to.have.property("selector");
        expect(spec).to.not.have.property("targetRefs");
    });
});

describe("ambient data plane: the plan scales", function () {
    this.timeout(60000);
    it("3,000 generated services plan in well under 2 s (the waypoint placement indexes the objects; it was quadratic: 63 s at 10,000)", () => {
        const { generatedConfig } = require("../analysis/bench") as typeof import("../analysis/bench");
        const cfg = config({ ...generatedConfig(3000), dataplane: "ambient" });
        const t0 = Date.now();
        const plan = buildPlan(cfg);
        expect(plan.ambient!.uses.length).to.be.greaterThan(3000);
        expect(Date.now() - t0).to.be.below(2000);
    });
});
