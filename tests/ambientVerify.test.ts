/**
 * verify on the ambient data plane, against fake probes that fail in each way: pods not redirected to
 * ztunnel (pending, never, sockets gone after a restart), the namespace with both labels, an unlisted
 * caller let through by ztunnel or an allowed one refused, a plain-text call answered under STRICT,
 * retries counted by the waypoint (and a waypoint without counters), convergence with no ztunnel or no
 * waypoint connected. The happy path passes as a whole, and the sidecar checks stay as they were.
 */
import { expect } from "chai";
import { captureRows, CaptureReport, deploymentOf, listeningPorts, PodCapture } from "../verify/ambient";
import type { Check } from "../verify/checks";
import { describeCheck } from "../verify/checks";
import { waitForConvergence } from "../verify/convergence";
import { parseSyncz } from "../verify/kubeProbe";
import { MeshProbe, ProxySync, runChecks } from "../verify/run";
import { authzRow } from "../verify/verdicts";
import { checkContextFor, deriveChecks, verifyStack } from "../verify/verify";
import { config } from "./helpers/config";
import { fakeProbe, fortioResult, RESET } from "./helpers/fakeProbe";

/** /proc/net/tcp of a pod ztunnel has captured: nginx on 80, ztunnel on 15001, 15006, 15008 (and an established connection). */
const PROC_NET_TCP = [
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    "   0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21345 1 0000000000000000 100 0 0 10 0",
    "   1: 0100007F:3A99 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21350 1 0000000000000000 100 0 0 10 0",
    "   2: 00000000:3A9E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21351 1 0000000000000000 100 0 0 10 0",
    "   3: 0A2A0009:0050 0A2A000A:C350 01 00000000:00000000 00:00000000 00000000   101        0 21999 1 0000000000000000 20 4 30 10 -1",
].join("\n");
const PROC_NET_TCP6 = [
    "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
    "   0: 00000000000000000000000000000000:3AA0 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21352 1 0000000000000000 100 0 0 10 0",
].join("\n");

const ambient = (raw: Record<string, unknown> = {}) => config({ dataplane: "ambient", ...raw });
const SECURITY = { security: { authorization: { "servicex-service": { allowFrom: ["fortio"] } } } };
const pod = (name: string, over: Partial<PodCapture> = {}): PodCapture => ({ name, workload: name.replace(/-[a-z0-9]+-[a-z0-9]+$/, ""), redirection: "enabled", listening: [80, 15001, 15006, 15008], ...over });
const report = (pods: PodCapture[], labels: Record<string, string> = { "istio.io/dataplane-mode": "ambient" }): CaptureReport => ({ namespace: "default", namespaceLabels: labels, pods });

/** The ambient dev stack doing what it declares: every pod captured, ztunnel and the waypoint in sync. */
function ambientProbe(over: Partial<MeshProbe> = {}): MeshProbe {
    const base = fakeProbe();
    return fakeProbe({
        // servicex-service has a waypoint (its breaker), so its AuthorizationPolicy is the waypoint's: 403 for the stranger.
        send: async (from, url, h) => (from === "stranger" ? { status: 403, body: "RBAC: access denied" } : base.send(from, url, h)),
        capture: async () => report([pod("nginx-7d9f-abcde"), pod("fortio-deploy-5c6d-xyzab", { listening: undefined, inspectError: 'exec: "cat": executable file not found in $PATH' })]),
        syncStatus: async () => [
            { proxy: "ztunnel-abcde.istio-system", type: "ztunnel", sent: { Address: "1" }, acked: { Address: "1" } },
            { proxy: "waypoint-6f7c-12345.default", type: "waypoint", sent: { cluster: "a" }, acked: { cluster: "a" } },
        ],
        ...over,
    });
}

describe("verify on ambient: pods redirected to ztunnel (verify/ambient.ts)", () => {
    it("reads the ports in LISTEN from /proc/net/tcp and tcp6 (IPv4 and IPv6), not the established ones", () => {
        expect(listeningPorts(`${PROC_NET_TCP}\n${PROC_NET_TCP6}`)).to.deep.equal([80, 15001, 15006, 15008]);
        expect(listeningPorts("cat: can't open '/proc/net/tcp6': No such file or directory")).to.deep.equal([]);
    });

    it("names a pod's Deployment from its pod-template-hash", () => {
        expect(deploymentOf("nginx-b-5d8f9c7b6-x2x9q", "5d8f9c7b6")).to.equal("nginx-b");
        expect(deploymentOf("lonely", undefined)).to.equal("lonely");
    });

    const rows: [string, CaptureReport, "PASS" | "FAIL" | "ERROR", RegExp][] = [
        ["every pod redirected, listeners seen", report([pod("nginx-7d9f-abcde"), pod("servicex-8f8f-qwert")]), "PASS", /2 pods redirected; ztunnel's listeners seen in 2$/],
        ["an image without cat: judged by the annotation, said so", report([pod("fortio-deploy-5c6d-xyzab", { listening: undefined, inspectError: "no cat" })]), "PASS", /by the annotation only: fortio-deploy has no cat/],
        ["redirection pending (no ztunnel took the pod)", report([pod("nginx-7d9f-abcde", { redirection: "pending" })]), "FAIL", /nginx-7d9f-abcde: redirection pending/],
        ["never redirected (no annotation)", report([pod("nginx-7d9f-abcde", { redirection: undefined })]), "FAIL", /never redirected by istio-cni/],
        ["after a restart: annotation kept, ztunnel's sockets gone (istio#57285)", report([pod("nginx-7d9f-abcde", { listening: [80] })]), "FAIL", /ztunnel no longer listens on 15001, 15006, 15008 in it: its traffic bypasses ztunnel/],
        ["no Running pod", report([]), "ERROR", /no Running pod/],
    ];
    for (const [name, r, verdict, observed] of rows) {
        it(`${verdict}: ${name}`, () => {
            const podsRow = captureRows(r).find((x) => x.check === "pods redirected to ztunnel")!;
            expect(podsRow.verdict).to.equal(verdict);
            expect(`${podsRow.observed} ${podsRow.reason ?? ""}`.trim()).to.match(observed);
            if (verdict === "FAIL") expect(podsRow.reason).to.include("kubectl -n default rollout restart deployment nginx").and.include("istio#60882").and.include("rollout restart daemonset ztunnel istio-cni-node");
        });
    }

    it("FAIL: the namespace not enrolled, or also labelled for injection (MESH020's trap, live)", () => {
        const notEnrolled = captureRows(report([pod("nginx-7d9f-abcde")], {}))[0];
        expect(notEnrolled.verdict).to.equal("FAIL");
        const both = captureRows(report([pod("nginx-7d9f-abcde")], { "istio.io/dataplane-mode": "ambient", "istio-injection": "enabled" }))[0];
        expect([both.verdict, both.observed]).to.deep.equal(["FAIL", "also labelled istio-injection=enabled"]);
        expect(both.reason).to.include("kubectl label namespace default istio-injection-");
        expect(captureRows(report([pod("nginx-7d9f-abcde")]))[0].verdict).to.equal("PASS");
    });
});

describe("verify on ambient: the checks derived", () => {
    it("the capture check comes first; authorization says who refuses (ztunnel without a waypoint, the waypoint with one)", () => {
        const ztunnelOnly = deriveChecks(checkContextFor(ambient({ ...SECURITY, services: { "servicex-service": { trafficPolicy: null, destinationRule: null } } }), "http://127.0.0.1:8000"));
        expect(ztunnelOnly[0]).to.deep.equal({ kind: "capture", policy: "ambient data plane", namespace: "default" });
        const z = ztunnelOnly.find((c) => c.kind === "authz") as Extract<Check, { kind: "authz" }>;
        expect(z.enforcedBy).to.equal("ztunnel");
        expect(describeCheck(z)).to.equal("servicex-service-allow: fortio-deploy answered, fortio-stranger has its connection closed by ztunnel calling servicex-service (enforced by the ztunnel)");
        const withWaypoint = deriveChecks(checkContextFor(ambient(SECURITY), "http://127.0.0.1:8000"));
        const w = withWaypoint.find((c) => c.kind === "authz") as Extract<Check, { kind: "authz" }>;
        expect([w.enforcedBy, w.service, w.callers.map((x) => x.allowed)]).to.deep.equal(["waypoint", "servicex-service", [true, false]]);
    });

    it("retries are counted by the waypoint of the service; a mesh plain-text call is refused by ztunnel", () => {
        const checks = deriveChecks(checkContextFor(ambient({ services: { "nginx-service": { retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx" } } } }), "http://127.0.0.1:8000"));
        const r = checks.find((c) => c.kind === "retries") as Extract<Check, { kind: "retries" }>;
        expect(r.statsAt).to.deep.equal({ waypoint: "waypoint" });
        const m = checks.find((c) => c.kind === "mtls") as Extract<Check, { kind: "mtls" }>;
        expect(describeCheck(m)).to.match(/from a pod outside the mesh is refused by ztunnel \(STRICT\)$/);
    });

    it("sidecar: no capture check, no enforcedBy, no statsAt (the sidecar checks as they were)", () => {
        const checks = deriveChecks(checkContextFor(config({ ...SECURITY, services: { "nginx-service": { retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx" } } } }), "http://127.0.0.1:8000"));
        expect(checks.some((c) => c.kind === "capture")).to.equal(false);
        expect(checks.find((c) => c.kind === "authz")).to.not.have.property("enforcedBy");
        expect(checks.find((c) => c.kind === "retries")).to.not.have.property("statsAt");
    });
});

describe("verify on ambient: the rows, against fake probes", () => {
    const caller = (allowed: boolean) => ({ name: allowed ? "fortio-deploy" : "fortio-stranger", principal: "cluster.local/ns/default/sa/x", allowed });
    const authz: [string, boolean, { status?: number; body?: string; error?: string }, string][] = [
        ["ztunnel closes the unlisted caller's connection", false, { error: RESET }, "PASS"],
        ["the unlisted caller is answered: nothing enforced it", false, { status: 200, body: "ok" }, "FAIL"],
        ["the allowed caller's connection is closed", true, { error: RESET }, "FAIL"],
        ["the allowed caller is answered", true, { status: 200, body: "ok" }, "PASS"],
        ["a timeout proves nothing", false, { error: "dial tcp 10.43.0.9:80: i/o timeout" }, "ERROR"],
        ["a 403 where ztunnel was expected: denied all the same, said so", false, { status: 403, body: "RBAC: access denied" }, "PASS"],
    ];
    for (const [name, allowed, t, verdict] of authz) {
        it(`authorization at ztunnel, ${verdict}: ${name}`, () => {
            const row = authzRow("p", "http://servicex-service:80/", caller(allowed), t, "ztunnel");
            expect(row.verdict).to.equal(verdict);
            if (name.startsWith("a 403")) expect(row.observed).to.include("not ztunnel's refusal");
        });
    }
    it("authorization at a sidecar or waypoint keeps the 403 signature: a closed connection proves nothing there", () => {
        expect(authzRow("p", "u", caller(false), { error: RESET }, "waypoint").verdict).to.equal("ERROR");
        expect(authzRow("p", "u", caller(false), { status: 403, body: "RBAC: access denied" }, "waypoint").verdict).to.equal("PASS");
    });

    it("retries read the waypoint's counters; a waypoint without them is ERROR naming its stats matcher", async () => {
        const asked: unknown[] = [];
        const check: Check = { kind: "retries", policy: "nginx-vs", url: "http://nginx-service:8000/", request: { path: "/", headers: {} }, attempts: 3, host: "nginx-service.default.svc.cluster.local", statsAt: { waypoint: "waypoint" } };
        let n = 0;
        const counting = fakeProbe({
            proxyStats: async (_f, at) => {
                asked.push(at);
                return n++ === 0 ? { "cluster.inbound-vip|8000|http|nginx-service.default.svc.cluster.local.upstream_rq_5xx": 0, "cluster.inbound-vip|8000|http|nginx-service.default.svc.cluster.local.upstream_rq_retry": 0 } : { "cluster.inbound-vip|8000|http|nginx-service.default.svc.cluster.local.upstream_rq_5xx": 12, "cluster.inbound-vip|8000|http|nginx-service.default.svc.cluster.local.upstream_rq_retry": 9 };
            },
            load: async (_u, o) => fortioResult({ "200": o.calls - 2, "503": 2 }),
        });
        const [row] = await runChecks([check], counting, { samples: 20, stickyKeys: 1, stickyCalls: 1, log: () => undefined });
        expect(asked).to.deep.equal([{ waypoint: "waypoint" }, { waypoint: "waypoint" }]);
        expect(row.verdict).to.equal("PASS");
        const [none] = await runChecks([check], fakeProbe({ proxyStats: async () => ({}) }), { samples: 20, stickyKeys: 1, stickyCalls: 1, log: () => undefined });
        expect([none.verdict, none.reason]).to.deep.equal(["ERROR", "waypoint waypoint has no counters for nginx-service.default.svc.cluster.local (its proxy.istio.io/config stats matcher, set through the Gateway's spec.infrastructure, must include cluster.inbound-vip and cluster.outbound)"]);
    });

    it("the whole ambient dev stack passes against a probe that does what it declares", async () => {
        const r = await verifyStack(checkContextFor(ambient(SECURITY), "http://127.0.0.1:8000"), ambientProbe(), { log: () => undefined, samples: 100, convergeTimeoutSeconds: 0 });
        const bad = r.rows.filter((x) => x.verdict === "FAIL" || x.verdict === "ERROR");
        expect(bad.map((x) => `${x.policy} ${x.check}: ${x.observed} ${x.reason ?? ""}`)).to.deep.equal([]);
        expect(r.rows.filter((x) => x.kind === "capture").map((x) => x.verdict)).to.deep.equal(["PASS", "PASS"]);
        expect(r.ok).to.equal(true);
    });

    it("a pod that lost its redirection after a restart makes the run not ok, with the way back", async () => {
        const lost = ambientProbe({ capture: async () => report([pod("nginx-b-5d8f9c7b6-x2x9q", { listening: [80] })]) });
        const r = await verifyStack(checkContextFor(ambient(), "http://127.0.0.1:8000"), lost, { log: () => undefined, samples: 100, convergeTimeoutSeconds: 0 });
        const row = r.rows.find((x) => x.check === "pods redirected to ztunnel")!;
        expect(row.verdict).to.equal("FAIL");
        expect(row.reason).to.include("rollout restart deployment nginx-b");
        expect(r.ok).to.equal(false);
    });

    it("a plain-text call answered under STRICT on ambient is FAIL (ztunnel did not refuse it)", async () => {
        const bypass = ambientProbe({ send: async (from, url) => (from === "outside" ? { status: 200, body: url.includes("fortio-outside") ? "echo" : "Full Cycle A" } : { status: 200, body: "ok" }) });
        const checks = deriveChecks(checkContextFor(ambient(), "http://127.0.0.1:8000")).filter((c) => c.kind === "mtls");
        const rows = await runChecks(checks, bypass, { samples: 20, stickyKeys: 1, stickyCalls: 1, log: () => undefined });
        expect(rows.every((x) => x.verdict === "FAIL")).to.equal(true);
        expect(rows[0].reason).to.include("bypasses ztunnel");
    });
});

describe("verify on ambient: convergence (istiod's sync status)", () => {
    const wait = (statuses: ProxySync[], waypoint: boolean) => {
        let t = 0;
        return waitForConvergence(fakeProbe({ syncStatus: async () => statuses }), { timeoutSeconds: 5, namespace: "default", ambient: { waypoint }, log: () => undefined, now: () => t, sleep: async (ms) => void (t += ms), settleSeconds: 1 });
    };
    const ZT: ProxySync = { proxy: "ztunnel-a.istio-system", type: "ztunnel", sent: { Address: "3" }, acked: { Address: "3" } };
    const WP: ProxySync = { proxy: "waypoint-b.default", type: "waypoint", sent: { cluster: "1" }, acked: { cluster: "1" } };

    it("converged: ztunnel and the waypoint acked (no proxy of the pods' own is needed)", async () => {
        expect((await wait([ZT, WP], true)).converged).to.equal(true);
        expect((await wait([ZT], false)).converged).to.equal(true);
    });
    it("not converged: no ztunnel connected; no waypoint when the plan has one; ztunnel's addresses sent but not acked", async () => {
        expect((await wait([WP], true)).how).to.include("no ztunnel is connected to istiod");
        expect((await wait([ZT], true)).how).to.include("no waypoint of namespace default is connected");
        const behind = await wait([{ ...ZT, acked: { Address: "2" } }, WP], true);
        expect([behind.converged, behind.how]).to.deep.equal([false, "timed out after 5s by istiod sync status: waiting for ztunnel-a.istio-system: Address"]);
    });
    it("istiod's /debug/syncz: the node type and ztunnel's delta types (resources by type URL)", () => {
        const text = JSON.stringify([
            { proxy: "ztunnel-a.istio-system", proxy_type: "ztunnel", resources: { "type.googleapis.com/istio.workload.Address": { sent: "7", acked: "6" } } },
            { proxy: "fortio-1.default", proxy_type: "sidecar", cluster_sent: "a", cluster_acked: "a", resources: { "type.googleapis.com/envoy.config.cluster.v3.Cluster": { sent: "a", acked: "a" } } },
        ]);
        const [zt, sc] = parseSyncz(text);
        expect(zt).to.deep.include({ type: "ztunnel" });
        expect([zt.sent["istio.workload.Address"], zt.acked["istio.workload.Address"]]).to.deep.equal(["7", "6"]);
        expect(Object.keys(sc.sent)).to.deep.equal(["cluster", "listener", "route", "endpoint"]);
    });
});
