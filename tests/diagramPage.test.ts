import { expect } from "chai";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { DIAGRAM_KEY, diagramPage, trafficDiagram, WORD_JOINER } from "../diagram";
import { mermaidBundle } from "../diagram/mermaidBundle";
import { blockingProxy, dumpDom, findChromium, pageRequests, textOf } from "./helpers/chromium";
import { devConfig, objectsOf, scenarioConfig } from "./helpers/diagram";
import { render } from "./helpers/render";

const FIXTURES = path.join(__dirname, "fixtures", "diagram");

describe("the diagram as an HTML page (render --graph <file>.html)", function () {
    this.timeout(120000);
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "diagram-page-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    describe("the page (no browser)", () => {
        const bundle = mermaidBundle();
        const page = diagramPage("flowchart LR\n    n0[\"a<br>b\"] -->|\"v1 90 %\"| n1\n", { title: "Traffic of stack <dev>", about: "what & why", mermaid: bundle });

        it("inlines the installed Mermaid bundle and refers to nothing outside itself", () => {
            expect(bundle.version).to.match(/^11\.\d+\.\d+$/);
            expect(page).to.include(bundle.js);
            // Everything but the bundle: no src, href, url() or @import, and a policy that forbids fetching.
            const own = page.replace(bundle.js, "");
            expect(own).to.not.match(/\ssrc=|\shref=|url\(|@import/i);
            expect(own).to.include(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">`);
        });

        it("escapes the title, the text and the Mermaid source; keys every shape and line", () => {
            expect(page).to.include("<h1>Traffic of stack &lt;dev&gt;</h1>").and.include("what &amp; why");
            expect(page).to.include('<pre class="mermaid">flowchart LR\n    n0[&quot;a&lt;br&gt;b&quot;] --&gt;|&quot;v1 90 %&quot;| n1</pre>');
            for (const k of DIAGRAM_KEY) expect(page).to.include(k.meaning.replace(/&/g, "&amp;"));
        });

        it("refuses a bundle that could end its <script> element", () => {
            expect(() => diagramPage("flowchart LR\n", { title: "t", about: "a", mermaid: { js: 'var s = "</script>";', version: "0" } })).to.throw(/<script> tag/);
        });
    });

    describe("opened in headless Chromium, the network cut off", function () {
        const chromium = findChromium();
        let proxy: Awaited<ReturnType<typeof blockingProxy>>;

        before(async function () {
            if (!chromium) {
                // Visible in the run's output, not only as a pending test: .ci/run installs chromium, so CI never gets here.
                console.log("      SKIPPED: no chromium on PATH (Debian: apt-get install chromium; set CHROMIUM=<path> for another) — the page is not opened in a browser");
                this.skip();
            }
            proxy = await blockingProxy();
        });
        after(async () => proxy && (await proxy.close()));

        /** The page with a probe that reports where Mermaid put the edges and their labels, once it has drawn. */
        const withProbe = (page: string) => {
            // The page's own </body> is its last: the inlined bundle holds that text too.
            const at = page.lastIndexOf("</body>");
            return `${page.slice(0, at)}<script>
window.diagramRendered.then(function () {
  var svg = document.querySelector('#diagram svg');
  var labels = Array.prototype.map.call(svg.querySelectorAll('g.edgeLabel'), function (g) {
    var r = g.getBoundingClientRect(), l = g.querySelector('.label');
    return { id: l ? l.getAttribute('data-id') : '', text: g.textContent.trim(), x: r.left, y: r.top, w: r.width, h: r.height };
  }).filter(function (l) { return l.text && l.w > 0; });
  var edges = Array.prototype.map.call(svg.querySelectorAll('path.flowchart-link'), function (p) {
    var n = p.getTotalLength(), m = p.getScreenCTM(), pts = [];
    for (var i = 0; i <= 60; i++) { var q = p.getPointAtLength(n * i / 60), s = new DOMPoint(q.x, q.y).matrixTransform(m); pts.push([s.x, s.y]); }
    return { id: p.getAttribute('data-id'), pts: pts };
  });
  var out = document.createElement('pre'); out.id = 'probe'; out.textContent = JSON.stringify({ labels: labels, edges: edges });
  document.body.appendChild(out);
});
</script>
${page.slice(at)}`;
        };

        type Probe = { labels: { id: string; text: string; x: number; y: number; w: number; h: number }[]; edges: { id: string; pts: [number, number][] }[] };
        const probeOf = (dom: string): Probe => {
            const m = /<pre id="probe">([\s\S]*?)<\/pre>/.exec(dom);
            expect(m, "the probe ran: Mermaid finished drawing").to.not.equal(null);
            return JSON.parse(textOf(m![1])) as Probe;
        };
        /** `L_n8_n3_0` → its two nodes. */
        const ends = (id: string) => /^L_(.+?)_(.+?)_\d+$/.exec(id)!.slice(1, 3);
        const cross = (a: [number, number], b: [number, number], c: [number, number], d: [number, number]) => {
            const o = (p: [number, number], q: [number, number], r: [number, number]) => (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
            return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
        };
        const crosses = (p: [number, number][], q: [number, number][]) => p.some((_, i) => i > 0 && q.some((__, j) => j > 0 && cross(p[i - 1], p[i], q[j - 1], q[j])));
        const overlap = (a: Probe["labels"][0], b: Probe["labels"][0]) => a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1;

        /** Weight-labelled edges that cross another edge (not one they share a node with), and labels drawn over each other. */
        function tangles(p: Probe): { crossings: string[]; overlaps: string[] } {
            const text = new Map(p.labels.map((l) => [l.id, l.text]));
            const crossings: string[] = [];
            p.edges.forEach((e, i) => {
                if (!/\d %/.test(text.get(e.id) ?? "")) return;
                p.edges.forEach((f, j) => {
                    if (i === j || ends(e.id).some((n) => ends(f.id).includes(n))) return;
                    if (crosses(e.pts, f.pts)) crossings.push(`${e.id} "${text.get(e.id)}" × ${f.id} "${text.get(f.id) ?? ""}"`);
                });
            });
            const overlaps: string[] = [];
            p.labels.forEach((a, i) => p.labels.slice(i + 1).forEach((b) => overlap(a, b) && overlaps.push(`"${a.text}" over "${b.text}"`)));
            return { crossings, overlaps };
        }

        it("npm run render -- dev --graph mesh.html: a page that draws the diagram with nothing fetched", async () => {
            // In a folder of its own: no file beside it to lean on.
            const file = path.join(dir, "mesh.html");
            const r = render(["--graph", file, "dev"]); // the .html file is --graph's value, dev the stack
            expect(r.status, r.stderr).to.equal(0);
            expect(r.stdout).to.equal("");
            expect(r.stderr).to.include(`wrote the traffic diagram of stack "dev" to ${file}`);
            expect(fs.readdirSync(dir)).to.deep.equal(["mesh.html"]);

            const shot = process.env.DIAGRAM_SCREENSHOT;
            const asked = proxy.asked.length;
            const dom = await dumpDom(chromium!, file, { proxyPort: proxy.port, ...(shot ? { screenshot: shot } : {}) });
            expect(pageRequests(proxy.asked.slice(asked)), "requests the page made").to.deep.equal([]);
            expect(dom).to.include('<body data-rendered="yes">');
            const box = dom.slice(dom.indexOf('<div id="diagram">'), dom.indexOf("<h2>Key</h2>"));
            expect(box).to.match(/^<div id="diagram"><pre class="mermaid"[^>]*><svg /);
            const seen = textOf(box);
            for (const label of [
                "ingress gateway\nGateway ingress-gateway-k3d",
                "fortio-deploy ×1\nclient in the mesh",
                "VirtualService nginx-vs",
                "VirtualService nginx-ingress",
                "nginx-service.default.svc.cluster.local",
                "Service nginx-service :8000\nDestinationRule nginx-dr\nmTLS STRICT",
                "v1 90 %\nv2 10 %",
                "subset v1\nversion=A",
                "subset v2\nversion=B",
                "Deployment nginx ×1\nversion A",
                "servicex-service.default.svc.cluster.local",
                "Deployment servicex-error ×1\nversion 504",
            ]) {
                expect(seen, JSON.stringify(label)).to.include(label);
            }
            expect(seen).to.not.match(/Syntax error|could not draw/i);
            const head = textOf(dom.slice(dom.indexOf("<h1>"), dom.indexOf('<div id="diagram">')));
            expect(head).to.include("Traffic of stack dev").and.include("npm run render -- dev --graph mesh.html").and.include("before anything is deployed");
        });

        it("the cut-off holds: a page that loads Mermaid from a local server draws with the network, not without it", async () => {
            const bundle = mermaidBundle();
            let served = 0;
            const server = http.createServer((_, res) => {
                served++;
                res.writeHead(200, { "content-type": "text/javascript" }).end(bundle.js);
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            try {
                const port = (server.address() as AddressInfo).port;
                const file = path.join(dir, "remote.html");
                fs.writeFileSync(file, `<!doctype html><html><body><pre class="mermaid">flowchart LR\n    a["left"] --> b["right"]</pre><script src="http://127.0.0.1:${port}/mermaid.min.js"></script><script>mermaid.run();</script></body></html>`);
                const open = await dumpDom(chromium!, file, { proxyPort: proxy.port, network: "loopback" });
                expect(served).to.equal(1);
                expect(open).to.match(/<svg /);
                const asked = proxy.asked.length;
                const cut = await dumpDom(chromium!, file, { proxyPort: proxy.port });
                expect(served, "the server was not reached").to.equal(1);
                expect(pageRequests(proxy.asked.slice(asked))).to.deep.equal([`GET http://127.0.0.1:${port}/mermaid.min.js`]);
                expect(cut).to.not.match(/<svg /);
            } finally {
                await new Promise((resolve) => server.close(resolve));
            }
        });

        it("the probe sees the tangle issue 21 reported: the old layout's weight edges cross", async () => {
            const file = path.join(dir, "before.html");
            fs.writeFileSync(file, withProbe(diagramPage(fs.readFileSync(path.join(FIXTURES, "dev-before-issue-21.mmd"), "utf8"), { title: "before", about: "", mermaid: mermaidBundle() })));
            const t = tangles(probeOf(await dumpDom(chromium!, file, { proxyPort: proxy.port })));
            expect(t.crossings.length, t.crossings.join("\n")).to.be.greaterThan(0);
        });

        it("labels read as declared: no HTML, no math, no icon, whatever the names and values", async () => {
            const hostile = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "$$x^2$$", "fa:fa-car", "**bold**", 'a"b', "#quot;", "&amp;"];
            const objects = hostile.flatMap((h, i) => [
                { apiVersion: "v1", kind: "Service", metadata: { name: `s${i}`, namespace: "default" }, spec: { selector: { app: `a${i}` }, ports: [{ port: 80 }] } },
                { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: `d${i}`, namespace: "default" }, spec: { replicas: 1, template: { metadata: { labels: { app: `a${i}`, version: h } }, spec: { containers: [{ image: "x" }] } } } },
            ]);
            const file = path.join(dir, "hostile.html");
            fs.writeFileSync(file, diagramPage(trafficDiagram(objects), { title: "hostile", about: "", mermaid: mermaidBundle() }));
            const dom = await dumpDom(chromium!, file, { proxyPort: proxy.port });
            expect(dom).to.include('<body data-rendered="yes">');
            const box = dom.slice(dom.indexOf('<div id="diagram">'), dom.indexOf("<h2>Key</h2>")).replace(/<style>[\s\S]*?<\/style>/g, "");
            expect(box, "nothing became an element").to.not.match(/<img|<script|<strong|<i class|katex|<math/i);
            const seen = textOf(box).replace(new RegExp(WORD_JOINER, "g"), "");
            for (const h of hostile) expect(seen, JSON.stringify(h)).to.include(`version ${h}`);
        });

        for (const [name, objects] of [
            ["the default lab", () => objectsOf(devConfig())],
            ["11 sticky canary (six routes into one Service)", () => objectsOf(scenarioConfig("11-sticky-canary.yaml"))],
        ] as const) {
            it(`${name}: no weight edge crosses another, no two edge labels overlap`, async () => {
                const file = path.join(dir, "probe.html");
                const asked = proxy.asked.length;
                fs.writeFileSync(file, withProbe(diagramPage(trafficDiagram(objects()), { title: name, about: "", mermaid: mermaidBundle() })));
                const p = probeOf(await dumpDom(chromium!, file, { proxyPort: proxy.port }));
                expect(p.labels.filter((l) => /\d %/.test(l.text)).length, "weight labels drawn").to.be.greaterThan(1);
                const t = tangles(p);
                expect(t.crossings, "crossings").to.deep.equal([]);
                expect(t.overlaps, "overlapping labels").to.deep.equal([]);
                expect(pageRequests(proxy.asked.slice(asked))).to.deep.equal([]);
            });
        }
    });
});
