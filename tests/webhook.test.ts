import { expect } from "chai";
import { webhookFindings } from "../analysis/webhook";
import { durationProblem, parseDuration } from "../config/duration";
import type { K8sObject } from "../mesh/objects";

const vs = (http: unknown[]): K8sObject => ({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "vs", namespace: "default" }, spec: { hosts: ["nginx-service"], http } });
const dr = (spec: Record<string, unknown>): K8sObject => ({ apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "dr", namespace: "default" }, spec: { host: "nginx-service", ...spec } });
const route2 = (w1: number, w2: number) => [{ destination: { host: "nginx-service", subset: "v1" }, weight: w1 }, { destination: { host: "nginx-service", subset: "v2" }, weight: w2 }];

function expectRejected(o: K8sObject, code: string, path: string, message: RegExp): void {
    const fs = webhookFindings([o]);
    const hit = fs.find((f) => f.code === code && f.path === path);
    expect(hit, `expected ${code} at ${path}; got ${JSON.stringify(fs)}`).to.not.equal(undefined);
    expect(hit!.severity).to.equal("error");
    expect(hit!.message).to.match(message);
    expect(hit!.fix).to.be.a("string").and.not.equal("");
}

const expectAccepted = (o: K8sObject) => expect(webhookFindings([o])).to.deep.equal([]);

describe("webhook rules (Istio's pkg/config/validation, offline)", () => {
    it("WH001 rejects a negative weight", () => expectRejected(vs([{ route: route2(-10, 110) }]), "WH001", "spec.http[0].route[0].weight", /negative/));
    it("WH001 rejects all-zero weights over several destinations", () => expectRejected(vs([{ route: route2(0, 0) }]), "WH001", "spec.http[0].route", /all 2 destinations have weight 0/));
    it("WH001 accepts weights that do not sum to 100, and 100/0", () => {
        expectAccepted(vs([{ route: route2(3, 1) }]));
        expectAccepted(vs([{ route: route2(100, 0) }]));
    });

    it("WH002 rejects a fault percentage above 100", () => expectRejected(vs([{ fault: { delay: { fixedDelay: "1s", percentage: { value: 150 } } }, route: route2(1, 1) }]), "WH002", "spec.http[0].fault.delay.percentage.value", /outside \[0, 100\]/));
    it("WH002 rejects a negative abort percentage", () => expectRejected(vs([{ fault: { abort: { httpStatus: 500, percentage: { value: -1 } } }, route: route2(1, 1) }]), "WH002", "spec.http[0].fault.abort.percentage.value", /outside/));
    it("WH002 rejects an abort status outside 200–600", () => expectRejected(vs([{ fault: { abort: { httpStatus: 700, percentage: { value: 10 } } }, route: route2(1, 1) }]), "WH002", "spec.http[0].fault.abort.httpStatus", /700 is outside 200–600/));
    it("WH002 rejects a fault with neither delay nor abort", () => expectRejected(vs([{ fault: {}, route: route2(1, 1) }]), "WH002", "spec.http[0].fault", /needs a delay or an abort/));
    it("WH002 accepts delay 10s at 100 % and abort 500 at 0 %", () => expectAccepted(vs([{ fault: { delay: { fixedDelay: "10s", percentage: { value: 100 } }, abort: { httpStatus: 500, percentage: { value: 0 } } }, route: route2(1, 1) }])));

    it("WH003 rejects a duration under 1ms", () => expectRejected(vs([{ timeout: "500us", route: route2(1, 1) }]), "WH003", "spec.http[0].timeout", /shorter than 1ms/));
    it("WH003 rejects a duration that is not whole milliseconds", () => expectRejected(dr({ trafficPolicy: { outlierDetection: { interval: "1.0005s" } } }), "WH003", "spec.trafficPolicy.outlierDetection.interval", /whole number of milliseconds/));
    it("WH003 rejects something that is not a duration", () => expectRejected(vs([{ retries: { attempts: 1, perTryTimeout: "2 seconds" }, route: route2(1, 1) }]), "WH003", "spec.http[0].retries.perTryTimeout", /not a duration/));
    it("WH003 accepts 10s, 250ms, 1m30s, 0.5s", () => {
        for (const d of ["10s", "250ms", "1m30s", "0.5s"]) expectAccepted(vs([{ timeout: d, route: route2(1, 1) }]));
        expect(parseDuration("1m30s")).to.equal(90e9);
        expect(durationProblem("1ms")).to.equal(undefined);
    });

    it("WH004 rejects negative retry attempts", () => expectRejected(vs([{ retries: { attempts: -1 }, route: route2(1, 1) }]), "WH004", "spec.http[0].retries.attempts", /negative/));
    it("WH004 rejects attempts 0 with perTryTimeout or retryOn", () => expectRejected(vs([{ retries: { attempts: 0, retryOn: "5xx" }, route: route2(1, 1) }]), "WH004", "spec.http[0].retries", /attempts is 0 but perTryTimeout\/retryOn/));
    it("WH004 accepts attempts 0 alone (retries off) and attempts 3 with perTryTimeout", () => {
        expectAccepted(vs([{ retries: { attempts: 0 }, route: route2(1, 1) }]));
        expectAccepted(vs([{ retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx" }, route: route2(1, 1) }]));
    });

    it("WH005 rejects maxEjectionPercent above 100", () => expectRejected(dr({ trafficPolicy: { outlierDetection: { maxEjectionPercent: 101 } } }), "WH005", "spec.trafficPolicy.outlierDetection.maxEjectionPercent", /outside 0–100/));
    it("WH005 rejects a negative minHealthPercent in a subset's policy", () =>
        expectRejected(dr({ subsets: [{ name: "v1", labels: { version: "A" }, trafficPolicy: { outlierDetection: { minHealthPercent: -5 } } }] }), "WH005", "spec.subsets[0].trafficPolicy.outlierDetection.minHealthPercent", /outside 0–100/));
    it("WH005 accepts the course's breaker (maxEjectionPercent 100)", () => expectAccepted(dr({ trafficPolicy: { outlierDetection: { consecutiveGatewayErrors: 5, interval: "20s", baseEjectionTime: "30s", maxEjectionPercent: 100 } } })));

    it("WH006 rejects an httpCookie hash without a name", () => expectRejected(dr({ trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { ttl: "10s" } } } } }), "WH006", "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name", /no name/));
    it("WH006 rejects a maglev table size that is not prime", () => expectRejected(dr({ trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: "x-user", maglev: { tableSize: 65536 } } } } }), "WH006", "spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize", /not prime/));
    it("WH006 accepts a named cookie and a prime maglev table", () => expectAccepted(dr({ trafficPolicy: { loadBalancer: { consistentHash: { httpCookie: { name: "user", ttl: "10s" }, maglev: { tableSize: 65537 } } } } })));
});
