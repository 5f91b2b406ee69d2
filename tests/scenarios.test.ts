import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { checkPlan } from "../analysis";
import { parseConfig } from "../config/parse";
import { flattenStackFile, projectValues } from "../config/stackConfig";
import type { MeshConfig } from "../config/types";
import { buildPlan, MeshPlan } from "../mesh/plan";
import type { K8sObject } from "../mesh/objects";
import { courseManifests } from "./helpers/course";

const EXAMPLES = path.join(__dirname, "..", "examples", "scenarios");

function example(file: string): { cfg: MeshConfig; plan: MeshPlan } {
    const flat = flattenStackFile(fs.readFileSync(path.join(EXAMPLES, file), "utf8"), file);
    const cfg = parseConfig(projectValues(flat.values), "dev");
    return { cfg, plan: buildPlan(cfg) };
}

const istioObjects = (plan: MeshPlan): K8sObject[] => [...plan.trafficPolicies.destinationRules, ...plan.trafficPolicies.virtualServices, ...plan.trafficPolicies.gateways];

function find(objs: K8sObject[], kind: string, name: string): K8sObject {
    const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
    if (!o) throw new Error(`no ${kind} ${name}; have ${objs.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`);
    return o;
}

/** Every object of the course's manifest file is rendered exactly (modulo apiVersion v1, LEAST_REQUEST, namespace). */
function expectCourse(plan: MeshPlan, fixture: string): void {
    for (const course of courseManifests(fixture)) {
        expect(find(istioObjects(plan), course.kind, course.metadata.name), `${fixture}: ${course.kind} ${course.metadata.name}`).to.deep.equal(course);
    }
}

const weightsOf = (vs: K8sObject) => ((vs.spec as any).http[0].route as any[]).map((r) => [r.destination.subset, r.weight]);

describe("course scenarios as stack config (examples/scenarios)", () => {
    it("every example parses, renders and passes all checks with no error", async function () {
        this.timeout(20000);
        const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml"));
        expect(files.length).to.be.at.least(12);
        for (const f of files) {
            const { cfg, plan } = example(f);
            const errors = (await checkPlan(cfg, plan)).filter((x) => x.severity === "error");
            expect(errors, f).to.deep.equal([]);
        }
    });

    it("9: canary 75/25, 20/80 (with 8/18 pods) and the default 90/10", () => {
        expect(weightsOf(find(istioObjects(example("09-canary-75-25.yaml").plan), "VirtualService", "nginx-vs"))).to.deep.equal([["v1", 75], ["v2", 25]]);
        const p = example("09-canary-20-80.yaml");
        expect(weightsOf(find(istioObjects(p.plan), "VirtualService", "nginx-vs"))).to.deep.equal([["v1", 20], ["v2", 80]]);
        expect(p.cfg.workloads.filter((w) => w.labels.app === "nginx").map((w) => w.replicas)).to.deep.equal([8, 18]);
        expectCourse(buildPlan(parseConfig({}, "dev")), "09-canary.yaml");
    });

    it("9: the ingress VirtualService carries the same split, so localhost:8000 obeys it", () => {
        const objs = istioObjects(example("09-canary-75-25.yaml").plan);
        expect(weightsOf(find(objs, "VirtualService", "nginx-ingress"))).to.deep.equal([["v1", 75], ["v2", 25]]);
    });

    it("10: ROUND_ROBIN host-wide, v1 LEAST_REQUEST (course: LEAST_CONN)", () => {
        expectCourse(example("10-load-balancer.yaml").plan, "10-load-balancer.yaml");
    });

    it("10: RANDOM host-wide, v1 LEAST_REQUEST", () => {
        expectCourse(example("10-load-balancer-random.yaml").plan, "10-load-balancer-random.yaml");
    });

    it("10: LEAST_CONN as the course wrote it is accepted, rendered LEAST_REQUEST, with a deprecation warning", async () => {
        const cfg = parseConfig({ services: { "nginx-service": { trafficPolicy: { loadBalancer: { simple: "ROUND_ROBIN" } }, subsets: { v1: { labels: { version: "A" }, trafficPolicy: { loadBalancer: { simple: "LEAST_CONN" } } }, v2: { version: "B" } } } } }, "dev");
        expectCourse(buildPlan(cfg), "10-load-balancer.yaml");
        const warnings = (await checkPlan(cfg, buildPlan(cfg))).filter((f) => f.code === "CONFIG");
        expect(warnings.map((w) => w.path)).to.deep.equal(["istio-mesh:services.nginx-service.subsets.v1.trafficPolicy.loadBalancer.simple"]);
        expect(warnings[0].message).to.match(/LEAST_CONN is deprecated.*LEAST_REQUEST/);
    });

    it("11: x-user header hash over the single subset all", () => {
        expectCourse(example("11-sticky-sessions.yaml").plan, "11-consistent-hash.yaml");
    });

    it("11: other hash keys: httpCookie, useSourceIp, httpQueryParameterName, with ringHash or maglev", () => {
        for (const consistentHash of [
            { httpCookie: { name: "user", ttl: "60s" } },
            { useSourceIp: true },
            { httpQueryParameterName: "user", maglev: { tableSize: 65537 } },
            { httpHeaderName: "x-user", ringHash: { minimumRingSize: 1024 } },
        ]) {
            const cfg = parseConfig({ services: { "nginx-service": { subsets: { all: { app: "nginx" } }, weights: { all: 100 }, trafficPolicy: { loadBalancer: { consistentHash } } } } }, "dev");
            const dr = find(istioObjects(buildPlan(cfg)), "DestinationRule", "nginx-dr") as any;
            expect(dr.spec.trafficPolicy.loadBalancer.consistentHash).to.deep.equal(consistentHash);
        }
    });

    it("11: sticky canary — pinned requests match their subset, others split 90/10 and get pinned", () => {
        const vs = find(istioObjects(example("11-sticky-canary.yaml").plan), "VirtualService", "nginx-vs") as any;
        const [pinV1, pinV2, split] = vs.spec.http;
        expect(pinV1).to.deep.equal({ match: [{ headers: { cookie: { regex: "^(.*?; ?)?nginx-version=v1(;.*)?$" } } }], route: [{ destination: { host: "nginx-service", subset: "v1" } }] });
        expect(pinV2.route[0].destination.subset).to.equal("v2");
        expect(split.route.map((r: any) => [r.destination.subset, r.weight, r.headers.response.add["set-cookie"]])).to.deep.equal([
            ["v1", 90, "nginx-version=v1; Path=/; Max-Age=3600; HttpOnly"],
            ["v2", 10, "nginx-version=v2; Path=/; Max-Age=3600; HttpOnly"],
        ]);
        for (const v1 of ["nginx-version=v1", "a=b; nginx-version=v1", "nginx-version=v1; a=b"]) expect(new RegExp(pinV1.match[0].headers.cookie.regex).test(v1), v1).to.equal(true);
        for (const other of ["nginx-version=v2", "xnginx-version=v1", "nginx-version=v10"]) expect(new RegExp(pinV1.match[0].headers.cookie.regex).test(other), other).to.equal(false);
    });

    it("11: sticky canary holds at the ingress gateway too, also under a URI prefix", () => {
        const ingress = find(istioObjects(example("11-sticky-canary.yaml").plan), "VirtualService", "nginx-ingress") as any;
        expect(ingress.spec.http).to.deep.equal((find(istioObjects(example("11-sticky-canary.yaml").plan), "VirtualService", "nginx-vs") as any).spec.http);
        const cfg = parseConfig({ services: { "nginx-service": { stickyCanary: true } }, ingress: { virtualServices: { "nginx-ingress": { routes: [{ prefix: "/shop" }] } } } }, "dev");
        const http = (find(istioObjects(buildPlan(cfg)), "VirtualService", "nginx-ingress") as any).spec.http;
        expect(http[0].match).to.deep.equal([{ uri: { prefix: "/shop" }, headers: { cookie: { regex: "^(.*?; ?)?istio-mesh-subset=v1(;.*)?$" } } }]);
        expect(http[2].match).to.deep.equal([{ uri: { prefix: "/shop" } }]);
        expect(http[2].route.map((r: any) => r.weight)).to.deep.equal([90, 10]);
    });

    it("11: sticky canary by header", () => {
        const cfg = parseConfig({ services: { "nginx-service": { stickyCanary: { header: "X-Version" } } } }, "dev");
        const vs = find(istioObjects(buildPlan(cfg)), "VirtualService", "nginx-vs") as any;
        expect(vs.spec.http[0].match).to.deep.equal([{ headers: { "x-version": { exact: "v1" } } }]);
        expect(vs.spec.http[2].route[0].headers).to.deep.equal({ response: { set: { "x-version": "v1" } } });
    });

    it("12: delay 10 s at 100 %, then 50 % and 0 %", () => {
        const { plan } = example("12-fault-delay.yaml");
        expectCourse(plan, "12-fault-delay.yaml");
        for (const percentage of [50, 0]) {
            const flat = flattenStackFile(fs.readFileSync(path.join(EXAMPLES, "12-fault-delay.yaml"), "utf8"));
            const raw = projectValues(flat.values) as any;
            raw.services["nginx-service"].fault.delay.percentage = percentage;
            const vs = find(istioObjects(buildPlan(parseConfig(raw, "dev"))), "VirtualService", "nginx-vs") as any;
            expect(vs.spec.http[0].fault).to.deep.equal({ delay: { fixedDelay: "10s", percentage: { value: percentage } } });
        }
    });

    it("12: abort 500 at 100 %", () => {
        expectCourse(example("12-fault-abort.yaml").plan, "12-fault-abort.yaml");
    });

    it("14: retries 3 and a timeout on the mesh route", () => {
        const vs = find(istioObjects(example("14-retries-timeout.yaml").plan), "VirtualService", "nginx-vs") as any;
        expect(vs.spec.http[0].retries).to.deep.equal({ attempts: 3, perTryTimeout: "2s", retryOn: "5xx,connect-failure,reset" });
        expect(vs.spec.http[0].timeout).to.equal("10s");
    });

    it("15: the course's gateway.yaml — Gateway, nginx-vs at the gateway with 100/0, RANDOM + LEAST_REQUEST", () => {
        const { plan } = example("15-ingress-gateway.yaml");
        expectCourse(plan, "15-gateway-vs.yaml");
        expect(plan.trafficPolicies.virtualServices.map((v) => v.metadata.name)).to.deep.equal(["nginx-vs"]);
    });

    it("16: prefix /b → v2, / → v1", () => {
        expectCourse(example("16-prefix-routing.yaml").plan, "16-prefix-routing.yaml");
    });

    it("17: hosts a.fullcycle → v1 and b.fullcycle → v2 under Gateway hosts *.fullcycle", () => {
        const { plan } = example("17-host-routing.yaml");
        expectCourse(plan, "17-host-routing.yaml");
        expect(plan.trafficPolicies.destinationRules.filter((d) => (d.spec as any).host === "nginx-service").map((d) => d.metadata.name)).to.deep.equal(["nginx-dr"]);
    });
});

describe("course scenario 18: security (examples/scenarios/18-security.yaml)", () => {
    const { plan } = example("18-security.yaml");
    const sec = plan.trafficPolicies.security;

    it("STRICT mTLS, and only fortio's identity may call servicex-service", () => {
        expect((find(sec, "PeerAuthentication", "default").spec as any).mtls.mode).to.equal("STRICT");
        const ap = find(sec, "AuthorizationPolicy", "servicex-service-allow") as any;
        expect(ap.spec.selector.matchLabels).to.deep.equal({ app: "servicex" });
        expect(ap.spec.rules[0].from[0].source.principals).to.deep.equal(["cluster.local/ns/default/sa/fortio-deploy"]);
        const fortio = find(plan.workloads, "Deployment", "fortio-deploy") as any;
        expect(fortio.spec.template.spec.serviceAccountName, "fortio runs as the identity the policy names").to.equal("fortio-deploy");
    });

    it("200 requests per second on servicex's sidecars", () => {
        const ef = find(sec, "EnvoyFilter", "servicex-service-local-ratelimit") as any;
        expect(ef.spec.workloadSelector.labels).to.deep.equal({ app: "servicex" });
        expect(ef.spec.configPatches[0].patch.value.typed_config.value.token_bucket.tokens_per_fill).to.equal(200);
    });

    it("httpbin.org as a ServiceEntry with a 3 s timeout from the mesh", () => {
        expect(find(plan.trafficPolicies.serviceEntries, "ServiceEntry", "httpbin")).to.not.equal(undefined);
        expect((find(plan.trafficPolicies.virtualServices, "VirtualService", "httpbin-timeout") as any).spec.http[0].timeout).to.equal("3s");
    });
});
