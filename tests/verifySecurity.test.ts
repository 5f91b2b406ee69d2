import { expect } from "chai";
import { buildPlan } from "../mesh/plan";
import { OUTSIDE_CLIENT, STRANGER_CLIENT, verifyClientsFor } from "../mesh/kubernetes/verifyClients";
import type { Check } from "../verify/checks";
import { describeCheck } from "../verify/checks";
import { unsynced } from "../verify/convergence";
import { counter, runChecks } from "../verify/run";
import { authzRow, egressRow, rateLimitRow, retriesRow, timeoutRow } from "../verify/verdicts";
import { checkContextFor, deriveChecks } from "../verify/verify";
import { config } from "./helpers/config";
import { fakeProbe, fortioResult, RESET } from "./helpers/fakeProbe";

/** The course's security lesson (examples/scenarios/18-security.yaml) plus scenario 14's retries and a timeout on servicex. */
const security = () =>
    config({
        security: { mtls: "STRICT", authorization: { "servicex-service": { allowFrom: ["fortio"] } }, rateLimits: { "servicex-service": { requestsPerSecond: 200 } }, egress: { serviceEntries: { httpbin: { host: "httpbin.org", port: 80, protocol: "HTTP", timeout: "3s" } } } },
        services: { "servicex-service": { timeout: "2s", retries: { attempts: 3, perTryTimeout: "1s", retryOn: "5xx" } } },
    });

describe("verify: security and resilience checks", () => {
    describe("verify's extra clients (mesh/kubernetes/verifyClients.ts)", () => {
        it("STRICT declared: fortio-outside without a sidecar, with its own Service; an AuthorizationPolicy: fortio-stranger, injected, its own identity", () => {
            const objs = buildPlan(security()).workloads;
            const dep = (n: string) => objs.find((o) => o.kind === "Deployment" && o.metadata.name === n) as any;
            expect(dep("fortio-outside").spec.template.metadata.labels).to.deep.include({ app: "fortio-outside", "sidecar.istio.io/inject": "false" });
            expect(dep("fortio-stranger").spec.template.metadata.labels).to.deep.include({ "sidecar.istio.io/inject": "true" });
            expect(dep("fortio-stranger").spec.template.spec.serviceAccountName).to.equal("fortio-stranger");
            expect(dep("fortio-outside").spec.template.spec.containers[0].image).to.equal(dep("fortio-deploy").spec.template.spec.containers[0].image);
            expect(objs.some((o) => o.kind === "Service" && o.metadata.name === "fortio-outside")).to.equal(true);
        });
        it("nothing declared that needs them: none (and none without the lab's fortio)", () => {
            expect(verifyClientsFor(config({ security: { mtls: false } }))).to.deep.equal([]);
            expect(verifyClientsFor(config())).to.deep.equal([OUTSIDE_CLIENT]); // STRICT is the default
            expect(verifyClientsFor(security())).to.deep.equal([OUTSIDE_CLIENT, STRANGER_CLIENT]);
            expect(verifyClientsFor(config({ workloads: { "fortio-deploy": null } }))).to.deep.equal([]);
        });
    });

    describe("derived from the security lesson's objects", () => {
        const checks = deriveChecks(checkContextFor(security(), "http://127.0.0.1:8000"));
        const of = <K extends Check["kind"]>(k: K) => checks.filter((c) => c.kind === k) as Extract<Check, { kind: K }>[];
        it("authorization: fortio (listed) answered, fortio-stranger (unlisted) 403, on servicex-service", () => {
            expect(of("authz")).to.deep.equal([
                {
                    kind: "authz",
                    policy: "servicex-service-allow",
                    service: "servicex-service",
                    url: "http://servicex-service:80/",
                    callers: [
                        { name: "fortio-deploy", client: "mesh", principal: "cluster.local/ns/default/sa/fortio-deploy", allowed: true },
                        { name: "fortio-stranger", client: "stranger", principal: "cluster.local/ns/default/sa/fortio-stranger", allowed: false },
                    ],
                },
            ]);
        });
        it("rate limit: 200 req/s per pod on servicex's 2 pods; egress to httpbin.org; retries; the timeout against servicex-error's 5 s", () => {
            expect(of("rateLimit")).to.deep.equal([{ kind: "rateLimit", policy: "servicex-service-local-ratelimit", service: "servicex-service", url: "http://servicex-service:80/", requestsPerSecond: 200, pods: 2 }]);
            expect(of("egress")).to.deep.equal([{ kind: "egress", policy: "httpbin", url: "http://httpbin.org:80/", outsideClient: true }]);
            expect(of("retries").map((c) => [c.attempts, c.host])).to.deep.equal([[3, "servicex-service.default.svc.cluster.local"]]);
            expect(of("timeout").map((c) => [c.timeoutSeconds, c.upstreamSeconds])).to.deep.equal([[2, 5]]);
        });
        it("a timeout with no known slow upstream is SKIP with the reason, never PASS", () => {
            const c = deriveChecks(checkContextFor(config({ services: { "nginx-service": { timeout: "10s" } } }), "http://127.0.0.1:8000"));
            const skip = c.find((x) => x.kind === "skip" && x.what === "route timeout");
            expect(skip && skip.kind === "skip" && skip.reason).to.match(/no upstream behind this route is known to be slower than 10s/);
        });
        it("every check reads as one line in plain words", () => {
            for (const c of checks) expect(describeCheck(c)).to.be.a("string").and.match(/^\S.*\S$/).and.not.include("undefined");
            expect(of("authz").map(describeCheck)).to.deep.equal(["servicex-service-allow: fortio-deploy answered, fortio-stranger gets 403 calling servicex-service"]);
        });
    });

    describe("verdicts: a failing and a passing case each", () => {
        const allowed = { name: "fortio-deploy", principal: "cluster.local/ns/default/sa/fortio-deploy", allowed: true };
        const unlisted = { name: "fortio-stranger", principal: "cluster.local/ns/default/sa/fortio-stranger", allowed: false };
        const rows: [string, () => { verdict: string }, string][] = [
            ["authz: listed caller answered", () => authzRow("p", "u", allowed, { status: 200 }), "PASS"],
            ["authz: listed caller refused", () => authzRow("p", "u", allowed, { status: 403, body: "RBAC: access denied" }), "FAIL"],
            ["authz: unlisted caller 403", () => authzRow("p", "u", unlisted, { status: 403, body: "RBAC: access denied" }), "PASS"],
            ["authz: unlisted caller answered", () => authzRow("p", "u", unlisted, { status: 200 }), "FAIL"],
            ["authz: no answer", () => authzRow("p", "u", unlisted, { error: "exec failed" }), "ERROR"],
            ["rate limit: 200/s × 2 pods over 5 s, the rest 429", () => rateLimitRow("p", "s", 200, 2, fortioResult({ "200": 2300, "429": 7700 }, { qps: 2000 })), "PASS"],
            ["rate limit: no 429 though well above the limit", () => rateLimitRow("p", "s", 200, 2, fortioResult({ "200": 10000 }, { qps: 2000 })), "FAIL"],
            ["rate limit: far below the declared rate", () => rateLimitRow("p", "s", 200, 2, fortioResult({ "200": 50, "429": 9950 }, { qps: 2000 })), "FAIL"],
            ["rate limit: load never above the limit", () => rateLimitRow("p", "s", 200, 2, fortioResult({ "200": 500 }, { qps: 100 })), "ERROR"],
            ["timeout: slow calls cut at 2 s", () => timeoutRow("p", "u", 2, 5, fortioResult({ "200": 10, "504": 10 }, { buckets: [[0.001, 0.002, 10], [2.0, 2.05, 10]] })), "PASS"],
            ["timeout: slow calls last the upstream's 5 s", () => timeoutRow("p", "u", 2, 5, fortioResult({ "200": 10, "504": 10 }, { buckets: [[0.001, 0.002, 10], [5.0, 5.01, 10]] })), "FAIL"],
            ["timeout: no call reached the slow pod", () => timeoutRow("p", "u", 2, 5, fortioResult({ "200": 20 })), "ERROR"],
            ["retries: 4 errors seen, 30 produced, 26 retried", () => retriesRow("p", "u", 3, fortioResult({ "200": 46, "503": 4 }), { errors: 30, retries: 26 }), "PASS"],
            ["retries: every upstream error reached the caller", () => retriesRow("p", "u", 3, fortioResult({ "200": 20, "503": 30 }), { errors: 30, retries: 0 }), "FAIL"],
            ["retries: the upstream never failed", () => retriesRow("p", "u", 3, fortioResult({ "200": 50 }), { errors: 0, retries: 0 }), "SKIP"],
            ["egress: answered from the mesh", () => egressRow("p", "http://httpbin.org:80/", { status: 200 }, { status: 200 }), "PASS"],
            ["egress: blocked from the mesh, reachable from outside", () => egressRow("p", "http://httpbin.org:80/", { error: "i/o timeout" }, { status: 200 }), "FAIL"],
            ["egress: no internet in the lab", () => egressRow("p", "http://httpbin.org:80/", { error: "lookup httpbin.org: no such host" }, { error: "lookup httpbin.org: no such host" }), "SKIP"],
            ["egress: no answer and nothing to compare with", () => egressRow("p", "http://httpbin.org:80/", { error: "i/o timeout" }), "ERROR"],
        ];
        for (const [name, row, verdict] of rows) it(`${name} → ${verdict}`, () => expect(row().verdict).to.equal(verdict));
        it("a SKIP for no internet says so", () => {
            const r = egressRow("httpbin", "http://httpbin.org:80/", { error: "no such host" }, { error: "no such host" });
            expect(r.reason).to.match(/^the lab has no internet/);
        });
    });

    describe("through a fake probe", () => {
        const checks = deriveChecks(checkContextFor(security(), "http://127.0.0.1:8000")).filter((c) => ["authz", "retries", "egress"].includes(c.kind));
        it("each caller calls from its own pod; retries read the fortio sidecar's counters before and after", async () => {
            const sent: string[] = [];
            let statsCalls = 0;
            const host = "servicex-service.default.svc.cluster.local";
            const probe = fakeProbe({
                send: async (from, url) => (sent.push(`${from} ${url}`), from === "stranger" ? { status: 403, body: "RBAC: access denied" } : url.includes("httpbin") ? { error: "no such host" } : { status: 200 }),
                load: async () => fortioResult({ "200": 48, "504": 2 }),
                proxyStats: async () => (statsCalls++ === 0 ? { [`cluster.outbound|80||${host}.upstream_rq_5xx`]: 10, [`cluster.outbound|80||${host}.upstream_rq_retry`]: 4 } : { [`cluster.outbound|80||${host}.upstream_rq_5xx`]: 30, [`cluster.outbound|80||${host}.upstream_rq_retry`]: 22 }),
            });
            const rows = await runChecks(checks, probe, { samples: 20, stickyKeys: 1, stickyCalls: 1, log: () => undefined });
            expect(rows.map((r) => `${r.check.split(" (")[0]} ${r.verdict}`)).to.deep.equal(["retries on http://servicex-service:80/ PASS", "allowed caller fortio-deploy PASS", "unlisted caller fortio-stranger PASS", "egress: http://httpbin.org:80/ from inside the mesh SKIP"]);
            expect(sent).to.include.members(["mesh http://servicex-service:80/", "stranger http://servicex-service:80/", "outside http://httpbin.org:80/"]);
            expect(rows[0].observed).to.equal("caller: 2 errors in 50 calls; upstream: 20 5xx, 18 retries");
        });
        it("counters of every subset of the host are summed; other hosts are not", () => {
            const h = "servicex-service.default.svc.cluster.local";
            expect(counter({ [`cluster.outbound|80|v1|${h}.upstream_rq_retry`]: 2, [`cluster.outbound|80||${h}.upstream_rq_retry`]: 3, "cluster.outbound|80||nginx-service.default.svc.cluster.local.upstream_rq_retry": 9 }, h, "upstream_rq_retry")).to.equal(5);
        });
        it("STRICT: a reset proves nothing when the service does not answer from inside the mesh either → ERROR", async () => {
            const mtls = deriveChecks(checkContextFor(config(), "http://127.0.0.1:8000")).filter((c) => c.kind === "mtls").slice(0, 1);
            const rows = await runChecks(mtls, fakeProbe({ send: async (from, url) => (from === "outside" && url.includes("fortio-outside") ? { status: 200 } : { error: RESET }) }), { samples: 20, stickyKeys: 1, stickyCalls: 1, log: () => undefined });
            expect(rows[0].verdict).to.equal("ERROR");
            expect(rows[0].reason).to.match(/does not answer from inside the mesh either/);
        });
    });

    it("convergence: a proxy whose last config is not acked is named with the xDS types", () => {
        expect(unsynced([{ proxy: "a.default", sent: { cluster: "1", route: "2" }, acked: { cluster: "1", route: "1" } }, { proxy: "b.default", sent: { cluster: "3" }, acked: { cluster: "3" } }])).to.deep.equal(["a.default: route"]);
    });
});
