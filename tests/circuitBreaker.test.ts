import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { checkPlan } from "../analysis";
import { parseConfig } from "../config/parse";
import { flattenStackFile, projectValues } from "../config/stackConfig";
import type { K8sObject } from "../mesh/objects";
import { buildPlan } from "../mesh/plan";
import { config, expectProblem } from "./helpers/config";
import { courseManifest } from "./helpers/course";

const DR = "circuit-breaker-servicex";
const drOf = (objects: K8sObject[]) => objects.find((o) => o.kind === "DestinationRule" && o.metadata.name === DR) as any;

describe("circuit breaker (scenario 13)", () => {
    it("the default DestinationRule equals the course's circuit-breaker.yaml (modulo apiVersion v1)", () => {
        expect(drOf(buildPlan(config()).trafficPolicies.destinationRules)).to.deep.equal(courseManifest("13-circuit-breaker.yaml", "DestinationRule", DR));
    });

    it("servicex-service: ClusterIP, port 80 → 8000 named http (Istio detects HTTP), selecting both servicex versions", () => {
        const svc = buildPlan(config()).workloads.find((o) => o.kind === "Service" && o.metadata.name === "servicex-service") as any;
        expect(svc.spec).to.deep.equal({ type: "ClusterIP", selector: { app: "servicex" }, ports: [{ name: "http", port: 80, targetPort: 8000, protocol: "TCP" }] });
    });

    it("every value comes from config: the course's second run (10 errors) and the 5xx alternative", () => {
        const od = (raw: Record<string, unknown>) => drOf(buildPlan(config({ services: { "servicex-service": { trafficPolicy: { outlierDetection: raw } } } })).trafficPolicies.destinationRules).spec.trafficPolicy.outlierDetection;
        expect(od({ consecutiveGatewayErrors: 10, interval: "20s", baseEjectionTime: "30s", maxEjectionPercent: 100 })).to.deep.equal({ consecutiveGatewayErrors: 10, interval: "20s", baseEjectionTime: "30s", maxEjectionPercent: 100 });
        expect(od({ consecutive5xxErrors: 20, interval: "10s", baseEjectionTime: "1m", maxEjectionPercent: 50 })).to.deep.equal({ consecutive5xxErrors: 20, interval: "10s", baseEjectionTime: "1m", maxEjectionPercent: 50 });
    });

    it("the host follows the configured namespace", () => {
        const c = config({ namespace: { name: "lab" } });
        const dr = drOf(buildPlan(c).trafficPolicies.destinationRules);
        expect([dr.metadata.namespace, dr.spec.host]).to.deep.equal(["lab", "servicex-service.lab.svc.cluster.local"]);
    });

    it("a host naming another namespace is rejected, with the hosts that would do", () => {
        expectProblem(
            { namespace: { name: "lab" }, services: { "servicex-service": { destinationRule: { name: DR, host: "servicex-service.default.svc.cluster.local" } } } },
            "istio-mesh:services.servicex-service.destinationRule.host",
            /does not name this service; use .*servicex-service\.lab\.svc\.cluster\.local/,
        );
    });

    it("switched off with `trafficPolicy: null` in the stack file: no DestinationRule, the service and both pods stay", () => {
        const flat = flattenStackFile("config:\n  istio-mesh:services:\n    servicex-service:\n      trafficPolicy: null\n");
        const plan = buildPlan(parseConfig(projectValues(flat.values), "dev"));
        expect(drOf(plan.trafficPolicies.destinationRules)).to.equal(undefined);
        expect(plan.trafficPolicies.destinationRules.map((d) => d.metadata.name)).to.deep.equal(["nginx-dr"]);
        expect(plan.workloads.filter((o) => /^servicex/.test(o.metadata.name)).map((o) => `${o.kind} ${o.metadata.name}`)).to.include.members(["Deployment servicex", "Deployment servicex-error", "Service servicex-service"]);
    });

    describe("with the analyzers (MESH003 reads servicex's env)", () => {
        it("the course's breaker passes: servicex-error fails with 504, a gateway error", async () => {
            const c = config();
            const findings = await checkPlan(c, buildPlan(c));
            expect(findings.filter((f) => f.resource.includes(DR))).to.deep.equal([]);
        });

        it("ERROR_STATUS 500 with consecutiveGatewayErrors: warned, the pod would never be ejected", async () => {
            const c = config({ workloads: { "servicex-error": { env: { error: "yes", ERROR_STATUS: "500" } } } });
            const findings = await checkPlan(c, buildPlan(c));
            const f = findings.find((x) => x.code === "MESH003");
            expect(f, JSON.stringify(findings)).to.not.equal(undefined);
            expect(f!.message).to.include("500");
        });
    });
});

describe("circuit breaker examples (examples/scenarios/13-*)", () => {
    const example = (file: string) => {
        const text = fs.readFileSync(path.join(__dirname, "..", "examples", "scenarios", file), "utf8");
        return buildPlan(parseConfig(projectValues(flattenStackFile(text, file).values), "dev")).trafficPolicies.destinationRules;
    };

    it("13-no-circuit-breaker.yaml removes the DestinationRule", () => {
        expect(drOf(example("13-no-circuit-breaker.yaml"))).to.equal(undefined);
    });

    it("13-circuit-breaker-10-errors.yaml is the course's second run", () => {
        expect(drOf(example("13-circuit-breaker-10-errors.yaml")).spec.trafficPolicy.outlierDetection.consecutiveGatewayErrors).to.equal(10);
    });
});
