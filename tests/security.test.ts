import { expect } from "chai";
import { checkPlan, planObjects } from "../analysis";
import { schemaFindings } from "../analysis/schema";
import { buildPlan } from "../mesh/plan";
import type { K8sObject } from "../mesh/objects";
import { config } from "./helpers/config";

const find = (objs: K8sObject[], kind: string, name: string): any => {
    const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`no ${kind} ${name}: ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`);
    return o;
};

describe("security policies", () => {
    it("STRICT mTLS in the workload namespace by default (PeerAuthentication default)", () => {
        const sec = buildPlan(config()).trafficPolicies.security;
        expect(sec).to.deep.equal([{ apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name: "default", namespace: "default" }, spec: { mtls: { mode: "STRICT" } } }]);
    });

    it("mTLS is configurable: PERMISSIVE, or none at all with false", () => {
        expect((buildPlan(config({ security: { mtls: "PERMISSIVE" } })).trafficPolicies.security[0].spec as any).mtls.mode).to.equal("PERMISSIVE");
        expect(buildPlan(config({ security: { mtls: false } })).trafficPolicies.security).to.deep.equal([]);
    });

    it("each workload runs as its own ServiceAccount (its mTLS identity)", () => {
        const plan = buildPlan(config());
        expect(find(plan.workloads, "ServiceAccount", "nginx-b").metadata.namespace).to.equal("default");
        expect(find(plan.workloads, "Deployment", "nginx-b").spec.template.spec.serviceAccountName).to.equal("nginx-b");
    });

    it("AuthorizationPolicy: only the named callers' identities may call the service", () => {
        const plan = buildPlan(config({ security: { authorization: { "nginx-service": { allowFrom: ["nginx-b", "istio-ingressgateway"] } } } }));
        expect(find(plan.trafficPolicies.security, "AuthorizationPolicy", "nginx-service-allow").spec).to.deep.equal({
            selector: { matchLabels: { app: "nginx" } },
            action: "ALLOW",
            rules: [{ from: [{ source: { principals: ["cluster.local/ns/default/sa/nginx-b", "cluster.local/ns/istio-system/sa/istio-ingressgateway"] } }] }],
        });
    });

    it("callers by app label resolve to every workload with it", () => {
        const plan = buildPlan(config({ security: { authorization: { "nginx-service": { allowFrom: ["nginx"] } } } }));
        expect(find(plan.trafficPolicies.security, "AuthorizationPolicy", "nginx-service-allow").spec.rules[0].from[0].source.principals).to.deep.equal([
            "cluster.local/ns/default/sa/nginx",
            "cluster.local/ns/default/sa/nginx-b",
        ]);
    });

    it("local rate limit: an EnvoyFilter token bucket of requestsPerSecond per second on the service's inbound sidecar", () => {
        const ef = find(buildPlan(config({ security: { rateLimits: { "nginx-service": { requestsPerSecond: 200 } } } })).trafficPolicies.security, "EnvoyFilter", "nginx-service-local-ratelimit");
        expect(ef.apiVersion).to.equal("networking.istio.io/v1alpha3");
        expect(ef.spec.workloadSelector).to.deep.equal({ labels: { app: "nginx" } });
        const patch = ef.spec.configPatches[0];
        expect(patch.match.context).to.equal("SIDECAR_INBOUND");
        expect(patch.patch.value.name).to.equal("envoy.filters.http.local_ratelimit");
        expect(patch.patch.value.typed_config.value.token_bucket).to.deep.equal({ max_tokens: 200, tokens_per_fill: 200, fill_interval: "1s" });
    });

    it("external API: a ServiceEntry and a VirtualService timeout from the mesh", () => {
        const p = buildPlan(config({ security: { egress: { serviceEntries: { httpbin: { host: "httpbin.org", timeout: "3s" } } } } })).trafficPolicies;
        expect(find(p.serviceEntries, "ServiceEntry", "httpbin").spec).to.deep.equal({ hosts: ["httpbin.org"], location: "MESH_EXTERNAL", resolution: "DNS", ports: [{ number: 80, name: "http-80", protocol: "HTTP" }] });
        expect(find(p.virtualServices, "VirtualService", "httpbin-timeout").spec).to.deep.equal({ hosts: ["httpbin.org"], http: [{ timeout: "3s", route: [{ destination: { host: "httpbin.org", port: { number: 80 } } }] }] });
    });

    it("optional egress gateway: chart istio-egressgateway, its Gateway, and mesh → gateway → API routes carrying the timeout", () => {
        const plan = buildPlan(config({ security: { egress: { gateway: true, serviceEntries: { httpbin: { host: "httpbin.org", timeout: "3s" } } } } }));
        expect(plan.istio.egressGateway).to.include({ release: "istio-egressgateway", chart: "gateway", version: "1.30.5", namespace: "istio-system" });
        expect(find(plan.trafficPolicies.gateways, "Gateway", "istio-egressgateway").spec.selector).to.deep.equal({ istio: "egressgateway" });
        const vs = find(plan.trafficPolicies.virtualServices, "VirtualService", "httpbin-via-egress");
        expect(vs.spec.gateways).to.deep.equal(["istio-egressgateway", "mesh"]);
        expect(vs.spec.http[0]).to.deep.include({ timeout: "3s" });
        expect(vs.spec.http[0].route[0].destination.host).to.equal("istio-egressgateway.istio-system.svc.cluster.local");
        expect(vs.spec.http[1].route[0].destination).to.deep.equal({ host: "httpbin.org", port: { number: 80 } });
        expect(plan.trafficPolicies.virtualServices.some((v) => v.metadata.name === "httpbin-timeout"), "one VirtualService per external host").to.equal(false);
    });

    it("every security object passes Istio's CRD schemas and the analyzers", async () => {
        const cfg = config({
            security: {
                authorization: { "nginx-service": { allowFrom: ["nginx-b"] } },
                rateLimits: { "nginx-service": { requestsPerSecond: 200 } },
                egress: { gateway: true, serviceEntries: { httpbin: { host: "httpbin.org", timeout: "3s" }, api: { host: "api.example.com", protocol: "TLS" } } },
            },
        });
        expect(await checkPlan(cfg, buildPlan(cfg))).to.deep.equal([]);
    });
});

describe("schema layer (@kubernetes-models/istio)", () => {
    it("passes every Istio object of the default plan", async () => {
        expect(await schemaFindings(planObjects(buildPlan(config())))).to.deep.equal([]);
    });

    it("fails a VirtualService whose hosts is not a list and whose weight is not an integer, naming the paths", async () => {
        const bad: K8sObject = { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "bad", namespace: "default" }, spec: { hosts: "nginx-service", http: [{ route: [{ destination: { host: "nginx-service" }, weight: "ten" }] }] } };
        const fs = await schemaFindings([bad]);
        expect(fs.map((f) => [f.code, f.resource, f.path])).to.deep.equal([
            ["SCHEMA", "VirtualService default/bad", "spec.hosts"],
            ["SCHEMA", "VirtualService default/bad", "spec.http[0].route[0].weight"],
        ]);
        expect(fs[0].message).to.match(/must be array/);
    });

    it("fails an Istio kind at a version Istio does not serve", async () => {
        const fs = await schemaFindings([{ apiVersion: "networking.istio.io/v1alpha1", kind: "VirtualService", metadata: { name: "old" }, spec: {} }]);
        expect(fs[0]).to.include({ code: "SCHEMA", path: "apiVersion" });
    });
});
