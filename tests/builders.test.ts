import { expect } from "chai";
import { buildPlan, referencedHosts } from "../mesh/plan";
import type { K8sObject } from "../mesh/objects";
import { config } from "./helpers/config";
import { courseManifest } from "./helpers/course";

const find = (objs: K8sObject[], kind: string, name: string): K8sObject => {
    const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`no ${kind} ${name} among ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`);
    return o;
};

describe("pure builders (default config = the course)", () => {
    const plan = buildPlan(config());
    const policies = [...plan.trafficPolicies.destinationRules, ...plan.trafficPolicies.virtualServices, ...plan.trafficPolicies.gateways];

    it("nginx-vs equals the course's canary VirtualService (scenario 9, 90/10)", () => {
        expect(find(policies, "VirtualService", "nginx-vs")).to.deep.equal(courseManifest("09-canary.yaml", "VirtualService", "nginx-vs"));
    });

    it("nginx-dr equals the course's DestinationRule with subsets v1/v2", () => {
        expect(find(policies, "DestinationRule", "nginx-dr")).to.deep.equal(courseManifest("09-canary.yaml", "DestinationRule", "nginx-dr"));
    });

    it("ingress-gateway-k3d equals the course's Gateway (scenario 15)", () => {
        expect(find(policies, "Gateway", "ingress-gateway-k3d")).to.deep.equal(courseManifest("15-gateway.yaml", "Gateway", "ingress-gateway-k3d"));
    });

    it("the ingress VirtualService is bound to the Gateway and carries the same 90/10 split", () => {
        const vs = find(policies, "VirtualService", "nginx-ingress");
        expect(vs.spec).to.deep.equal({
            hosts: ["*"],
            gateways: ["ingress-gateway-k3d"],
            http: (courseManifest("09-canary.yaml", "VirtualService", "nginx-vs").spec as { http: unknown }).http,
        });
    });

    it("Istio objects use networking.istio.io/v1", () => {
        expect(new Set(policies.map((p) => p.apiVersion))).to.deep.equal(new Set(["networking.istio.io/v1"]));
    });

    it("nginx and nginx-b keep the course's names, labels, ports and Service 8000 → 80", () => {
        for (const name of ["nginx", "nginx-b"]) {
            const course = courseManifest("06-nginx.yaml", "Deployment", name) as any;
            const ours = find(plan.workloads, "Deployment", name) as any;
            expect(ours.spec.template.metadata.labels).to.deep.equal(course.spec.template.metadata.labels);
            expect(ours.spec.replicas).to.equal(course.spec.replicas);
            expect(ours.spec.template.spec.containers[0].ports[0].containerPort).to.equal(80);
        }
        const svc = find(plan.workloads, "Service", "nginx-service") as any;
        const course = courseManifest("06-nginx.yaml", "Service", "nginx-service") as any;
        expect(svc.spec.selector).to.deep.equal(course.spec.selector);
        expect(svc.spec.ports[0]).to.deep.include(course.spec.ports[0]);
        expect(svc.spec.ports[0].name).to.equal("http");
        expect(svc.spec.type).to.equal("ClusterIP");
    });

    it("every container has requests and limits and a pinned image", () => {
        for (const d of plan.workloads.filter((o) => o.kind === "Deployment") as any[]) {
            for (const c of d.spec.template.spec.containers) {
                expect(c.resources.requests).to.have.keys("cpu", "memory");
                expect(c.resources.limits).to.have.keys("cpu", "memory");
                expect(c.image).to.match(/:[^:]+$/).and.not.match(/:latest$/);
            }
        }
    });

    it("the A and B Deployments select only their own pods", () => {
        const [a, b] = ["nginx", "nginx-b"].map((n) => (find(plan.workloads, "Deployment", n) as any).spec.selector.matchLabels);
        expect(a).to.deep.equal({ app: "nginx", version: "A" });
        expect(b).to.deep.equal({ app: "nginx", version: "B" });
    });

    it("each nginx serves its course page from a ConfigMap", () => {
        expect((find(plan.workloads, "ConfigMap", "nginx-html") as any).data["index.html"]).to.equal("Full Cycle A\n");
        expect((find(plan.workloads, "ConfigMap", "nginx-b-html") as any).data["index.html"]).to.equal("Full Cycle B\n");
        const d = find(plan.workloads, "Deployment", "nginx-b") as any;
        expect(d.spec.template.spec.volumes[0].configMap.name).to.equal("nginx-b-html");
    });

    it("the workload namespace carries istio-injection=enabled; istio-system does not", () => {
        expect(plan.workloadNamespace.metadata).to.deep.equal({ name: "default", labels: { "istio-injection": "enabled" } });
        expect(plan.istio.namespace.metadata.labels).to.not.have.property("istio-injection");
    });

    it("charts base, istiod, gateway at 1.30.5 from the official repo, in istio-system", () => {
        const charts = [plan.istio.base, plan.istio.istiod, plan.istio.gateway];
        expect(charts.map((c) => [c.release, c.chart, c.version, c.namespace])).to.deep.equal([
            ["istio-base", "base", "1.30.5", "istio-system"],
            ["istiod", "istiod", "1.30.5", "istio-system"],
            ["istio-ingressgateway", "gateway", "1.30.5", "istio-system"],
        ]);
        for (const c of charts) expect(c.repo).to.equal("https://blob.istio.io/istio-release/charts");
    });

    it("Istio's images come from versions.istioHub: istiod's hub and global.hub (sidecars, gateway); the gateway chart has no hub", () => {
        expect(plan.istio.istiod.values).to.deep.include({ hub: "docker.io/istio" });
        expect((plan.istio.istiod.values as any).global).to.deep.equal({ hub: "docker.io/istio" });
        // Merged with the tracing values, not replaced by them.
        expect((plan.istio.istiod.values as any).meshConfig.enableTracing).to.equal(true);
        expect(plan.istio.gateway.values).to.not.have.any.keys("hub", "global");
        expect(plan.istio.base.values).to.not.have.any.keys("hub", "global");
        const mirror = buildPlan(config({ versions: { istioHub: "registry.example.com:5000/istio" } }));
        expect([(mirror.istio.istiod.values as any).hub, (mirror.istio.istiod.values as any).global.hub]).to.deep.equal(["registry.example.com:5000/istio", "registry.example.com:5000/istio"]);
        const egress = buildPlan(config({ security: { egress: { gateway: true, serviceEntries: { httpbin: { host: "httpbin.org" } } } } })).istio.egressGateway!;
        expect(egress.values).to.not.have.any.keys("hub", "global");
    });

    it("webhooks render failurePolicy Fail from the start, so istiod does not flip them under Pulumi", () => {
        expect(plan.istio.base.values).to.deep.include({ base: { validationFailurePolicy: "Fail" } });
        expect(plan.istio.istiod.values).to.deep.include({ base: { validationFailurePolicy: "Fail" } });
    });

    it("gateway Service: NodePort, all three ports listed, http2 80 → nodePort 30000", () => {
        expect(plan.istio.gateway.values).to.deep.equal({
            service: {
                type: "NodePort",
                ports: [
                    { name: "status-port", port: 15021, protocol: "TCP", targetPort: 15021 },
                    { name: "http2", port: 80, protocol: "TCP", targetPort: 80, nodePort: 30000 },
                    { name: "https", port: 443, protocol: "TCP", targetPort: 443 },
                ],
            },
        });
    });

    it("canary weights from config (75/25) reach both VirtualServices", () => {
        const p = buildPlan(config({ services: { "nginx-service": { weights: { v1: 75, v2: 25 } } } }));
        for (const vs of p.trafficPolicies.virtualServices as any[]) {
            expect(vs.spec.http[0].route.map((r: any) => r.weight)).to.deep.equal([75, 25]);
        }
    });

    it("a service without subsets gets neither DestinationRule nor mesh VirtualService", () => {
        const p = buildPlan(config({ services: { "nginx-service": { subsets: null, weights: null } } }));
        expect(p.trafficPolicies.destinationRules.map((d) => d.metadata.name)).to.deep.equal(["circuit-breaker-servicex"]);
        expect(p.trafficPolicies.virtualServices.map((v) => v.metadata.name)).to.deep.equal(["nginx-ingress"]);
        expect((p.trafficPolicies.virtualServices[0] as any).spec.http[0].route).to.deep.equal([{ destination: { host: "nginx-service" } }]);
    });

    it("referencedHosts names the hosts whose subsets a VirtualService uses", () => {
        expect(referencedHosts(find(policies, "VirtualService", "nginx-vs"))).to.deep.equal(["nginx-service"]);
    });
});
