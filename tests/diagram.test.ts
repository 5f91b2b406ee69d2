import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { analyzePlan } from "../analysis";
import { DIAGRAM_KEY, diagramMarkdown, escapeLabel, MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, trafficDiagram, WORD_JOINER } from "../diagram";
import { buildPlan } from "../mesh/plan";
import { Lab } from "../program";
import { runUnderMocks } from "../render/mocks";
import { renderYaml } from "../render/yaml";
import { declaredObjects } from "../verify/verify";
import { devConfig, Flow, objectsOf, ROOT, SCENARIOS, scenarioConfig } from "./helpers/diagram";
import { parseMermaid } from "./helpers/mermaid";
import { clipWords, wrapWords } from "../diagram/wrap";
import { syntheticMesh } from "./helpers/syntheticMesh";

const GOLDEN = path.join(__dirname, "fixtures", "diagram", "dev.mmd");
type Spec = Record<string, any>;
const flow = async (text: string) => new Flow(await parseMermaid(text));
const short = (host: string) => host.replace(/\.default\.svc\.cluster\.local$/, "");

describe("traffic diagram (diagram/)", function () {
    // The first test loads Mermaid (about 2 s, once per run).
    this.timeout(20000);

    describe("the default dev stack", () => {
        it("matches the golden file (UPDATE_GOLDEN=1 rewrites it) and parses with Mermaid", async () => {
            const text = trafficDiagram(objectsOf(devConfig()));
            if (process.env.UPDATE_GOLDEN) fs.writeFileSync(GOLDEN, text);
            expect(text).to.equal(fs.readFileSync(GOLDEN, "utf8"));
            const p = await parseMermaid(text);
            expect(p.diagramType).to.equal("flowchart-v2");
        });

        it("draws clients → routes → the Service (the split on the edge) → subsets → Deployments, with the policies on their nodes", async () => {
            const f = await flow(trafficDiagram(objectsOf(devConfig())));
            const gw = f.node("ingress gateway", "Gateway ingress-gateway-k3d", ":80 HTTP2 · hosts *");
            const fortio = f.node("fortio-deploy ×1", "client in the mesh");
            const mesh = f.node("VirtualService nginx-vs");
            const ingress = f.node("VirtualService nginx-ingress");
            expect(f.edge(fortio, mesh).text).to.equal("nginx-service");
            expect(f.edge(gw, ingress).text).to.equal("hosts *");
            const svc = f.node("Service nginx-service :8000", "DestinationRule nginx-dr", "mTLS STRICT");
            const v1 = f.node("subset v1", "version=A");
            const v2 = f.node("subset v2", "version=B");
            // Each VirtualService: one edge into the Service, its split on it; neither jumps to a subset.
            for (const r of [mesh, ingress]) {
                expect(f.edge(r, svc).text).to.equal("v1 90 %<br>v2 10 %");
                expect(f.outOf(r)).to.have.length(1);
            }
            expect(f.edge(svc, v1).text).to.equal("");
            expect(f.edge(svc, v2).text).to.equal("");
            expect(f.into(v1).map((e) => e.start)).to.deep.equal([svc.id]);
            expect(f.into(v2).map((e) => e.start)).to.deep.equal([svc.id]);
            f.edge(v1, f.node("Deployment nginx ×1", "version A"));
            f.edge(v2, f.node("Deployment nginx-b ×1", "version B"));
            const sx = f.node("Service servicex-service :80", "circuit-breaker-servicex", "outlier detection: eject after 5 gateway errors", "interval 20s · ejected 30s · max 100 %", "mTLS STRICT");
            f.edge(fortio, sx);
            f.edge(sx, f.node("Deployment servicex ×1", "version 200"));
            f.edge(sx, f.node("Deployment servicex-error ×1", "version 504"));
            // Each Service box is titled with its host and holds the Service, its subsets and Deployments.
            expect(f.p.subgraphs.map((g) => [g.title, g.nodes.map((id) => f.text(id).split("<br>")[0]).sort()])).to.have.deep.members([
                ["nginx-service.default.svc.cluster.local", ["Deployment nginx ×1", "Deployment nginx-b ×1", "Service nginx-service :8000", "subset v1", "subset v2"]],
                ["servicex-service.default.svc.cluster.local", ["Deployment servicex ×1", "Deployment servicex-error ×1", "Service servicex-service :80"]],
            ]);
            // Fits on one screen: a handful of nodes, no tracing backend or fortio's own Service.
            expect(f.p.vertices.length).to.be.at.most(14);
            expect(f.p.vertices.some((v) => /jaeger|zipkin|Service fortio/.test(v.text))).to.equal(false);
        });

        it("the render's YAML documents (charts, commands and all) draw the same diagram as the plan's objects", async () => {
            const mocks = await runUnderMocks(() => new Lab("istio-mesh", devConfig()));
            const docs = yaml.loadAll(renderYaml(mocks.resources, mocks.secretValues)).filter((d) => d && typeof d === "object");
            expect(docs.some((d: any) => d.type === "kubernetes:helm.sh/v4:Chart"), "the render holds non-Kubernetes documents too").to.equal(true);
            expect(trafficDiagram(docs)).to.equal(fs.readFileSync(GOLDEN, "utf8"));
        });

        it("diagramMarkdown wraps it in a ```mermaid block", () => {
            const md = diagramMarkdown(trafficDiagram(objectsOf(devConfig())), { heading: "See the mesh" });
            expect(md).to.match(/^### See the mesh\n\n```mermaid\nflowchart LR\n[\s\S]*\n```\n\nDashed: /);
        });
    });

    describe("every scenario in examples/scenarios has its declared weights, faults and policies in the diagram", () => {
        const files = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith(".yaml"));
        it("there are scenarios to check", () => expect(files.length).to.be.at.least(12));

        for (const file of files) {
            it(file, async () => {
                const objects = objectsOf(scenarioConfig(file));
                const f = await flow(trafficDiagram(objects));
                // verify's own measuring clients are infrastructure, not the lab's traffic: the diagram leaves them out.
                const lab = objects.filter((o) => (o.metadata as { labels?: Record<string, string> }).labels?.["istio-mesh/role"] !== "verify-client");
                const of = (kind: string) => lab.filter((o) => o.kind === kind) as (Spec & { metadata: { name: string; namespace?: string } })[];
                const serviceNode = (host: string) => f.node(`Service ${short(host)}`);
                let checked = 0;

                for (const vs of of("VirtualService")) {
                    const http = vs.spec.http as Spec[];
                    http.forEach((h, i) => {
                        const r = f.node(`VirtualService ${vs.metadata.name}${http.length > 1 ? ` · rule ${i + 1}` : ""}`);
                        const lines = r.text.split("<br>");
                        if (h.fault?.delay) expect(lines, "delay").to.include(`fault: delay ${h.fault.delay.fixedDelay} on ${h.fault.delay.percentage.value} %`);
                        if (h.fault?.abort) expect(lines, "abort").to.include(`fault: abort ${h.fault.abort.httpStatus} on ${h.fault.abort.percentage.value} %`);
                        if (h.retries) expect(r.text, "retries").to.include(`retries ${h.retries.attempts} × ${h.retries.perTryTimeout} on ${h.retries.retryOn}`);
                        if (h.timeout) expect(lines, "timeout").to.include(`timeout ${h.timeout}`);
                        for (const m of (h.match ?? []) as Spec[]) {
                            const into = f.into(r).map((e) => e.text).join(" | ");
                            if (m.uri?.prefix) expect(into, "prefix match").to.include(`prefix ${m.uri.prefix}`);
                            for (const [name, v] of Object.entries((m.headers ?? {}) as Spec)) expect(into, "header match").to.include(`header ${name} ${v.exact !== undefined ? `= ${v.exact}` : `~ ${v.regex}`}`);
                        }
                        for (const d of (h.route ?? []) as Spec[]) {
                            const weight = d.weight ?? 100;
                            const line = `${d.destination.subset !== undefined ? `${d.destination.subset} ` : ""}${weight} %`;
                            // A Service's destinations: a line each on the one edge into the Service node.
                            const svc = f.p.vertices.find((v) => v.text.startsWith(`Service ${short(d.destination.host)} `));
                            const out = f.outOf(r).filter((e) => (!svc || e.end === svc.id) && e.text.split("<br>").some((l) => l === line || l.startsWith(`${line} · `)));
                            expect(out, `${vs.metadata.name} rule ${i + 1} → ${d.destination.subset ?? d.destination.host} ${weight} %`).to.have.length(1);
                            if (svc && d.destination.subset !== undefined) f.edge(svc, f.node(`subset ${d.destination.subset}`));
                            checked++;
                        }
                    });
                }
                for (const dr of of("DestinationRule")) {
                    const node = serviceNode(dr.spec.host.includes(".") ? dr.spec.host : `${dr.spec.host}`);
                    const tp = dr.spec.trafficPolicy as Spec | undefined;
                    if (tp?.loadBalancer?.simple) expect(node.text).to.include(`LB ${tp.loadBalancer.simple}`);
                    if (tp?.loadBalancer?.consistentHash?.httpHeaderName) expect(node.text).to.include(`consistent hash on header ${tp.loadBalancer.consistentHash.httpHeaderName}`);
                    if (tp?.outlierDetection) expect(node.text).to.include(`outlier detection: eject after ${tp.outlierDetection.consecutiveGatewayErrors} gateway errors`);
                    if (tp?.connectionPool) expect(node.text).to.include("connection pool:");
                    for (const sub of (dr.spec.subsets ?? []) as Spec[]) {
                        const s = f.node(`subset ${sub.name}`);
                        if (sub.trafficPolicy?.loadBalancer?.simple) expect(s.text).to.include(`LB ${sub.trafficPolicy.loadBalancer.simple}`);
                        checked++;
                    }
                }
                for (const pa of of("PeerAuthentication")) {
                    for (const svc of of("Service").filter((s) => s.metadata.name !== "fortio")) expect(serviceNode(svc.metadata.name).text).to.include(`mTLS ${pa.spec.mtls.mode}`);
                    checked++;
                }
                for (const ap of of("AuthorizationPolicy")) {
                    const svc = of("Service").find((s) => Object.entries(s.spec.selector).every(([k, v]) => ap.spec.selector.matchLabels[k] === v))!;
                    const node = serviceNode(svc.metadata.name);
                    const sa = String(ap.spec.rules[0].from[0].source.principals[0]).split("/sa/")[1];
                    expect(f.edge(f.node(`${sa} ×1`), node).text).to.equal(`allowed by ${ap.metadata.name}`);
                    expect(node.text).to.include(`AuthorizationPolicy ${ap.metadata.name}: ALLOW from sa default/${sa}`);
                    checked++;
                }
                for (const ef of of("EnvoyFilter")) {
                    const rps = ef.spec.configPatches[0].patch.value.typed_config.value.token_bucket.tokens_per_fill;
                    expect(f.p.vertices.some((v) => v.text.includes(`rate limit ${rps} req / 1s per pod`))).to.equal(true);
                    checked++;
                }
                for (const se of of("ServiceEntry")) {
                    f.node(`external ${se.spec.hosts[0]} :${se.spec.ports[0].number} ${se.spec.ports[0].protocol}`);
                    checked++;
                }
                for (const d of of("Deployment").filter((x) => x.metadata.name !== "fortio-deploy")) {
                    f.node(`Deployment ${d.metadata.name} ×${d.spec.replicas}`, `version ${d.spec.template.metadata.labels.version}`);
                    checked++;
                }
                // Every Service box has a title and is entered only at its Service node, which leads to the rest of the box.
                for (const g of f.p.subgraphs) {
                    expect(g.title.trim(), `${g.id} has a title`).to.not.equal("");
                    const inBox = new Set(g.nodes);
                    const service = g.nodes.filter((id) => f.text(id).startsWith("Service "));
                    expect(service, g.title).to.have.length(1);
                    expect(f.p.edges.filter((e) => inBox.has(e.end) && !inBox.has(e.start)).map((e) => f.text(e.end)), `${g.title}: edges from outside end at the Service`).to.satisfy((ends: string[]) => ends.every((t) => t.startsWith("Service ")));
                    const reached = new Set(service);
                    for (let grew = true; grew; ) {
                        grew = false;
                        for (const e of f.p.edges) if (reached.has(e.start) && inBox.has(e.end) && !reached.has(e.end)) grew = !!reached.add(e.end);
                    }
                    expect(g.nodes.filter((id) => !reached.has(id)).map((id) => f.text(id)), `${g.title}: reached from its Service`).to.deep.equal([]);
                }
                // One edge per pair of nodes: a route's split to a Service is one label, not one per subset.
                expect(new Set(f.p.edges.map((e) => `${e.start}>${e.end}`)).size).to.equal(f.p.edges.length);
                expect(checked, "the scenario declares something to draw").to.be.greaterThan(2);
                expect(f.p.vertices.map((v) => v.text).join(" "), "verify's clients are not drawn").to.not.include("fortio-outside").and.not.include("fortio-stranger");
            });
        }

        it("literally: 9 canary 20/80 with 8 and 18 pods", async () => {
            const f = await flow(trafficDiagram(objectsOf(scenarioConfig("09-canary-20-80.yaml"))));
            const r = f.node("VirtualService nginx-vs");
            const svc = f.node("Service nginx-service");
            expect(f.edge(r, svc).text).to.equal("v1 20 %<br>v2 80 %");
            f.edge(svc, f.node("subset v1"));
            f.edge(svc, f.node("subset v2"));
            f.node("Deployment nginx ×8");
            f.node("Deployment nginx-b ×18");
        });

        it("literally: 11 sticky canary pins by cookie and sets it on the weighted split", async () => {
            const f = await flow(trafficDiagram(objectsOf(scenarioConfig("11-sticky-canary.yaml"))));
            const pin = f.node("VirtualService nginx-vs · rule 1");
            expect(f.into(pin).map((e) => e.text)).to.include("nginx-service<br>header cookie ~ ^(.*?; ?)?nginx-version=v1(;.*)?$");
            expect(f.edge(pin, f.node("Service nginx-service")).text).to.equal("v1 100 %");
            expect(f.edge(f.node("VirtualService nginx-vs · rule 3"), f.node("Service nginx-service")).text).to.equal("v1 90 % · sets cookie nginx-version=v1<br>v2 10 % · sets cookie nginx-version=v2");
        });

        it("literally: 18 security — only fortio may call servicex, 200 req/s, httpbin.org with a 3 s timeout", async () => {
            const f = await flow(trafficDiagram(objectsOf(scenarioConfig("18-security.yaml"))));
            const sx = f.node("Service servicex-service :80", "mTLS STRICT", "rate limit 200 req / 1s per pod", "AuthorizationPolicy servicex-service-allow: ALLOW from sa default/fortio-deploy");
            expect(f.edge(f.node("fortio-deploy ×1"), sx).text).to.equal("allowed by servicex-service-allow");
            const timeout = f.node("VirtualService httpbin-timeout", "timeout 3s");
            f.edge(timeout, f.node("external httpbin.org :80 HTTP", "ServiceEntry httpbin · MESH_EXTERNAL"));
        });

        it("the egress gateway sits between the mesh and the external host", async () => {
            const cfg = scenarioConfig("18-security.yaml");
            const raw = { security: { mtls: "STRICT", egress: { gateway: true, serviceEntries: { httpbin: { host: "httpbin.org", port: 80, protocol: "HTTP", timeout: "3s" } } } } };
            const f = await flow(trafficDiagram(objectsOf(require("../config/parse").parseConfig(raw, "dev"))));
            void cfg;
            const gw = f.node("egress gateway", "Gateway istio-egressgateway", "hosts httpbin.org");
            const toGw = f.node("VirtualService httpbin-via-egress · rule 1", "timeout 3s");
            const out = f.node("VirtualService httpbin-via-egress · rule 2");
            expect(f.edge(f.node("fortio-deploy ×1"), toGw).text).to.equal("httpbin.org<br>port 80");
            expect(f.edge(toGw, gw).text).to.equal("100 % · port 80");
            f.edge(gw, out);
            f.edge(out, f.node("external httpbin.org :80 HTTP"));
        });
    });

    describe("analyzer findings", () => {
        it("a route that cannot take effect (IST0140) is dashed and says why; a subset selecting no pods (IST0173) is marked; the messages whole, broken between words", async () => {
            const cfg = devConfig();
            const plan = buildPlan(cfg);
            const vs = plan.trafficPolicies.virtualServices.find((v) => v.metadata.name === "nginx-ingress")!;
            (vs.spec as Spec).http[0].route = [{ destination: { host: "nginx-service" } }];
            const dr = plan.trafficPolicies.destinationRules.find((v) => v.metadata.name === "nginx-dr")!;
            (dr.spec as Spec).subsets[1].labels = { version: "Z" };
            const findings = analyzePlan(cfg, plan);
            expect(findings.map((x) => x.code)).to.have.members(["IST0140", "IST0173"]);
            const text = trafficDiagram(declaredObjects(plan as any), { findings });
            const f = await flow(text);
            const r = f.node("VirtualService nginx-ingress", "⚠ IST0140: routes to");
            const e = f.edge(r, f.node("Service nginx-service"));
            expect(e.text).to.equal("100 % · ⚠ IST0140");
            expect(text).to.match(/n\d+ -\.->\|"100 % · ⚠ IST0140"\| n\d+/);
            const v2 = f.node("subset v2", "version=Z", "⚠ IST0173", "selects no Deployment");
            expect(text).to.match(/classDef finding /);
            // Both messages (over 140 characters) are there in full, in lines of at most 28 characters
            // broken only at spaces: joined with spaces again, each line sequence is the message.
            for (const [node, code] of [[r, "IST0140"], [v2, "IST0173"]] as const) {
                const finding = findings.find((x) => x.code === code)!;
                expect(finding.message.length).to.be.greaterThan(110);
                const lines = node.text.split("<br>");
                const start = lines.findIndex((l) => l.startsWith(`⚠ ${code}: `));
                const own = lines.slice(start).filter((l, i) => i === 0 || !/^(⚠|selects no Deployment$)/.test(l));
                expect(own.join(" ")).to.equal(`⚠ ${code}: ${finding.message}`);
                for (const l of own) expect(l.length <= 28 || !l.includes(" "), JSON.stringify(l)).to.equal(true);
            }
        });
    });

    describe("long texts broken between words (diagram/wrap.ts)", () => {
        const rows: { text: string; width: number; lines: string[] }[] = [
            { text: "short", width: 28, lines: ["short"] },
            { text: "", width: 28, lines: [] },
            { text: "routes to nginx-service with no subset; its split", width: 20, lines: ["routes to", "nginx-service with", "no subset; its split"] },
            // A word longer than the width keeps a line of its own, whole.
            { text: 'pods: {"app":"nginx","version":"A"}, ok', width: 10, lines: ["pods:", '{"app":"nginx","version":"A"},', "ok"] },
            { text: "a  b\n\tc", width: 3, lines: ["a b", "c"] },
        ];
        for (const r of rows) it(`wrapWords(${JSON.stringify(r.text)}, ${r.width})`, () => expect(wrapWords(r.text, r.width)).to.deep.equal(r.lines));

        const clips: { text: string; max: number; out: string }[] = [
            { text: "fits as it is", max: 20, out: "fits as it is" },
            { text: "one two three four", max: 12, out: "one two …" },
            { text: "averyveryverylongword and more", max: 8, out: "averyveryverylongword …" },
        ];
        for (const c of clips) it(`clipWords(${JSON.stringify(c.text)}, ${c.max}) ends at a word`, () => expect(clipWords(c.text, c.max)).to.equal(c.out));
    });

    describe("escaping", () => {
        const hostile = ['a"b', "x#quot;y", "#35;", "end", "<b>bold</b>", "a|b", "`md`", "[sq]", "(p)", "{c}", "%% not a comment", "semi;colon", "&amp;", "--> x", "a\nb", ":::cls", "click", "&#35;", "$$x^2$$", "fa:fa-car", "sofa:fa-x"];

        it("escapeLabel leaves no quote, no raw #, no angle bracket, no $$ (math) or fa:fa- (icon) for the browser", () => {
            for (const h of hostile) expect(escapeLabel(h)).to.not.match(/["<>`\n]|#(?!35;|quot;|amp;|lt;|gt;|96;)|\$\$|fa[bklrs]?:fa-/);
        });

        it("hostile names, hosts, headers and regexes survive the real parser unchanged", async () => {
            const objects: Spec[] = [];
            hostile.forEach((h, i) => {
                objects.push({ apiVersion: "v1", kind: "Service", metadata: { name: `s${i}`, namespace: "default" }, spec: { selector: { app: `a${i}` }, ports: [{ port: 80 }] } });
                objects.push({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: `d${i}`, namespace: "default" }, spec: { replicas: 1, template: { metadata: { labels: { app: `a${i}`, version: h } }, spec: { containers: [{ image: "x" }] } } } });
                objects.push({ apiVersion: "networking.istio.io/v1", kind: "VirtualService", metadata: { name: `v${i}`, namespace: "default" }, spec: { hosts: [`s${i}`], http: [{ match: [{ headers: { [h]: { regex: h } } }], timeout: h, route: [{ destination: { host: `s${i}` } }] }] } });
            });
            const text = trafficDiagram(objects);
            const p = await parseMermaid(text);
            // The only change: an invisible WORD JOINER inside `$$` and after `fa:`.
            const texts = [...p.vertices.map((v) => v.text), ...p.edges.map((e) => e.text)].join("\n").replace(new RegExp(WORD_JOINER, "g"), "");
            for (const h of hostile) {
                const flat = h.replace(/\n/g, " ");
                expect(texts, JSON.stringify(h)).to.include(`version ${flat}`);
                expect(texts, JSON.stringify(h)).to.include(`timeout ${flat}`);
                expect(texts, JSON.stringify(h)).to.include(`header ${flat} ~ ${flat}`);
            }
            // Ids are generated: a name never becomes a node id or keyword.
            for (const v of p.vertices) expect(v.id).to.match(/^[ng]\d+$/);
        });
    });

    describe("at scale", () => {
        const synthetic = syntheticMesh;

        it("up to maxServices in full detail; beyond, one node per service", async () => {
            expect(trafficDiagram(synthetic(20)).match(/\("subset v[12]/g)).to.have.length(40);
            const text = trafficDiagram(synthetic(200));
            const p = await parseMermaid(text);
            expect(p.vertices.filter((v) => v.text.startsWith("subset "))).to.have.length(0);
            const services = p.vertices.filter((v) => v.text.startsWith("Service svc-"));
            expect(services).to.have.length(200);
            expect(services[0].text).to.equal("Service svc-0 :80<br>2 subsets · 2 Deployments · 4 pods<br>LB ROUND_ROBIN");
            expect(p.edges.find((e) => e.text === "svc-0-vs v1 90 %<br>svc-0-vs v2 10 %") ?? p.edges.find((e) => e.text.startsWith("svc-0-vs"))).to.not.equal(undefined);
        });

        it("10,000 services: well under a second, within Mermaid's default limits, the rest counted", async () => {
            const r = spawnSync(process.execPath, ["--import", "tsx", path.join(__dirname, "helpers", "benchDiagram.ts"), "10000"], { cwd: ROOT, encoding: "utf8", timeout: 60000, maxBuffer: 16 * 1024 * 1024 });
            expect(r.status, r.stderr).to.equal(0);
            const { times, text } = JSON.parse(r.stdout) as { times: number[]; text: string };
            // Best of three: a run may include a garbage collection of the 50,000 objects just made.
            const ms = Math.min(...times);
            console.log(`      10,000 services (50,000 objects), fresh process: ${times.map((t) => t.toFixed(0)).join(" / ")} ms, ${text.length} characters`);
            expect(ms).to.be.below(1000);
            expect(text.length).to.be.at.most(MERMAID_MAX_TEXT);
            const p = await parseMermaid(text);
            expect(p.edges.length).to.be.at.most(MERMAID_MAX_EDGES);
            const drawn = p.vertices.filter((v) => v.text.startsWith("Service svc-")).length;
            expect(drawn).to.be.greaterThan(100);
            const note = p.vertices.find((v) => v.text.startsWith("… "));
            expect(note?.text).to.equal(`… ${(10000 - drawn).toLocaleString("en-US")} more services not drawn (Mermaid renders at most 50,000 characters and 500 edges)`);
        });

        it("long names still stay within the limits", async () => {
            const text = trafficDiagram(synthetic(400, (i) => `${"x".repeat(55)}-${i}`));
            expect(text.length).to.be.at.most(MERMAID_MAX_TEXT);
            const p = await parseMermaid(text);
            expect(p.edges.length).to.be.at.most(MERMAID_MAX_EDGES);
        });
    });

    it("docs/diagram.md shows the default lab's diagram", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "diagram.md"), "utf8");
        const block = /```mermaid\n([\s\S]*?)```/.exec(doc);
        expect(block?.[1]).to.equal(fs.readFileSync(GOLDEN, "utf8"));
    });

    it("docs/diagram.md keys every shape and line the page keys, in the same words", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "diagram.md"), "utf8");
        for (const k of DIAGRAM_KEY) expect(doc).to.include(`| ${k.name} | ${k.meaning} |`);
    });
});
