import { expect } from "chai";
import { codes, analyzeEdited, findingsFor, obj } from "./helpers/analysis";
import type { Finding } from "../analysis/finding";
import { findingsReport } from "../analysis/table";

const only = (fs: Finding[], code: string) => fs.filter((f) => f.code === code);

function expectFinding(fs: Finding[], code: string, resource: string, path: string, message: RegExp): Finding {
    const hit = fs.find((f) => f.code === code && f.resource === resource && f.path === path);
    expect(hit, `expected ${code} on ${resource} at ${path}; got ${JSON.stringify(fs.map((f) => [f.code, f.resource, f.path]))}`).to.not.equal(undefined);
    expect(hit!.message).to.match(message);
    expect(hit!.fix.length, "every finding says the fix").to.be.greaterThan(10);
    return hit!;
}

describe("analyzers (cross-resource, like istioctl analyze and Kiali)", () => {
    it("the default dev stack and its course defaults have no findings", () => {
        expect(findingsFor()).to.deep.equal([]);
    });

    describe("IST0101 ReferencedResourceNotFound", () => {
        it("fails: a route names a subset no DestinationRule declares", () => {
            const fs = analyzeEdited((os) => (obj(os, "VirtualService", "nginx-vs").spec.http[0].route[1].destination.subset = "v3", os));
            expectFinding(fs, "IST0101", "VirtualService default/nginx-vs", "spec.http[0].route[1].destination.subset", /subset "v3" .* declared by no DestinationRule \(declared: v1, v2\)/);
        });
        it("fails: a route to a host that is not a service", () => {
            const fs = analyzeEdited((os) => (obj(os, "VirtualService", "nginx-ingress").spec.http[0].route[0].destination.host = "nginx-svc", os));
            expectFinding(fs, "IST0101", "VirtualService default/nginx-ingress", "spec.http[0].route[0].destination.host", /"nginx-svc" is neither a Service nor a ServiceEntry/);
        });
        it("fails: a VirtualService bound to a Gateway that does not exist", () => {
            const fs = analyzeEdited((os) => (obj(os, "VirtualService", "nginx-ingress").spec.gateways = ["ingress-gateway"], os));
            expectFinding(fs, "IST0101", "VirtualService default/nginx-ingress", "spec.gateways[0]", /Gateway "ingress-gateway" does not exist/);
        });
        it("passes: external hosts declared by a ServiceEntry, gateways named with their namespace", () => {
            const fs = findingsFor({ security: { egress: { serviceEntries: { httpbin: { host: "httpbin.org", timeout: "3s" } } } } });
            expect(only(fs, "IST0101")).to.deep.equal([]);
            const ns = analyzeEdited((os) => (obj(os, "VirtualService", "nginx-ingress").spec.gateways = ["default/ingress-gateway-k3d"], os));
            expect(only(ns, "IST0101")).to.deep.equal([]);
        });
    });

    describe("IST0109 ConflictingMeshGatewayVirtualServiceHosts", () => {
        it("fails: two mesh VirtualServices for nginx-service", () => {
            const fs = analyzeEdited((os) => [...os, { ...structuredClone(obj(os, "VirtualService", "nginx-vs")), metadata: { name: "nginx-vs-2", namespace: "default" } }]);
            expectFinding(fs, "IST0109", "VirtualService default/nginx-vs", "spec.hosts", /also has mesh VirtualService\(s\) VirtualService default\/nginx-vs-2/);
            expect(only(fs, "IST0109")).to.have.length(2);
        });
        it("passes: a mesh and a gateway VirtualService for the same destination", () => {
            expect(only(findingsFor(), "IST0109")).to.deep.equal([]);
        });
    });

    describe("IST0132 VirtualServiceHostNotFoundInGateway", () => {
        it("fails: VirtualService host localhost under Gateway hosts *.fullcycle", () => {
            const fs = findingsFor({ ingress: { hosts: ["*.fullcycle"], virtualServices: { "nginx-ingress": { hosts: ["localhost"] } } } });
            expectFinding(fs, "IST0132", "VirtualService default/nginx-ingress", "spec.hosts[0]", /"localhost" is not accepted by Gateway ingress-gateway-k3d \(hosts: \*\.fullcycle\)/);
        });
        it("passes: a.fullcycle under *.fullcycle, anything under *", () => {
            expect(only(findingsFor({ ingress: { hosts: ["*.fullcycle"], virtualServices: { "nginx-ingress": { hosts: ["a.fullcycle"] } } } }), "IST0132")).to.deep.equal([]);
            expect(only(findingsFor(), "IST0132")).to.deep.equal([]);
        });
    });

    describe("IST0140 IngressRouteRulesNotAffected", () => {
        it("fails: the gateway route names no subset while the split lives only in the mesh VirtualService", () => {
            const fs = analyzeEdited((os) => (obj(os, "VirtualService", "nginx-ingress").spec.http[0].route = [{ destination: { host: "nginx-service" } }], os));
            expectFinding(fs, "IST0140", "VirtualService default/nginx-ingress", "spec.http[0].route[0].destination", /its split in VirtualService default\/nginx-vs applies only inside the mesh/);
        });
        it("passes: the program copies the split into the ingress route", () => {
            expect(only(findingsFor({ services: { "nginx-service": { weights: { v1: 75, v2: 25 } } } }), "IST0140")).to.deep.equal([]);
        });
    });

    describe("IST0162 GatewayPortNotDefinedOnService", () => {
        it("fails: a Gateway server on port 8080, which the gateway Service does not expose", () => {
            const fs = findingsFor({ ingress: { port: 8080 } });
            expectFinding(fs, "IST0162", "Gateway default/ingress-gateway-k3d", "spec.servers[0].port.number", /port 8080 is not exposed .*ports: 15021, 80, 443/);
        });
        it("passes: port 80", () => expect(only(findingsFor({ ingress: { port: 80 } }), "IST0162")).to.deep.equal([]));
    });

    describe("IST0173 DestinationRuleSubsetNotSelectPods", () => {
        it("fails: subset v2 selects version C, which no nginx pod has", () => {
            const fs = findingsFor({ services: { "nginx-service": { subsets: { v1: { version: "A" }, v2: { version: "C" } } } } });
            expectFinding(fs, "IST0173", "DestinationRule default/nginx-dr", "spec.subsets[1].labels", /subset "v2" selects \{"version":"C"\}/);
        });
        it("fails: removing the workload behind a subset (nginx-b: null)", () => {
            expect(codes(findingsFor({ workloads: { "nginx-b": null } }))).to.include("IST0173");
        });
        it("passes: the course's subsets, and the course's subset all (app: nginx)", () => {
            expect(only(findingsFor({ services: { "nginx-service": { subsets: { all: { app: "nginx" } }, weights: { all: 100 } } } }), "IST0173")).to.deep.equal([]);
        });
    });

    describe("KIA1105 DuplicateSubsetInRoute", () => {
        it("fails: subset v1 twice in one route", () => {
            const fs = analyzeEdited((os) => (obj(os, "VirtualService", "nginx-vs").spec.http[0].route[1].destination.subset = "v1", os));
            expectFinding(fs, "KIA1105", "VirtualService default/nginx-vs", "spec.http[0].route[1]", /subset v1 is already route\[0\]/);
        });
        it("passes: v1 and v2 once each", () => expect(only(findingsFor(), "KIA1105")).to.deep.equal([]));
    });

    describe("MESH001 StickySessionsAcrossWeightedSubsets (istio/istio#9764)", () => {
        const sticky = { trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: "x-user" } } } };
        it("fails: consistentHash with a 90/10 split, explaining both ways out", () => {
            const f = expectFinding(findingsFor({ services: { "nginx-service": sticky } }), "MESH001", "VirtualService default/nginx-vs", "spec.http[0].route", /splits them by weight over 2 subsets/);
            expect(f.severity).to.equal("error");
            expect(f.fix).to.include('subset "all"').and.include("stickyCanary");
        });
        it("passes: the course's workaround (one subset all) and the opt-in sticky canary", () => {
            expect(only(findingsFor({ services: { "nginx-service": { ...sticky, subsets: { all: { app: "nginx" } }, weights: { all: 100 } } } }), "MESH001")).to.deep.equal([]);
            expect(only(findingsFor({ services: { "nginx-service": { ...sticky, stickyCanary: true } } }), "MESH001")).to.deep.equal([]);
        });
    });

    describe("MESH002 RetriesHideAbortFault", () => {
        it("fails: retries on a route that aborts 50 %", () => {
            const fs = findingsFor({ services: { "nginx-service": { retries: { attempts: 3 }, fault: { abort: { httpStatus: 500, percentage: 50 } } } } });
            expectFinding(fs, "MESH002", "VirtualService default/nginx-vs", "spec.http[0].retries", /retries \(3 attempts\) on a route that injects a fault \(abort 50 %\)/);
        });
        it("fails: a timeout on a route that injects a delay", () => {
            const fs = findingsFor({ services: { "nginx-service": { timeout: "2s", fault: { delay: { fixedDelay: "10s", percentage: 100 } } } } });
            expectFinding(fs, "MESH002", "VirtualService default/nginx-vs", "spec.http[0].timeout", /timeout \(2s\) .* is not enabled/);
        });
        it("passes: the fault alone, and retries alone", () => {
            expect(only(findingsFor({ services: { "nginx-service": { fault: { abort: { httpStatus: 500, percentage: 50 } } } } }), "MESH002")).to.deep.equal([]);
            expect(only(findingsFor({ services: { "nginx-service": { retries: { attempts: 3 } } } }), "MESH002")).to.deep.equal([]);
        });
    });

    describe("MESH003 GatewayErrorsMissServerErrors", () => {
        const breaker = { trafficPolicy: { outlierDetection: { consecutiveGatewayErrors: 5, interval: "20s", baseEjectionTime: "30s", maxEjectionPercent: 100 } } };
        it("fails: consecutiveGatewayErrors on a service whose pods fail with 500", () => {
            const fs = findingsFor({
                workloads: { "nginx-b": { env: { error: "yes", ERROR_STATUS: "500" } } },
                services: { "nginx-service": breaker },
            });
            expectFinding(fs, "MESH003", "DestinationRule default/nginx-dr", "spec.trafficPolicy.outlierDetection.consecutiveGatewayErrors", /fails with 500, which consecutiveGatewayErrors does not count/);
        });
        it("fails: consecutiveGatewayErrors on a host with an abort 500 fault", () => {
            expect(codes(findingsFor({ services: { "nginx-service": { ...breaker, fault: { abort: { httpStatus: 500, percentage: 10 } } } } }))).to.include("MESH003");
        });
        it("passes: the course's 504 failure, and consecutive5xxErrors for 500", () => {
            expect(only(findingsFor({ workloads: { "nginx-b": { env: { error: "yes" } } }, services: { "nginx-service": breaker } }), "MESH003")).to.deep.equal([]);
            const fivexx = { trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: "20s" } } };
            expect(only(findingsFor({ workloads: { "nginx-b": { env: { error: "yes", ERROR_STATUS: "500" } } }, services: { "nginx-service": fivexx } }), "MESH003")).to.deep.equal([]);
        });
    });

    describe("MESH004 PolicyBypassedByNodePort (scenario 15's lesson)", () => {
        it("fails: nginx-service as a NodePort Service next to its VirtualServices", () => {
            const fs = findingsFor({ services: { "nginx-service": { type: "NodePort", nodePort: 30080 } } });
            expectFinding(fs, "MESH004", "Service default/nginx-service", "spec.type", /NodePort Service with mesh routing policies/);
        });
        it("passes: ClusterIP behind the gateway, and a NodePort service with no policies", () => {
            expect(only(findingsFor(), "MESH004")).to.deep.equal([]);
            const fs = findingsFor({ services: { "nginx-service": { type: "NodePort", subsets: null, weights: null } }, ingress: { virtualServices: { "nginx-ingress": null } } });
            expect(only(fs, "MESH004")).to.deep.equal([]);
        });
    });
});

describe("analyze's text: istioctl analyze's shape (analysis/table.ts)", () => {
    const f = (over: Partial<Finding>): Finding => ({ code: "IST0101", severity: "error", resource: "VirtualService default/reviews", path: "spec.http[0].route[0].destination.host", message: 'Referenced host not found: "x"', fix: "declare the Service", ...over });
    const rows: [what: string, findings: Finding[], want: string][] = [
        ["nothing found: names what was analysed", [], "✔ No validation issues found when analyzing stack dev.\n"],
        [
            "one line per finding, the config path where istioctl puts the file, the fix under it",
            [f({ configPath: "istio-mesh:services.reviews" })],
            'Error [IST0101] (VirtualService default/reviews istio-mesh:services.reviews) Referenced host not found: "x"\n    fix: declare the Service\nError: Analyzers found issues when analyzing stack dev: 1 error, 0 warnings, 0 info.\n',
        ],
        [
            "no config path: the field inside the resource; a downgradable code says how to accept it",
            [f({ downgrade: "set istio-mesh:analysis.IST0101: warning" })],
            'Error [IST0101] (VirtualService default/reviews spec.http[0].route[0].destination.host) Referenced host not found: "x"\n    fix: declare the Service\n    to accept it: set istio-mesh:analysis.IST0101: warning\nError: Analyzers found issues when analyzing stack dev: 1 error, 0 warnings, 0 info.\n',
        ],
        [
            "warnings and infos only: most severe first, and no Error line",
            [f({ severity: "info", code: "IST0118" }), f({ severity: "warning", code: "IST0102", resource: "Namespace default", path: "" })],
            'Warning [IST0102] (Namespace default) Referenced host not found: "x"\n    fix: declare the Service\nInfo [IST0118] (VirtualService default/reviews spec.http[0].route[0].destination.host) Referenced host not found: "x"\n    fix: declare the Service\nAnalyzers found issues when analyzing stack dev: 0 errors, 1 warning, 1 info (no errors: nothing stops a deploy).\n',
        ],
    ];
    for (const [what, findings, want] of rows) it(what, () => expect(findingsReport(findings, "stack dev")).to.equal(want));
});
