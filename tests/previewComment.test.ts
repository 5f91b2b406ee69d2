import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { changesFromEvents, describeChanges } from "../review/changes";
import { commentMarkdown, Finding, GITHUB_COMMENT_LIMIT } from "../review/comment";
import { diffObjects, parsePath } from "../review/objectDiff";
import { compareDocuments, Doc, renderAtRef } from "../review/offlineDiff";
import { ROOT } from "./helpers/render";

const events: EngineEvent[] = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "events", "preview-policies.json"), "utf8"));

const vs = (weights: [string, number][], extra: Record<string, unknown> = {}): Doc => ({
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "nginx-vs", namespace: "default" },
    spec: { hosts: ["nginx-service"], http: [{ ...extra, route: weights.map(([subset, weight]) => ({ destination: { host: "nginx-service", subset }, weight })) }] },
});

describe("preview comment", () => {
    describe("property-level wording of mesh policies", () => {
        it("a weight change reads as the route's subset", () => {
            expect(describeChanges("nginx-vs", "VirtualService", vs([["v1", 90], ["v2", 10]]), vs([["v1", 80], ["v2", 20]]))).to.deep.equal([
                "nginx-vs: route v1 weight 90 → 80",
                "nginx-vs: route v2 weight 10 → 20",
            ]);
        });
        it("an added route is matched by its subset, not its position", () => {
            expect(describeChanges("nginx-vs", "VirtualService", vs([["v1", 90], ["v2", 10]]), vs([["v1", 90], ["v3", 5], ["v2", 10]]))).to.deep.equal(["nginx-vs: route v3 added (weight 5)"]);
        });
        it("a removed route is named from the document it was in, not from the new one", () => {
            // Was "route all removed (was to v1, weight 90)" and "route [1] removed": the label came from the new document.
            expect(describeChanges("nginx-vs", "VirtualService", vs([["v1", 90], ["v2", 10]]), vs([["all", 100]]))).to.deep.equal([
                "nginx-vs: route all added (weight 100)",
                "nginx-vs: route v1 removed (was weight 90)",
                "nginx-vs: route v2 removed (was weight 10)",
            ]);
        });
        describe("HTTP routes are matched by their match, not their position", () => {
            const dest = (subset: string, weight?: number) => ({ destination: { host: "nginx-service", subset }, ...(weight === undefined ? {} : { weight }) });
            const routes = (...http: unknown[]): Doc => ({ kind: "VirtualService", metadata: { name: "nginx-vs" }, spec: { hosts: ["*"], http } });
            const prefix = (p: string, ...route: unknown[]) => ({ match: [{ uri: { prefix: p } }], route });
            const rows: [string, Doc, Doc, string[]][] = [
                [
                    // 16-prefix-routing after 15-ingress-gateway: was "route v2 removed (was to v1, weight 100)".
                    "/b and / in place of the default route",
                    routes({ route: [dest("v1", 100), dest("v2", 0)] }),
                    routes(prefix("/b", dest("v2")), prefix("/", dest("v1"))),
                    ["nginx-vs: http prefix /b added: to v2", "nginx-vs: http prefix / added: to v1", "nginx-vs: http default removed (was to v1, weight 100; to v2, weight 0)"],
                ],
                [
                    "a route put in front of the default one: one route added, the default untouched",
                    routes({ route: [dest("v1")] }),
                    routes(prefix("/b", dest("v2")), { route: [dest("v1")] }),
                    ["nginx-vs: http prefix /b added: to v2"],
                ],
                [
                    "a change inside a route is named by its match wherever it moved",
                    routes(prefix("/b", dest("v2", 50)), { route: [dest("v1")] }),
                    routes(prefix("/a", dest("v1")), prefix("/b", dest("v2", 100)), { route: [dest("v1")] }),
                    ["nginx-vs: http prefix /a added: to v1", "nginx-vs: http prefix /b route v2 weight 50 → 100"],
                ],
                [
                    "the same routes in another order read as a reorder (the first that matches wins)",
                    routes(prefix("/", dest("v1")), prefix("/b", dest("v2"))),
                    routes(prefix("/b", dest("v2")), prefix("/", dest("v1"))),
                    ["nginx-vs: http routes reordered: prefix /, prefix /b → prefix /b, prefix / (the first that matches wins)"],
                ],
                [
                    "header matches in words; a route removed whole keeps its name",
                    routes({ match: [{ headers: { cookie: { regex: "v=1" } } }], route: [dest("v1")] }, { route: [dest("v1", 90), dest("v2", 10)] }),
                    routes({ route: [dest("v1", 90), dest("v2", 10)] }),
                    ["nginx-vs: http header cookie regex v=1 removed (was to v1)"],
                ],
            ];
            for (const [name, before, after, want] of rows) {
                it(name, () => expect(describeChanges("nginx-vs", "VirtualService", before, after)).to.deep.equal(want));
            }
            it("the engine's preview (its detailedDiff names positions) reads them the same way", () => {
                // What the engine reports for 16-prefix-routing: the positions that differ, not what moved.
                const engine = ["spec.http[0].match", "spec.http[0].route[0].destination.subset", "spec.http[0].route[0].weight", "spec.http[0].route[1]", "spec.http[1]"].map(parsePath);
                expect(describeChanges("nginx-vs", "VirtualService", rows[0][1], rows[0][2], engine)).to.deep.equal(rows[0][3]);
            });
            it("the offline diff (the PR comment) reads them the same way", () => {
                const doc = (d: Doc) => ({ ...d, apiVersion: "networking.istio.io/v1", metadata: { name: "nginx-vs", namespace: "default" } });
                const set = compareDocuments([doc(rows[0][1])], [doc(rows[0][2])]);
                expect(set.changes).to.have.length(1);
                expect(set.changes[0].details).to.deep.equal(rows[0][3]);
            });
        });
        it("fault, retries and timeout in plain words", () => {
            const before = vs([["all", 100]], { fault: { delay: { fixedDelay: "10s", percentage: { value: 50 } } }, retries: { attempts: 3 }, timeout: "10s" });
            const after = vs([["all", 100]], { fault: { delay: { fixedDelay: "5s", percentage: { value: 100 } } }, retries: { attempts: 5 }, timeout: "2s" });
            expect(describeChanges("nginx-vs", "VirtualService", before, after)).to.have.members([
                "nginx-vs: fault delay fixedDelay 10s → 5s",
                "nginx-vs: fault delay percentage 50 → 100",
                "nginx-vs: retries attempts 3 → 5",
                "nginx-vs: timeout 10s → 2s",
            ]);
        });
        it("routes by prefix are named by their prefix", () => {
            const mk = (w: number): Doc => ({
                kind: "VirtualService",
                metadata: { name: "nginx-ingress" },
                spec: { http: [{ match: [{ uri: { prefix: "/b" } }], route: [{ destination: { host: "nginx-service", subset: "v2" }, weight: w }] }, { route: [{ destination: { host: "nginx-service", subset: "v1" } }] }] },
            });
            expect(describeChanges("nginx-ingress", "VirtualService", mk(50), mk(100))).to.deep.equal(["nginx-ingress: http prefix /b route v2 weight 50 → 100"]);
        });
        it("outlierDetection, loadBalancer and consistentHash of a DestinationRule, host-wide and per subset", () => {
            const dr = (errors: number, lb: string, header: string, subsetLb: string): Doc => ({
                kind: "DestinationRule",
                metadata: { name: "circuit-breaker-servicex" },
                spec: {
                    host: "servicex-service",
                    trafficPolicy: { outlierDetection: { consecutiveGatewayErrors: errors }, loadBalancer: { simple: lb } },
                    subsets: [{ name: "v1", labels: { version: "A" }, trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: header } } } }, { name: "v2", labels: { version: "B" }, trafficPolicy: { loadBalancer: { simple: subsetLb } } }],
                },
            });
            expect(describeChanges("circuit-breaker-servicex", "DestinationRule", dr(5, "ROUND_ROBIN", "x-user", "RANDOM"), dr(10, "RANDOM", "x-id", "LEAST_REQUEST"))).to.have.members([
                "circuit-breaker-servicex: consecutiveGatewayErrors 5 → 10",
                "circuit-breaker-servicex: loadBalancer ROUND_ROBIN → RANDOM",
                "circuit-breaker-servicex: subset v1 consistentHash httpHeaderName x-user → x-id",
                "circuit-breaker-servicex: subset v2 loadBalancer RANDOM → LEAST_REQUEST",
            ]);
        });
        it("other fields read as path: old → new", () => {
            const d = (r: number): Doc => ({ kind: "Deployment", metadata: { name: "nginx" }, spec: { replicas: r } });
            expect(describeChanges("nginx", "Deployment", d(1), d(8))).to.deep.equal(["nginx: spec.replicas: 1 → 8"]);
        });
        it("engine paths parse, quoted keys included", () => {
            expect(parsePath('spec.http[0].route[1].weight')).to.deep.equal(["spec", "http", 0, "route", 1, "weight"]);
            expect(parsePath('metadata.labels["app.kubernetes.io/name"]')).to.deep.equal(["metadata", "labels", "app.kubernetes.io/name"]);
        });
    });

    describe("from recorded engine events", () => {
        const set = changesFromEvents(events);
        const md = commentMarkdown(set, { marker: "<!-- m -->", heading: "Pulumi preview" });

        it("one entry per resource; a replacement's three steps are one replace", () => {
            expect(set.changes.map((c) => `${c.op} ${c.title}`)).to.deep.equal([
                "update VirtualService nginx-vs",
                "update DestinationRule circuit-breaker-servicex",
                "replace Deployment nginx-b",
                "update Secret grafana-admin",
                "update pulumi:providers:kubernetes k8s",
                "create PeerAuthentication default",
                "delete VirtualService nginx-vs-b",
            ]);
            expect(set.unchanged).to.equal(1); // the stack itself is not counted
        });
        it("summary line, policy words and the replacement flagged with its cause", () => {
            expect(md.split("\n")[0]).to.equal("<!-- m -->");
            expect(md).to.include("**1 to create, 4 to update, 1 to replace, 1 to delete** (1 unchanged)");
            expect(md).to.include("`nginx-vs: route v2 weight 10 → 20`");
            expect(md).to.include("`circuit-breaker-servicex: consecutiveGatewayErrors 5 → 10`");
            expect(md).to.include("- **replace** `Deployment nginx-b` ⚠️ replacement, forced by `spec.selector.matchLabels.version`");
        });
        it("never shows a secret value: signature objects, plaintext, Secret data", () => {
            for (const s of ["hunter2", "OLDKEY", "NEWKEY", "plaintext", "1b47061264138c4ac30d75fd1eb44270"]) expect(md).to.not.include(s);
            expect(md).to.include("`grafana-admin: stringData.admin-password changed ([secret])`");
            expect(md).to.include("`k8s: kubeconfig changed ([secret])`");
        });
    });

    describe("markdown", () => {
        const findings: Finding[] = [
            { code: "W101", severity: "warning", resource: "DestinationRule nginx-dr", path: "spec.trafficPolicy.loadBalancer.simple", message: "LEAST_CONN is deprecated", fix: "use LEAST_REQUEST" },
            { code: "E001", severity: "error", resource: "VirtualService nginx-vs", path: "spec.http[0].route", message: "weights sum to 0", fix: "give one subset a weight" },
        ];
        it("appends the analyzer's findings, errors first", () => {
            const md = commentMarkdown({ changes: [], unchanged: 3 }, { marker: "<!-- m -->", heading: "h", findings });
            expect(md).to.include("No resource changes.");
            expect(md).to.include("### Analyzer findings (2)");
            expect(md.indexOf("E001")).to.be.lessThan(md.indexOf("W101"));
            expect(md).to.include("fix: use LEAST_REQUEST");
        });
        it("stays under GitHub's limit, keeps the findings and says what was trimmed", () => {
            const huge = { changes: Array.from({ length: 3000 }, (_, i) => ({ op: "update" as const, title: `ConfigMap cm-${i}`, details: [`cm-${i}: data.page: ${"x".repeat(60)} → ${"y".repeat(60)}`] })), unchanged: 0 };
            const md = commentMarkdown(huge, { marker: "<!-- m -->", heading: "h", findings });
            expect(md.length).to.be.at.most(GITHUB_COMMENT_LIMIT);
            expect(md.length).to.be.greaterThan(GITHUB_COMMENT_LIMIT - 2000); // trimmed, not emptied
            expect(md).to.match(/Trimmed: \d+ more lines not shown \(GitHub limits a comment to 65,536 characters\)/);
            expect(md).to.include("**0 to create, 3000 to update, 0 to replace, 0 to delete**");
            expect(md).to.include("E001").and.include("W101");
        });
        it("a comment that fits is not trimmed", () => {
            expect(commentMarkdown({ changes: [{ op: "create", title: "x", details: [] }], unchanged: 0 }, { marker: "m", heading: "h" })).to.not.include("Trimmed");
        });
    });

    describe("offline diff", () => {
        const svc = (port: number): Doc => ({ apiVersion: "v1", kind: "Service", metadata: { name: "nginx-service", namespace: "default" }, spec: { ports: [{ port }] } });
        const chart = (v: string): Doc => ({ type: "kubernetes:helm.sh/v4:Chart", name: "istiod", inputs: { chart: "istiod", version: v } });

        it("compares by (kind, namespace, name) and (type, name): added, removed, changed, unchanged", () => {
            const gw: Doc = { apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: { name: "ingress-gateway-k3d", namespace: "default" }, spec: {} };
            const other = { ...svc(80), metadata: { name: "nginx-service", namespace: "other" } };
            const set = compareDocuments([vs([["v1", 90], ["v2", 10]]), svc(8000), chart("1.30.2"), gw], [vs([["v1", 90], ["v2", 10]]), svc(8000), other, chart("1.30.3")]);
            expect(set.unchanged).to.equal(2);
            expect(set.changes).to.deep.equal([
                { op: "create", title: "Service other/nginx-service", details: [] },
                { op: "update", title: "kubernetes:helm.sh/v4:Chart istiod", details: ["istiod: version: 1.30.2 → 1.30.3"] },
                { op: "delete", title: "Gateway ingress-gateway-k3d", details: [] },
            ]);
        });
        it("rendered secrets stay [secret]", () => {
            const p = (k: string): Doc => ({ type: "pulumi:providers:kubernetes", name: "k8s", inputs: { kubeconfig: k, enableServerSideApply: true } });
            expect(compareDocuments([p("[secret]")], [p("[secret]")]).changes).to.deep.equal([]);
            expect(diffObjects({ a: "[secret]" }, { a: "plain" }).length).to.equal(1);
            expect(describeChanges("k8s", undefined, { kubeconfig: "[secret]" }, { kubeconfig: "apiVersion: v1 token" })).to.deep.equal(["k8s: kubeconfig changed ([secret])"]);
        });
        it("renders a base ref in a temporary worktree and removes it; an unknown ref is a clear error", function () {
            this.timeout(60000);
            const worktrees = () => require("child_process").execSync("git worktree list --porcelain", { cwd: ROOT, encoding: "utf8" }) as string;
            const before = worktrees();
            // The first commit has no render script: everything is "added", and the comment says why.
            const first = require("child_process").execSync("git rev-list --max-parents=0 HEAD", { cwd: ROOT, encoding: "utf8" }).trim().split("\n")[0];
            const r = renderAtRef(ROOT, first, "no-such-stack");
            expect(r.docs).to.deep.equal([]);
            expect(r.note).to.match(/no (render script|Pulumi\.no-such-stack\.yaml)/);
            expect(worktrees()).to.equal(before);
            expect(() => renderAtRef(ROOT, "no-such-ref-xyz", "dev")).to.throw(/--base no-such-ref-xyz: not a commit/);
        });
    });
});
