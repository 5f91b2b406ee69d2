/**
 * The Gateway API layer inside the gate: Gateway API objects placed in a plan (as the translation of
 * issue 19 will place them) go through checkPlan with the other layers, are judged by no other layer
 * (not the Kubernetes OpenAPI layer, not Istio's analyzers for Istio's Gateway), are named apart from
 * Istio's Gateway, map to config paths by their own key, and take stack severities like any analyzer.
 */
import { expect } from "chai";
import { checkPlan } from "../analysis";
import { resourceName } from "../analysis/finding";
import { Origin, originKey, Origins, configPathOf } from "../analysis/origins";
import { checkSeverityConfig } from "../analysis/severity";
import { parseConfig } from "../config/parse";
import { buildPlan } from "../mesh/plan";
import { gateway, httpRoute, vendoredCrds } from "./helpers/gatewayApi";

describe("Gateway API layer in the gate (checkPlan)", () => {
    it("objects in a plan are checked, and only by this layer", async () => {
        const cfg = parseConfig({}, "dev");
        const plan = buildPlan(cfg);
        // Named like the plan's Istio Gateway on purpose: the two kinds must not be confused.
        const gw = gateway({}, "ingress-gateway-k3d", "default");
        const route = httpRoute({
            parentRefs: [{ name: "ingress-gateway-k3d" }],
            rules: [{ backendRefs: [{ name: "nginx-v9", port: 8000 }], filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https" } }] }],
        });
        plan.trafficPolicies.gateways.push(gw);
        plan.trafficPolicies.virtualServices.push(route);
        const fs = await checkPlan(cfg, plan);
        const on = (r: string) => fs.filter((f) => f.resource === r);
        const gwName = "Gateway.gateway.networking.k8s.io default/ingress-gateway-k3d";
        expect(resourceName(gw)).to.equal(gwName);
        expect(fs.filter((f) => f.code === "K8S001"), "the Kubernetes OpenAPI layer leaves them to this one").to.deep.equal([]);
        expect(on(gwName).filter((f) => !f.code.startsWith("GWAPI")), "no Istio analyzer reads a Gateway API Gateway").to.deep.equal([]);
        expect(on("Gateway default/ingress-gateway-k3d"), "the Istio Gateway of the same name is untouched").to.deep.equal([]);
        if (vendoredCrds("standard")) {
            const codes = on("HTTPRoute default/reviews").map((f) => `${f.code} ${f.path}`);
            expect(codes).to.include("GWAPI002 spec.rules[0]"); // RequestRedirect with backendRefs (CEL)
            expect(codes).to.include("GWAPI101 spec.rules[0].backendRefs[0].name"); // nginx-v9 is no Service
            expect(on(gwName)).to.deep.equal([]);
        } else {
            // Without the vendored CRDs nothing is waved through: each object is refused with the fix.
            expect(fs.filter((f) => f.code === "GWAPI000").map((f) => f.resource)).to.have.members([gwName, "HTTPRoute default/reviews"]);
        }
    });

    it("the default dev plan has no Gateway API findings (and reads no Gateway API CRD)", async () => {
        const cfg = parseConfig({}, "dev");
        const fs = await checkPlan(cfg, buildPlan(cfg));
        expect(fs.filter((f) => f.code.startsWith("GWAPI") || f.code === "IST0176")).to.deep.equal([]);
    });

    it("config paths: a Gateway API object's origin is keyed with its group, apart from Istio's Gateway", () => {
        const origin = (entry: string): Origin => ({ entry, field: (p) => (p.startsWith("spec.rules[0].backendRefs[1]") ? `${entry}.weights.v2` : entry) });
        const origins: Origins = new Map([
            [originKey("Gateway", "web"), [origin("istio-mesh:ingress")]],
            [originKey("Gateway.gateway.networking.k8s.io", "web"), [origin("istio-mesh:gatewayApi.gateway")]],
            [originKey("HTTPRoute", "reviews"), [origin("istio-mesh:services.reviews")]],
        ]);
        expect(configPathOf(origins, gateway(), "spec.listeners[0]").path).to.equal("istio-mesh:gatewayApi.gateway");
        expect(configPathOf(origins, { kind: "Gateway", metadata: { name: "web" }, apiVersion: "networking.istio.io/v1" }, "spec.servers").path).to.equal("istio-mesh:ingress");
        expect(configPathOf(origins, httpRoute(), "spec.rules[0].backendRefs[1].weight").path).to.equal("istio-mesh:services.reviews.weights.v2");
    });

    it("severities: a Gateway API analyzer code can be accepted as a warning, the API server's rejections cannot", () => {
        const ok = parseConfig({ analysis: { GWAPI101: "warning", IST0176: "warning" } }, "dev");
        expect(checkSeverityConfig(ok)).to.deep.equal([]);
        const bad = parseConfig({ analysis: { GWAPI002: "warning" } }, "dev");
        expect(checkSeverityConfig(bad)).to.deep.equal([{ path: "istio-mesh:analysis.GWAPI002", message: "GWAPI002 is a rejection by the Kubernetes API server or Istio's webhook, which would fail pulumi up; it cannot be downgraded" }]);
    });
});
