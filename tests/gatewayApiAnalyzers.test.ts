/**
 * The Gateway API cross-object analyzers, a failing and a passing row per code, on the default dev
 * plan's objects (its Services and Namespaces) plus hand-written Gateway API objects. The analyzers
 * read objects as stored; these are written with the fields the defaults would fill left out, which
 * the analyzers must treat the same way (a parentRef without kind is a Gateway, weight 1, from: Same).
 */
import { expect } from "chai";
import { allObjects } from "../analysis";
import type { Finding } from "../analysis/finding";
import { gatewayApiAnalyzerFindings, GATEWAY_API_ANALYZERS } from "../analysis/gatewayApi/analyzers";
import { versionBelow } from "../analysis/gatewayApi/analyzers/GatewayAPICRDVersionBelowMinimum";
import { GatewayApiContext, hostnamesIntersect } from "../analysis/gatewayApi/context";
import { parseCrds } from "../analysis/gatewayApi/manifest";
import { parseConfig } from "../config/parse";
import { buildPlan } from "../mesh/plan";
import type { K8sObject } from "../mesh/objects";
import { gateway, gatewayClass, httpRoute, referenceGrant } from "./helpers/gatewayApi";

const crdDoc = (name: string, kind: string, bundle: string) => `---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${name}, annotations: {gateway.networking.k8s.io/bundle-version: ${bundle}}}
spec: {group: gateway.networking.k8s.io, names: {kind: ${kind}, plural: x}, scope: Namespaced, versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]}
`;
const CRDS_151 = parseCrds(["grpcroutes", "tlsroutes", "httproutes"].map((n) => crdDoc(`${n}.gateway.networking.k8s.io`, { grpcroutes: "GRPCRoute", tlsroutes: "TLSRoute", httproutes: "HTTPRoute" }[n]!, "v1.5.1")).join(""), "v1.5.1 test CRDs");

const planObjects = (): K8sObject[] => structuredClone(allObjects(buildPlan(parseConfig({}, "dev"))));

function analyze(gwApi: K8sObject[], crds = CRDS_151): Finding[] {
    return gatewayApiAnalyzerFindings(new GatewayApiContext([...planObjects(), ...gwApi], crds));
}

const of = (fs: Finding[], code: string) => fs.filter((f) => f.code === code);

function expectFinding(fs: Finding[], code: string, resource: string, path: string, message: RegExp, severity = "error"): void {
    const hit = fs.find((f) => f.code === code && f.resource === resource && f.path === path);
    expect(hit, `expected ${code} on ${resource} at ${path}; got ${JSON.stringify(fs.map((f) => [f.code, f.resource, f.path, f.message]))}`).to.not.equal(undefined);
    expect(hit!.message).to.match(message);
    expect(hit!.severity).to.equal(severity);
    expect(hit!.fix.length, "every finding says the fix").to.be.greaterThan(10);
}

const ROUTE = "HTTPRoute default/reviews";
const GWR = "Gateway.gateway.networking.k8s.io istio-system/web";

describe("Gateway API analyzers (cross-object)", () => {
    it("the reference Gateway and HTTPRoute on the dev plan have no findings", () => {
        expect(analyze([gateway(), httpRoute()])).to.deep.equal([]);
    });

    it("every analyzer code is downgradable and documented as one", () => {
        const codes = GATEWAY_API_ANALYZERS.map((a) => a.code);
        expect(new Set(codes).size, "codes are unique").to.equal(codes.length);
        for (const c of codes) expect(c).to.match(/^(GWAPI1\d\d|IST\d{4})$/);
    });

    describe("GWAPI101 BackendNotFound", () => {
        it("fails: a backendRef to a Service the plan does not declare", () => {
            expectFinding(analyze([gateway(), httpRoute({ rules: [{ backendRefs: [{ name: "nginx-v2", port: 8000 }] }] })]), "GWAPI101", ROUTE, "spec.rules[0].backendRefs[0].name", /Service "nginx-v2" in namespace default does not exist .*HTTP 500/);
        });
        it("fails: a request mirror to a missing Service", () => {
            const route = httpRoute({ rules: [{ backendRefs: [{ name: "nginx-service", port: 8000 }], filters: [{ type: "RequestMirror", requestMirror: { backendRef: { name: "shadow", port: 80 } } }] }] });
            expectFinding(analyze([gateway(), route]), "GWAPI101", ROUTE, "spec.rules[0].filters[0].requestMirror.backendRef.name", /Service "shadow"/);
        });
        it("fails: a kind Istio does not route to", () => {
            expectFinding(analyze([gateway(), httpRoute({ rules: [{ backendRefs: [{ group: "apps", kind: "Deployment", name: "nginx", port: 80 }] }] })]), "GWAPI101", ROUTE, "spec.rules[0].backendRefs[0].kind", /does not route to apps\/Deployment/);
        });
        it("passes: Services of the plan, in another namespace too", () => {
            const route = httpRoute({ rules: [{ backendRefs: [{ name: "servicex-service", port: 80 }, { name: "tracing", namespace: "istio-system", port: 80 }] }] });
            expect(of(analyze([gateway(), route, referenceGrant()]), "GWAPI101")).to.deep.equal([]);
        });
    });

    describe("GWAPI102 BackendPortNotFound", () => {
        it("fails: the container port instead of the Service port", () => {
            expectFinding(analyze([gateway(), httpRoute({ rules: [{ backendRefs: [{ name: "nginx-service", port: 80 }] }] })]), "GWAPI102", ROUTE, "spec.rules[0].backendRefs[0].port", /port 80 is not a port of Service "nginx-service" \(ports: 8000\)/);
        });
        it("passes: the Service's port", () => expect(of(analyze([gateway(), httpRoute()]), "GWAPI102")).to.deep.equal([]));
    });

    describe("GWAPI103 RefNotPermitted", () => {
        const cross = () => httpRoute({ rules: [{ backendRefs: [{ name: "tracing", namespace: "istio-system", port: 80 }] }] });
        it("fails: a backend in another namespace without a ReferenceGrant there", () => {
            expectFinding(analyze([gateway(), cross()]), "GWAPI103", ROUTE, "spec.rules[0].backendRefs[0].namespace", /no ReferenceGrant in istio-system allows it \(RefNotPermitted\)/);
        });
        it("fails: a ReferenceGrant for another kind of route", () => {
            const grant = referenceGrant({ from: [{ group: "gateway.networking.k8s.io", kind: "GRPCRoute", namespace: "default" }] });
            expect(of(analyze([gateway(), cross(), grant]), "GWAPI103")).to.have.length(1);
        });
        it("passes: with the ReferenceGrant", () => expect(of(analyze([gateway(), cross(), referenceGrant()]), "GWAPI103")).to.deep.equal([]));
    });

    describe("GWAPI104 NoEffectiveBackends", () => {
        it("fails: every weight 0 (500 for every request)", () => {
            const route = httpRoute({ rules: [{ backendRefs: [{ name: "nginx-service", port: 8000, weight: 0 }, { name: "servicex-service", port: 80, weight: 0 }] }] });
            expectFinding(analyze([gateway(), route]), "GWAPI104", ROUTE, "spec.rules[0].backendRefs", /every backendRef of this rule has weight 0 .*HTTP 500/);
        });
        it("fails: no backendRefs and no redirect (404)", () => {
            expectFinding(analyze([gateway(), httpRoute({ rules: [{ matches: [{ path: { type: "PathPrefix", value: "/b" } }] }] })]), "GWAPI104", ROUTE, "spec.rules[0]", /no backendRefs and no RequestRedirect: .*HTTP 404/);
        });
        it("passes: a 100/0 split, and a redirect-only rule", () => {
            const route = httpRoute({
                rules: [
                    { backendRefs: [{ name: "nginx-service", port: 8000, weight: 100 }, { name: "servicex-service", port: 80, weight: 0 }] },
                    { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https" } }] },
                ],
            });
            expect(of(analyze([gateway(), route]), "GWAPI104")).to.deep.equal([]);
        });
    });

    describe("GWAPI111 NoMatchingParent", () => {
        it("fails: a parentRef to a Gateway the plan does not declare", () => {
            expectFinding(analyze([gateway(), httpRoute({ parentRefs: [{ name: "ingress", namespace: "istio-system" }] })]), "GWAPI111", ROUTE, "spec.parentRefs[0].name", /Gateway "ingress" in namespace istio-system does not exist .*\(NoMatchingParent\)/);
        });
        it("fails: the Gateway's namespace left out (it defaults to the route's)", () => {
            expectFinding(analyze([gateway(), httpRoute({ parentRefs: [{ name: "web" }] })]), "GWAPI111", ROUTE, "spec.parentRefs[0].name", /Gateway "web" in namespace default does not exist/);
        });
        it("fails: a sectionName the Gateway has no listener for", () => {
            expectFinding(analyze([gateway(), httpRoute({ parentRefs: [{ name: "web", namespace: "istio-system", sectionName: "https" }] })]), "GWAPI111", ROUTE, "spec.parentRefs[0].sectionName", /has no listener named "https" \(listeners: http:80\)/);
        });
        it("fails: a mesh route (GAMMA) to a Service that does not exist", () => {
            expectFinding(analyze([httpRoute({ hostnames: undefined, parentRefs: [{ group: "", kind: "Service", name: "reviews" }] })]), "GWAPI111", ROUTE, "spec.parentRefs[0].name", /Service "reviews" in namespace default \(the mesh parent\) does not exist/);
        });
        it("passes: the Gateway by name and listener, and a mesh route to a Service of the plan", () => {
            expect(of(analyze([gateway(), httpRoute({ parentRefs: [{ name: "web", namespace: "istio-system", sectionName: "http", port: 80 }] })]), "GWAPI111")).to.deep.equal([]);
            expect(of(analyze([httpRoute({ hostnames: undefined, parentRefs: [{ group: "", kind: "Service", name: "nginx-service", port: 8000 }] })]), "GWAPI111")).to.deep.equal([]);
        });
    });

    describe("GWAPI112 NoMatchingListenerHostname", () => {
        it("fails: no route hostname is one the listener accepts", () => {
            expectFinding(analyze([gateway(), httpRoute({ hostnames: ["nginx.example.org"] })]), "GWAPI112", ROUTE, "spec.hostnames", /none of the route's hostnames \(nginx\.example\.org\) is accepted .*listener hostnames: \*\.example\.com/);
        });
        it("warns: one hostname of two has no listener", () => {
            expectFinding(analyze([gateway(), httpRoute({ hostnames: ["a.example.com", "example.com"] })]), "GWAPI112", ROUTE, "spec.hostnames[1]", /hostname "example\.com" is accepted by no listener/, "warning");
        });
        it("passes: a wildcard listener takes a subdomain, a listener without hostname takes all", () => {
            expect(of(analyze([gateway(), httpRoute({ hostnames: ["a.b.example.com", "*.example.com"] })]), "GWAPI112")).to.deep.equal([]);
            expect(of(analyze([gateway({ listeners: [{ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "All" } } }] }), httpRoute({ hostnames: ["anything.org"] })]), "GWAPI112")).to.deep.equal([]);
        });
        it("hostname intersection follows the Gateway API (a wildcard is one or more labels, not the bare domain)", () => {
            expect(hostnamesIntersect("*.example.com", "a.example.com")).to.equal(true);
            expect(hostnamesIntersect("a.example.com", "*.example.com")).to.equal(true);
            expect(hostnamesIntersect("*.example.com", "*.a.example.com")).to.equal(true);
            expect(hostnamesIntersect("*.example.com", "example.com")).to.equal(false);
            expect(hostnamesIntersect("a.example.com", "b.example.com")).to.equal(false);
        });
    });

    describe("GWAPI113 NotAllowedByListeners", () => {
        const sameNs = () => gateway({ listeners: [{ name: "http", port: 80, protocol: "HTTP", hostname: "*.example.com" }] });
        it("fails: the default allowedRoutes (from: Same) and a route in another namespace", () => {
            expectFinding(analyze([sameNs(), httpRoute()]), "GWAPI113", ROUTE, "spec.parentRefs[0]", /allows routes from its own namespace \(istio-system\) only, and this route is in default/);
        });
        it("fails: a namespace selector that does not select the route's namespace", () => {
            const gw = gateway({ listeners: [{ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: { "gateway-access": "true" } } } } }] });
            expectFinding(analyze([gw, httpRoute()]), "GWAPI113", ROUTE, "spec.parentRefs[0]", /namespace selector does not select namespace default/);
        });
        it("fails: an HTTPRoute on a TLS listener", () => {
            const gw = gateway({ listeners: [{ name: "tls", port: 443, protocol: "TLS", tls: { mode: "Passthrough" }, allowedRoutes: { namespaces: { from: "All" } } }] });
            expectFinding(analyze([gw, httpRoute({ hostnames: undefined })]), "GWAPI113", ROUTE, "spec.parentRefs[0]", /protocol TLS takes no HTTPRoute/);
        });
        it("passes: from All, from a Selector matching the namespace's labels, and from Same in the Gateway's namespace", () => {
            const selector = gateway({ listeners: [{ name: "http", port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "Selector", selector: { matchExpressions: [{ key: "istio-injection", operator: "In", values: ["enabled"] }] } } } }] });
            expect(of(analyze([gateway(), httpRoute()]), "GWAPI113")).to.deep.equal([]);
            expect(of(analyze([selector, httpRoute()]), "GWAPI113")).to.deep.equal([]);
            expect(of(analyze([sameNs(), httpRoute({}, "reviews", "istio-system")]), "GWAPI113")).to.deep.equal([]);
        });
    });

    describe("GWAPI114 ListenerWithoutCertificate", () => {
        it("fails: HTTPS without tls (the v1.5.1 CRD accepts it)", () => {
            expectFinding(analyze([gateway({ listeners: [{ name: "https", port: 443, protocol: "HTTPS" }] })]), "GWAPI114", GWR, "spec.listeners[0]", /listener "https" \(HTTPS on port 443\) has no certificate \(no tls\)/);
        });
        it("passes: HTTPS with a certificateRef", () => {
            expect(of(analyze([gateway({ listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: { mode: "Terminate", certificateRefs: [{ name: "web-cert" }] } }] })]), "GWAPI114")).to.deep.equal([]);
        });
    });

    describe("GWAPI121 GatewayClassNotFound", () => {
        it("fails: a class neither istiod nor the plan provides", () => {
            expectFinding(analyze([gateway({ gatewayClassName: "nginx" })]), "GWAPI121", GWR, "spec.gatewayClassName", /GatewayClass "nginx" is not one istiod creates/);
        });
        it("passes: istio, and a class the plan declares", () => {
            expect(of(analyze([gateway()]), "GWAPI121")).to.deep.equal([]);
            expect(of(analyze([gateway({ gatewayClassName: "lab" }), gatewayClass()]), "GWAPI121")).to.deep.equal([]);
        });
    });

    describe("IST0176 GatewayAPICRDVersionBelowMinimum", () => {
        const grpcRoute: K8sObject = { apiVersion: "gateway.networking.k8s.io/v1", kind: "GRPCRoute", metadata: { name: "g", namespace: "default" }, spec: {} };
        it("fails: a GRPCRoute while the grpcroutes CRD is below Istio 1.30's minimum (v1.1.0)", () => {
            const old = parseCrds(crdDoc("grpcroutes.gateway.networking.k8s.io", "GRPCRoute", "v1.0.0"), "old CRDs");
            const fs = analyze([grpcRoute], old);
            expectFinding(fs, "IST0176", "CustomResourceDefinition grpcroutes.gateway.networking.k8s.io", "metadata.annotations[gateway.networking.k8s.io/bundle-version]", /is at version "v1\.0\.0" but Istio requires at least "v1\.1\.0"; GRPCRoute resources will not be processed/);
        });
        it("passes: the pinned v1.5.1 bundle, and an old CRD of a kind the plan does not use", () => {
            expect(of(analyze([grpcRoute]), "IST0176")).to.deep.equal([]);
            const old = parseCrds(crdDoc("tlsroutes.gateway.networking.k8s.io", "TLSRoute", "v1.4.1"), "old CRDs");
            expect(of(analyze([grpcRoute], old), "IST0176")).to.deep.equal([]);
        });
        it("compares versions as Istio does (pre-release suffix ignored)", () => {
            expect(versionBelow("v1.4.1", "v1.5.0")).to.equal(true);
            expect(versionBelow("v1.5.0-rc.1", "v1.5.0")).to.equal(false);
            expect(versionBelow("v1.10.0", "v1.5.0")).to.equal(false);
        });
    });
});
