import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { K8sObject } from "../mesh/objects";
import { Check, CheckContext, deriveChecks, durationSeconds } from "../verify/checks";
import { callsWithStatus, FortioResult, parseFortioCurl, parseFortioJson, parseFortioText, slowCalls } from "../verify/fortio";
import { MeshProbe, runChecks } from "../verify/run";
import { consistent, wilson } from "../verify/stats";
import { abortRow, circuitBreakerRows, delayRows, formatTable, mtlsRow, splitRows, stickyRows } from "../verify/verdicts";
import { declaredObjects } from "../verify/verify";
import { fakeProbe } from "./helpers/fakeProbe";

const fixture = (f: string) => fs.readFileSync(path.join(__dirname, "fixtures", "fortio", f), "utf8");

/** A fortio `-json -` result built to its documented format (RetCodes, DurationHistogram.Data, ActualQPS). */
function fortioJson(codes: Record<string, number>, buckets: [number, number, number][]): string {
    const count = buckets.reduce((n, b) => n + b[2], 0);
    let cum = 0;
    const data = buckets.map(([s, e, c]) => ((cum += c), { Start: s, End: e, Percent: (100 * cum) / count, Count: c }));
    const sum = buckets.reduce((n, [s, e, c]) => n + ((s + e) / 2) * c, 0);
    return JSON.stringify(
        {
            RunType: "HTTP",
            Labels: "",
            StartTime: "2026-01-01T00:00:00Z",
            RequestedQPS: "max",
            ActualQPS: 12.5,
            ActualDuration: 3200000000,
            NumThreads: 2,
            Version: "1.60.3",
            DurationHistogram: { Count: count, Min: buckets[0][0], Max: buckets[buckets.length - 1][1], Sum: sum, Avg: sum / count, StdDev: 0, Data: data, Percentiles: [{ Percentile: 50, Value: 0.001 }] },
            Exactly: count,
            RetCodes: codes,
            URL: "http://nginx-service:8000",
        },
        null,
        2,
    );
}

describe("verify", () => {
    describe("fortio output", () => {
        it("the course's 200 servicex calls with the circuit breaker: 195 × 200, 5 × 504", () => {
            const r = parseFortioText(fixture("circuit-breaker-200-calls.txt"));
            expect(r.calls).to.equal(200);
            expect(r.codes).to.deep.equal({ "200": 195, "504": 5 });
            expect(r.histogram.buckets).to.have.length(8);
            expect(r.histogram.buckets[0]).to.deep.equal({ start: 0.000438416, end: 0.001, percent: 79, count: 158 });
            expect(r.histogram.buckets.reduce((n, b) => n + b.count, 0)).to.equal(200);
            expect(r.actualQps).to.equal(32.777);
        });
        it("without a breaker: 15 × 200, 4 × 504 and one socket timeout (-1); the error histogram is not mixed in", () => {
            const r = parseFortioText(fixture("servicex-20-calls-no-breaker.txt"));
            expect(r.codes).to.deep.equal({ "-1": 1, "200": 15, "504": 4 });
            expect(r.histogram.buckets.reduce((n, b) => n + b.count, 0)).to.equal(20);
            expect(callsWithStatus(r, 200, 299)).to.equal(15);
        });
        it("a 10s delay at 0 %: 94815 calls, none slow; at 100 %: 40 calls, all ≈ 10s", () => {
            const fast = parseFortioText(fixture("delay-0pct-94815-calls.txt"));
            expect(fast.codes).to.deep.equal({ "200": 94815 });
            expect(slowCalls(fast, 9).count).to.equal(0);
            const slow = parseFortioText(fixture("delay-10s-100pct-40-calls.txt"));
            expect(slow.calls).to.equal(40);
            expect(slowCalls(slow, 9).count).to.equal(40);
            expect(slowCalls(slow, 9).meanSeconds).to.be.closeTo(10.024, 0.001);
        });
        it("the -json - result, even with fortio's JSON log lines around it", () => {
            const text = `{"ts":1707402515.5,"level":"info","msg":"Log level is now 3 Warning"}\n${fortioJson({ "200": 180, "500": 20 }, [[0.0002, 0.001, 150], [0.001, 0.002, 50]])}\n`;
            const r = parseFortioJson(text);
            expect(r.calls).to.equal(200);
            expect(r.codes).to.deep.equal({ "200": 180, "500": 20 });
            expect(r.histogram.buckets[1]).to.deep.equal({ start: 0.001, end: 0.002, percent: 100, count: 50 });
            expect(r.actualQps).to.equal(12.5);
        });
        it("output without a result says so", () => {
            expect(() => parseFortioJson(`{"ts":1,"level":"err","msg":"Aborting because of error 500"}\n`)).to.throw(/no result object with DurationHistogram/);
            expect(() => parseFortioText("command terminated with exit code 1")).to.throw(/Aggregated Function Time/);
        });
        it("fortio curl: status and body", () => {
            expect(parseFortioCurl("HTTP/1.1 200 OK\r\nserver: envoy\r\ncontent-length: 13\r\n\r\nFull Cycle B\n")).to.deep.equal({ status: 200, body: "Full Cycle B\n" });
            expect(parseFortioCurl("HTTP/1.1 503 Service Unavailable\r\n\r\n").status).to.equal(503);
        });
    });

    describe("99 % binomial interval", () => {
        it("90/10 over 200 calls: 175 of 200 on v1 is chance, 150 is not", () => {
            expect(consistent(175, 200, 0.9)).to.equal(true);
            expect(consistent(150, 200, 0.9)).to.equal(false);
        });
        it("Wilson bounds: known values and the edges", () => {
            const i = wilson(20, 200);
            expect(i.low).to.be.closeTo(0.0576, 0.001);
            expect(i.high).to.be.closeTo(0.1678, 0.001);
            expect(consistent(0, 200, 0)).to.equal(true);
            expect(consistent(200, 200, 1)).to.equal(true);
            expect(consistent(3, 200, 0)).to.equal(false);
        });
    });

    describe("checks derived from the declared objects", () => {
        const svc = (name: string, selector: Record<string, string>, port = 8000): K8sObject => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: "default" }, spec: { selector, ports: [{ port }] } });
        const base: CheckContext = {
            namespace: "default",
            ingressUrl: "http://127.0.0.1:8000",
            workloads: [
                { name: "nginx", labels: { app: "nginx", version: "A" }, replicas: 1, env: {}, indexHtml: "Full Cycle A" },
                { name: "nginx-b", labels: { app: "nginx", version: "B" }, replicas: 1, env: {}, indexHtml: "Full Cycle B" },
                { name: "servicex", labels: { app: "servicex", version: "200" }, replicas: 1, env: {} },
                { name: "servicex-error", labels: { app: "servicex", version: "504" }, replicas: 1, env: { error: "yes" } },
            ],
            objects: [
                svc("nginx-service", { app: "nginx" }),
                svc("servicex-service", { app: "servicex" }, 80),
                { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "nginx-dr" }, spec: { host: "nginx-service", subsets: [{ name: "v1", labels: { version: "A" } }, { name: "v2", labels: { version: "B" } }] } },
                { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "nginx-vs" }, spec: { hosts: ["nginx-service"], http: [{ route: [{ destination: { host: "nginx-service", subset: "v1" }, weight: 90 }, { destination: { host: "nginx-service", subset: "v2" }, weight: 10 }] }] } },
                {
                    apiVersion: "networking.istio.io/v1",
                    kind: "VirtualService",
                    metadata: { name: "nginx-ingress" },
                    spec: { hosts: ["*"], gateways: ["ingress-gateway-k3d"], http: [{ match: [{ uri: { prefix: "/b" } }], route: [{ destination: { host: "nginx-service", subset: "v2" } }] }, { route: [{ destination: { host: "nginx-service", subset: "v1" } }] }] },
                },
            ],
        };

        it("the course's lab: a 90/10 mesh split and two ingress prefixes answering A and B", () => {
            const checks = deriveChecks(base);
            expect(checks).to.deep.equal([
                { kind: "split", policy: "nginx-vs", via: "mesh", url: "http://nginx-service:8000/", request: { path: "/", host: undefined, headers: {} }, destinations: [{ label: "v1", share: 0.9, answer: "Full Cycle A" }, { label: "v2", share: 0.1, answer: "Full Cycle B" }] },
                { kind: "split", policy: "nginx-ingress http[0] /b", via: "ingress", url: "http://127.0.0.1:8000/b", request: { path: "/b", host: undefined, headers: {} }, destinations: [{ label: "v2", share: 1, answer: "Full Cycle B" }] },
                { kind: "split", policy: "nginx-ingress http[1]", via: "ingress", url: "http://127.0.0.1:8000/", request: { path: "/", host: undefined, headers: {} }, destinations: [{ label: "v1", share: 1, answer: "Full Cycle A" }] },
            ]);
        });

        it("fault delay/abort, sticky sessions, the circuit breaker and STRICT mTLS; kinds that are absent give nothing", () => {
            const objects: K8sObject[] = [
                ...base.objects.filter((o) => o.kind === "Service"),
                { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "nginx-dr" }, spec: { host: "nginx-service", trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: "x-user" } } }, subsets: [{ name: "all", labels: { app: "nginx" } }] } },
                { apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: "nginx-vs" }, spec: { hosts: ["nginx-service"], http: [{ fault: { delay: { fixedDelay: "10s", percentage: { value: 50 } }, abort: { httpStatus: 500, percentage: { value: 10 } } }, route: [{ destination: { host: "nginx-service", subset: "all" } }] }] } },
                { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "circuit-breaker-servicex" }, spec: { host: "servicex-service.default.svc.cluster.local", trafficPolicy: { outlierDetection: { consecutiveGatewayErrors: 5, interval: "20s", baseEjectionTime: "30s", maxEjectionPercent: 100 } } } },
                { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name: "default", namespace: "default" }, spec: { mtls: { mode: "STRICT" } } },
                { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "fortio-outside", namespace: "default" }, spec: {} },
            ];
            const checks = deriveChecks({ ...base, objects });
            const by = (k: Check["kind"]) => checks.filter((c) => c.kind === k);
            expect(by("delay")).to.deep.equal([{ kind: "delay", policy: "nginx-vs", url: "http://nginx-service:8000/", request: { path: "/", host: undefined, headers: {} }, fixedDelaySeconds: 10, percent: 50 }]);
            expect(by("abort")).to.deep.equal([{ kind: "abort", policy: "nginx-vs", url: "http://nginx-service:8000/", request: { path: "/", host: undefined, headers: {} }, httpStatus: 500, percent: 10 }]);
            expect(by("split")).to.deep.equal([]); // a faulted route says nothing about a split
            expect(by("sticky")).to.deep.equal([{ kind: "sticky", policy: "nginx-dr", url: "http://nginx-service:8000/", hashOn: { header: "x-user", cookie: undefined, query: undefined, sourceIp: undefined }, answers: ["Full Cycle A", "Full Cycle B"] }]);
            expect(by("circuitBreaker")).to.deep.equal([{ kind: "circuitBreaker", policy: "circuit-breaker-servicex", url: "http://servicex-service:80/", threshold: 5, field: "consecutiveGatewayErrors", failingPods: 1 }]);
            expect(by("mtls").map((c) => c.kind === "mtls" && `${c.mode} ${c.url} control ${c.controlUrl}`)).to.deep.equal([
                "STRICT http://nginx-service.default:8000/ control http://fortio-outside.default:8080/",
                "STRICT http://servicex-service.default:80/ control http://fortio-outside.default:8080/",
            ]);
            // Without a client outside the mesh there is nothing to make the plain-text call: SKIP, never PASS.
            const noClient = deriveChecks({ ...base, objects: objects.filter((o) => o.kind !== "Deployment") }).filter((c) => c.policy === "default");
            expect(noClient).to.deep.equal([{ kind: "skip", policy: "default", what: "mTLS STRICT", reason: "no client outside the mesh (fortio-outside) is deployed to make the plain-text call" }]);
            expect(deriveChecks({ ...base, objects: base.objects.filter((o) => o.kind === "Service") })).to.deep.equal([]);
        });

        it("a subset whose version cannot be told from its page is skipped with the reason", () => {
            const workloads = base.workloads.map((w) => (w.name === "nginx-b" ? { ...w, indexHtml: undefined } : w));
            const mesh = deriveChecks({ ...base, workloads }).find((c) => c.policy === "nginx-vs");
            expect(mesh).to.deep.include({ kind: "skip" });
            expect(mesh!.kind === "skip" && mesh!.reason).to.match(/cannot tell which version answered for v2: give its workloads distinct indexHtml pages/);
        });

        it("every object of the plan is read, whatever groups it is kept in", () => {
            const vsObj = base.objects[3];
            const pa = { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name: "default" }, spec: {} };
            expect(declaredObjects({ workloads: [base.objects[0]], trafficPolicies: { virtualServices: [vsObj], peerAuthentications: [pa], note: "x" } })).to.deep.equal([base.objects[0], vsObj, pa]);
            expect(durationSeconds("250ms")).to.equal(0.25);
            expect(durationSeconds("10s")).to.equal(10);
            expect(durationSeconds("1m30s")).to.equal(90);
            expect(durationSeconds("ten seconds")).to.equal(undefined);
        });
    });

    describe("verdicts", () => {
        const dests = [{ label: "v1", share: 0.9, answer: "Full Cycle A" }, { label: "v2", share: 0.1, answer: "Full Cycle B" }];
        const answers = (a: number, b: number, other = 0) => [
            ...Array.from({ length: a }, () => ({ status: 200, body: "Full Cycle A\n" })),
            ...Array.from({ length: b }, () => ({ status: 200, body: "Full Cycle B\n" })),
            ...Array.from({ length: other }, () => ({ status: 503, body: "no healthy upstream" })),
        ];
        it("canary split: 178/22 passes, 150/50 fails, unexpected answers fail", () => {
            expect(splitRows("nginx-vs", "split", dests, answers(178, 22)).map((r) => r.verdict)).to.deep.equal(["PASS", "PASS"]);
            const bad = splitRows("nginx-vs", "split", dests, answers(150, 50));
            expect(bad.map((r) => r.verdict)).to.deep.equal(["FAIL", "FAIL"]);
            expect(bad[0].observed).to.match(/^75\.0 % \(150\/200; 99 % interval/);
            expect(splitRows("nginx-vs", "split", dests, answers(178, 20, 2)).map((r) => r.verdict)).to.deep.equal(["PASS", "PASS", "FAIL"]);
        });
        it("sticky: one version per key passes; a key on two versions fails and is named", () => {
            expect(stickyRows("nginx-dr", "header x-user", new Map([["u1", ["A", "A"]], ["u2", ["B", "B"]]])).verdict).to.equal("PASS");
            const r = stickyRows("nginx-dr", "header x-user", new Map([["u1", ["A", "B"]], ["u2", ["B", "B"]]]));
            expect(r.verdict).to.equal("FAIL");
            expect(r.observed).to.include("u1 → A / B");
        });
        it("delay: the course's 10s at 100 % run passes for 100 % and fails for 50 %; at 0 % nothing is slow", () => {
            const slow = parseFortioText(fixture("delay-10s-100pct-40-calls.txt"));
            expect(delayRows("nginx-vs", 10, 100, slow).map((r) => r.verdict)).to.deep.equal(["PASS", "PASS"]);
            expect(delayRows("nginx-vs", 10, 50, slow)[0].verdict).to.equal("FAIL");
            expect(delayRows("nginx-vs", 10, 0, parseFortioText(fixture("delay-0pct-94815-calls.txt"))).map((r) => r.verdict)).to.deep.equal(["PASS"]);
            expect(delayRows("nginx-vs", 5, 100, slow)[1].verdict).to.equal("FAIL"); // 10s observed for a declared 5s
        });
        it("abort: status and rate", () => {
            const r: FortioResult = parseFortioJson(fortioJson({ "200": 180, "500": 20 }, [[0, 0.001, 200]]));
            expect(abortRow("nginx-vs", 500, 10, r).verdict).to.equal("PASS");
            expect(abortRow("nginx-vs", 500, 50, r).verdict).to.equal("FAIL");
            expect(abortRow("nginx-vs", 503, 10, r).verdict).to.equal("FAIL");
        });
        it("circuit breaker: the course's 195/5 then 200/200 passes; 100 errors (no breaker) fails", () => {
            const first = parseFortioText(fixture("circuit-breaker-200-calls.txt"));
            const second = parseFortioJson(fortioJson({ "200": 200 }, [[0.0004, 0.001, 200]]));
            expect(circuitBreakerRows("cb", "consecutiveGatewayErrors", 5, 1, 2, first, second).map((r) => r.verdict)).to.deep.equal(["PASS", "PASS"]);
            const noBreaker = parseFortioJson(fortioJson({ "200": 100, "504": 100 }, [[0.0004, 5, 200]]));
            expect(circuitBreakerRows("cb", "consecutiveGatewayErrors", 5, 1, 2, noBreaker, noBreaker).map((r) => r.verdict)).to.deep.equal(["FAIL", "FAIL"]);
        });
        describe("mTLS from a pod without a sidecar (table)", () => {
            const ok = { status: 200 };
            const reset = { error: '{"level":"err","msg":"Read error","err":"read tcp 10.42.0.9:41234->10.43.12.7:8000: read: connection reset by peer","size":0}' };
            const eof = { error: '{"level":"err","msg":"Read error","err":"EOF","size":0}' };
            const rows: [string, string, { status?: number; error?: string }, { status?: number; error?: string }, string][] = [
                ["STRICT, reset before headers, control answered", "STRICT", ok, reset, "PASS"],
                ["STRICT, EOF before headers", "STRICT", ok, eof, "PASS"],
                ["STRICT, answered in plain text", "STRICT", ok, { status: 200 }, "FAIL"],
                ["STRICT, a 503 is an answer, not a refusal", "STRICT", ok, { status: 503 }, "FAIL"],
                ["STRICT, DNS failure is no signature", "STRICT", ok, { error: "lookup nginx-service.default: no such host" }, "ERROR"],
                ["STRICT, connection refused is no signature", "STRICT", ok, { error: "dial tcp 10.43.1.2:8000: connect: connection refused" }, "ERROR"],
                ["STRICT, a client error is no refusal", "STRICT", ok, { error: "HTTP protocol is not allowed when skipTLSVerify is set" }, "ERROR"],
                ["STRICT, the control fails: the client is broken", "STRICT", { error: "no such host" }, reset, "ERROR"],
                ["STRICT, the control was reset too", "STRICT", reset, reset, "ERROR"],
                ["PERMISSIVE, answered", "PERMISSIVE", ok, { status: 200 }, "PASS"],
                ["PERMISSIVE, a 403 still answered in plain text", "PERMISSIVE", ok, { status: 403 }, "PASS"],
                ["PERMISSIVE, reset", "PERMISSIVE", ok, reset, "FAIL"],
                ["PERMISSIVE, a timeout proves nothing", "PERMISSIVE", ok, { error: "i/o timeout" }, "ERROR"],
            ];
            for (const [name, mode, control, call, verdict] of rows) {
                it(`${name} → ${verdict}`, () => expect(mtlsRow("default", mode, "nginx-service.default:8000", control, call).verdict).to.equal(verdict));
            }
        });
        it("the table has policy, expected, observed and verdict columns", () => {
            const t = formatTable(splitRows("nginx-vs", "split", dests, answers(178, 22)));
            expect(t.split("\n")[0]).to.match(/^policy\s+check\s+expected\s+observed\s+verdict$/);
            expect(t).to.match(/nginx-vs\s+split: v1 \("Full Cycle A"\)\s+90 %\s+89\.0 % \(178\/200.*PASS/);
        });
    });

    describe("running the checks through a probe (fake cluster)", () => {
        it("drives the probe per check; a probe failure is ERROR, an answered plain-text call under STRICT is FAIL", async () => {
            const calls: string[] = [];
            let n = 0;
            const probe: MeshProbe = {
                ...fakeProbe(),
                curl: async (url) => (calls.push(`curl ${url}`), { status: 200, body: n++ % 10 === 0 ? "Full Cycle B" : "Full Cycle A" }),
                ingress: async (url, h) => (calls.push(`ingress ${url} ${JSON.stringify(h)}`), { status: 200, body: "Full Cycle A" }),
                load: async () => {
                    throw new Error("no running pod labelled app=fortio in namespace default");
                },
                send: async (from) => (from === "outside" && calls.push("outside"), { status: 503 }),
            };
            const checks: Check[] = [
                { kind: "split", policy: "nginx-vs", via: "mesh", url: "http://nginx-service:8000/", request: { path: "/", headers: {} }, destinations: [{ label: "v1", share: 0.9, answer: "Full Cycle A" }, { label: "v2", share: 0.1, answer: "Full Cycle B" }] },
                { kind: "split", policy: "a.fullcycle", via: "ingress", url: "http://127.0.0.1:8000/", request: { path: "/", host: "a.fullcycle", headers: {} }, destinations: [{ label: "v1", share: 1, answer: "Full Cycle A" }] },
                { kind: "abort", policy: "nginx-vs", url: "http://nginx-service:8000/", request: { path: "/", headers: {} }, httpStatus: 500, percent: 100 },
                { kind: "mtls", policy: "default", mode: "STRICT", namespace: "default", service: "nginx-service", port: 8000, url: "http://nginx-service.default:8000/", controlUrl: "http://fortio-outside.default:8080/" },
            ];
            const rows = await runChecks(checks, probe, { samples: 100, stickyKeys: 2, stickyCalls: 2, log: () => undefined });
            expect(rows.map((r) => `${r.policy} ${r.verdict}`)).to.deep.equal(["nginx-vs PASS", "nginx-vs PASS", "a.fullcycle PASS", "nginx-vs ERROR", "default FAIL"]);
            expect(rows[3].reason).to.include("no running pod labelled app=fortio");
            expect(calls.filter((c) => c.startsWith("curl"))).to.have.length(100);
            expect(calls.find((c) => c.startsWith("ingress"))).to.include('"Host":"a.fullcycle"');
        });
    });
});
