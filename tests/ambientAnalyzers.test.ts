/**
 * The ambient data plane's gate rules: a failing and a passing row per code (the failing rows that
 * config can produce are also in the bad-input corpus, with their config paths), and each rule's
 * downgrade. States no config produces (both enrolment labels, a selector policy with L7 rules) are
 * made by editing the plan's objects, as the analyzers would meet them in a hand-written manifest.
 */
import { expect } from "chai";
import { checkStack } from "../analysis/gate";
import type { Finding } from "../analysis/finding";
import { DOWNGRADABLE_CODES } from "../analysis/severity";
import { analyzeEdited, findingsFor, obj } from "./helpers/analysis";
import { stackText } from "./fixtures/bad/corpus";

const AMBIENT = { dataplane: "ambient" };
const AMBIENT_ISTIO = { dataplane: "ambient", trafficApi: "istio" };
const only = (fs: Finding[], code: string) => fs.filter((f) => f.code === code);
const at = (fs: Finding[], code: string) => only(fs, code).map((f) => `${f.resource} ${f.path}`);

describe("ambient gate rules", () => {
    it("the ambient dev stack, in either routing API, has no ambient finding but MESH025's warning", () => {
        expect(findingsFor(AMBIENT).map((f) => f.code)).to.deep.equal([]);
        expect(findingsFor(AMBIENT_ISTIO).map((f) => `${f.severity} ${f.code}`)).to.deep.equal(["warning MESH025"]);
    });

    it("every ambient code may be downgraded explicitly", () => {
        for (const code of ["MESH020", "MESH021", "IST0167", "MESH022", "MESH023", "MESH024", "MESH025"]) expect(DOWNGRADABLE_CODES, code).to.include(code);
    });

    describe("MESH020 AmbientNamespaceAlsoInjected", () => {
        it("fails: the namespace carries istio-injection=enabled as well (the course labelled it by hand)", () => {
            const fs = analyzeEdited((os) => (obj(os, "Namespace", "default").metadata.labels["istio-injection"] = "enabled", os), AMBIENT);
            expect(at(fs, "MESH020")).to.deep.equal(["Namespace default metadata.labels"]);
            expect(only(fs, "MESH020")[0].message).to.include("a pod with a sidecar is not ambient");
        });
        it("fails: an istio.io/rev label turns injection on too", () => {
            const fs = analyzeEdited((os) => (obj(os, "Namespace", "default").metadata.labels["istio.io/rev"] = "canary", os), AMBIENT);
            expect(only(fs, "MESH020")[0].message).to.include("istio.io/rev=canary");
        });
        it("passes: one label each, on either data plane", () => {
            expect(only(findingsFor(AMBIENT), "MESH020")).to.deep.equal([]);
            expect(only(findingsFor(), "MESH020")).to.deep.equal([]);
        });
    });

    describe("MESH021 AuthorizationPolicyL7AtZtunnel", () => {
        const l7 = (os: any[], selector: boolean) => {
            const ap = obj(os, "AuthorizationPolicy", "servicex-service-allow");
            ap.spec.rules[0].to = [{ operation: { methods: ["GET"] } }];
            if (selector) {
                delete ap.spec.targetRefs;
                ap.spec.selector = { matchLabels: { app: "servicex" } };
            }
            return os;
        };
        const raw = { ...AMBIENT, security: { authorization: { "servicex-service": { allowFrom: ["fortio"] } } } };
        it("fails: a sidecar-style L7 policy (selector) left on an ambient workload: deny-all at ztunnel", () => {
            const fs = analyzeEdited((os) => l7(os, true), raw);
            expect(at(fs, "MESH021")).to.deep.equal(["AuthorizationPolicy default/servicex-service-allow spec.rules[0].to[0].operation.methods"]);
            expect(only(fs, "MESH021")[0].message).to.include("denies every call");
        });
        it("passes: the same L7 rule attached by targetRefs; an identity-only policy with a selector; L7 with a selector on sidecar", () => {
            expect(only(analyzeEdited((os) => l7(os, false), raw), "MESH021")).to.deep.equal([]);
            expect(only(findingsFor({ ...raw, services: { "servicex-service": { trafficPolicy: null, destinationRule: null } } }), "MESH021")).to.deep.equal([]);
            expect(only(analyzeEdited((os) => l7(os, false), { security: raw.security }), "MESH021")).to.deep.equal([]);
        });
    });

    describe("IST0167 IneffectivePolicy", () => {
        const none = { dataplane: { mode: "ambient", waypoints: "none" } };
        it("fails: waypoints none leaves the HTTPRoute split and the circuit breaker with no Envoy to apply them", () => {
            const fs = findingsFor(none);
            expect(at(fs, "IST0167")).to.deep.equal(["HTTPRoute default/nginx-vs spec.parentRefs[0]", "DestinationRule default/circuit-breaker-servicex spec.trafficPolicy"]);
        });
        it("fails: with trafficApi istio, the mesh VirtualService; a DISABLE PeerAuthentication; an AuthorizationPolicy targeting a Service without a waypoint", () => {
            const fs = findingsFor({ ...none, trafficApi: "istio", security: { mtls: "DISABLE" } });
            expect(at(fs, "IST0167")).to.include.members(["VirtualService default/nginx-vs spec.hosts[0]", "PeerAuthentication default/default spec.mtls.mode"]);
            const ap = analyzeEdited((os) => {
                const a = obj(os, "AuthorizationPolicy", "servicex-service-allow");
                delete a.spec.selector;
                a.spec.targetRefs = [{ kind: "Service", group: "", name: "servicex-service" }];
                return os;
            }, { ...none, security: { authorization: { "servicex-service": { allowFrom: ["fortio"] } } } });
            expect(at(ap, "IST0167")).to.include("AuthorizationPolicy default/servicex-service-allow spec.targetRefs[0]");
        });
        it("warns: a DestinationRule only the ingress gateway applies", () => {
            const fs = findingsFor({ ...none, trafficApi: "istio", services: { "nginx-service": { virtualService: null, weights: null, trafficPolicy: { loadBalancer: { simple: "RANDOM" } } } } });
            const dr = only(fs, "IST0167").find((f) => f.resource === "DestinationRule default/nginx-dr")!;
            expect(dr.severity).to.equal("warning");
            expect(dr.message).to.include("only the ingress gateway applies");
        });
        it("passes: the same policies with waypoints auto; a DISABLE PeerAuthentication on sidecar", () => {
            expect(only(findingsFor(AMBIENT), "IST0167")).to.deep.equal([]);
            expect(only(findingsFor(AMBIENT_ISTIO), "IST0167")).to.deep.equal([]);
            expect(only(findingsFor({ security: { mtls: "DISABLE" } }), "IST0167")).to.deep.equal([]);
        });
    });

    describe("MESH022 FaultInjectionWithoutAmbientPath", () => {
        const fault = { services: { "nginx-service": { fault: { abort: { httpStatus: 500, percentage: 100 } } } } };
        it("fails: a mesh fault on ambient, naming the fault lessons and the alternative", () => {
            const f = only(findingsFor({ ...AMBIENT_ISTIO, ...fault }), "MESH022");
            expect(f.map((x) => `${x.resource} ${x.path}`)).to.deep.equal(["VirtualService default/nginx-vs spec.http[0].fault"]);
            expect(f[0].message).to.include("12-fault-abort").and.include("HTTPRoute has no fault filter");
            expect(f[0].fix).to.include("sidecar stack");
        });
        it("passes: the same fault on sidecar; a fault at the ingress gateway on ambient", () => {
            expect(only(findingsFor(fault), "MESH022")).to.deep.equal([]);
            const ingressFault = { ...AMBIENT_ISTIO, ingress: { virtualServices: { "nginx-ingress": { fault: { abort: { httpStatus: 500, percentage: 100 } } } } } };
            expect(only(findingsFor(ingressFault), "MESH022")).to.deep.equal([]);
        });
    });

    describe("MESH023 EnvoyFilterWithoutAmbientPath", () => {
        const rl = { security: { rateLimits: { "servicex-service": { requestsPerSecond: 200 } } } };
        it("fails: lesson 18's local rate limit on ambient", () => {
            const f = only(findingsFor({ ...AMBIENT, ...rl }), "MESH023");
            expect(f.map((x) => `${x.resource} ${x.path}`)).to.deep.equal(["EnvoyFilter default/servicex-service-local-ratelimit spec.configPatches"]);
            expect(f[0].message).to.include("lesson 18-security").and.include("silently ignored");
        });
        it("passes: the rate limit on sidecar; an EnvoyFilter patching only the ingress gateway (GATEWAY) on ambient", () => {
            expect(only(findingsFor(rl), "MESH023")).to.deep.equal([]);
            const gw = analyzeEdited((os) => {
                const ef = obj(os, "EnvoyFilter", "servicex-service-local-ratelimit");
                ef.spec.configPatches[0].match.context = "GATEWAY";
                return os;
            }, { ...AMBIENT, ...rl });
            expect(only(gw, "MESH023")).to.deep.equal([]);
        });
    });

    describe("MESH024 SourceLabelsDroppedByWaypoint", () => {
        const withSourceLabels = (os: any[]) => {
            obj(os, "VirtualService", "nginx-vs").spec.http[0].match = [{ sourceLabels: { app: "fortio" } }];
            return os;
        };
        it("fails: a mesh route matched on the caller's labels, on ambient", () => {
            expect(at(analyzeEdited(withSourceLabels, AMBIENT_ISTIO), "MESH024")).to.deep.equal(["VirtualService default/nginx-vs spec.http[0].match[0].sourceLabels"]);
        });
        it("passes: the same route on sidecar", () => {
            expect(only(analyzeEdited(withSourceLabels), "MESH024")).to.deep.equal([]);
        });
    });

    describe("MESH025 VirtualServiceOnWaypoint (a warning)", () => {
        it("warns: a mesh VirtualService on a waypoint (trafficApi istio on ambient)", () => {
            const f = only(findingsFor(AMBIENT_ISTIO), "MESH025");
            expect(f.map((x) => `${x.severity} ${x.resource}`)).to.deep.equal(["warning VirtualService default/nginx-vs"]);
        });
        it("passes: HTTPRoute on ambient (the default); VirtualService on sidecar", () => {
            expect(only(findingsFor(AMBIENT), "MESH025")).to.deep.equal([]);
            expect(only(findingsFor(), "MESH025")).to.deep.equal([]);
        });
    });

    describe("through the gate (config paths and downgrades)", () => {
        it("the rate limit on ambient is refused naming its config path and the downgrade; accepted once downgraded", async () => {
            const text = stackText("dataplane: ambient\nistio-mesh:security: {rateLimits: {servicex-service: {requestsPerSecond: 200}}}");
            const { findings } = await checkStack(text, "dev", { throwOnErrors: false });
            const f = only(findings, "MESH023")[0];
            expect(f.configPath).to.equal("istio-mesh:security.rateLimits.servicex-service");
            expect(f.downgrade).to.include("istio-mesh:analysis.MESH023: warning");
            const accepted = await checkStack(stackText("dataplane: ambient\nistio-mesh:security: {rateLimits: {servicex-service: {requestsPerSecond: 200}}}\nistio-mesh:analysis: {MESH023: warning}"), "dev", { throwOnErrors: false });
            expect(only(accepted.findings, "MESH023")[0].severity).to.equal("warning");
        });
    });
});
