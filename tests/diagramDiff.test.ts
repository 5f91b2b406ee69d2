import { expect } from "chai";
import { diagramDiff, diagramDiffResult } from "../diagram";
import { commentMarkdown } from "../review/comment";
import { compareDocuments, Doc, trafficDiagramDiff } from "../review/offlineDiff";
import { devConfig, Flow, objectsOf, scenarioConfig } from "./helpers/diagram";
import { parseMermaid } from "./helpers/mermaid";
import { syntheticMesh } from "./helpers/syntheticMesh";

type Spec = Record<string, any>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const flow = async (text: string) => new Flow(await parseMermaid(text));

describe("traffic diagram of a change (diagramDiff, the pull-request comment)", function () {
    this.timeout(20000);
    const base = objectsOf(devConfig());

    it("a changed weight is a marked edge: v1 90 % → 75 %, v2 10 % → 25 %", async () => {
        const head = objectsOf(scenarioConfig("09-canary-75-25.yaml"));
        const { mermaid, changes } = diagramDiffResult(base, head);
        expect(changes).to.equal(2); // the split of nginx-vs and that of nginx-ingress
        const f = await flow(mermaid);
        for (const vs of ["VirtualService nginx-vs", "VirtualService nginx-ingress"]) {
            expect(f.edge(f.node(vs), f.node("Service nginx-service")).text).to.equal("v1 90 % → 75 %<br>v2 10 % → 25 %");
        }
        expect(mermaid).to.match(/n\d+ ==>\|"v1 90 % → 75 %<br>v2 10 % → 25 %"\| n\d+/);
        expect(mermaid).to.match(/linkStyle [\d,]+ stroke:#e67700/);
        expect(mermaid).to.include("%% 2 changes in the declared traffic");
    });

    it("a split compared destination by destination: unchanged lines stay, a new and a removed destination say so", async () => {
        const head = clone(base) as Spec[];
        const vs = head.find((o) => o.kind === "VirtualService" && o.metadata.name === "nginx-vs")!;
        vs.spec.http[0].route = [
            { destination: { host: "nginx-service", subset: "v1" }, weight: 90 },
            { destination: { host: "nginx-service", subset: "v3" }, weight: 10 },
        ];
        const f = await flow(diagramDiff(base, head));
        expect(f.edge(f.node("VirtualService nginx-vs"), f.node("Service nginx-service")).text).to.equal("v1 90 %<br>new: v3 10 %<br>removed: v2 10 %");
        // The undeclared subset is drawn in the box, reached from the Service, dashed and marked.
        f.edge(f.node("Service nginx-service"), f.node("subset v3", "not declared in a DestinationRule"));
    });

    it("summarised (beyond 25 services): a changed weight reads per route and subset too", async () => {
        const before = syntheticMesh(30);
        const after = clone(before) as Spec[];
        const vs = after.find((o) => o.kind === "VirtualService" && o.metadata.name === "svc-3-vs")!;
        vs.spec.http[0].route[0].weight = 75;
        vs.spec.http[0].route[1].weight = 25;
        const { mermaid, changes } = diagramDiffResult(before, after);
        expect(changes).to.equal(1);
        const f = await flow(mermaid);
        expect(f.edge(f.node("callers in the mesh"), f.node("Service svc-3 :80")).text).to.equal("svc-3-vs v1 90 % → 75 %<br>svc-3-vs v2 10 % → 25 %");
    });

    it("no change: the plain diagram, nothing marked", async () => {
        const { mermaid, changes } = diagramDiffResult(base, clone(base));
        expect(changes).to.equal(0);
        expect(mermaid).to.not.match(/==>|classDef|linkStyle|was:|\(new\)/);
        await parseMermaid(mermaid);
    });

    it("a new fault marks its route changed; a new route and a removed Deployment say so", async () => {
        const head = clone(base) as Spec[];
        const vs = head.find((o) => o.kind === "VirtualService" && o.metadata.name === "nginx-vs")!;
        vs.spec.http[0].fault = { delay: { fixedDelay: "10s", percentage: { value: 50 } } };
        const ingress = head.find((o) => o.kind === "VirtualService" && o.metadata.name === "nginx-ingress")!;
        ingress.spec.http.unshift({ match: [{ uri: { prefix: "/b" } }], route: [{ destination: { host: "nginx-service", subset: "v2" } }] });
        const withoutErrorPod = head.filter((o) => !(o.kind === "Deployment" && o.metadata.name === "servicex-error"));
        const f = await flow(diagramDiff(base, withoutErrorPod));
        f.node("VirtualService nginx-vs", "fault: delay 10s on 50 %", "(changed)");
        const rule1 = f.node("VirtualService nginx-ingress · rule 1", "(new)");
        // The rule that was first is now second: the same rule, not a changed one.
        expect(f.node("VirtualService nginx-ingress · rule 2").text).to.equal("VirtualService nginx-ingress · rule 2");
        expect(f.edge(rule1, f.node("Service nginx-service")).text).to.equal("new: v2 100 %");
        expect(f.edge(f.node("ingress gateway"), rule1).text).to.equal("new: hosts * · prefix /b");
        f.node("removed:", "Deployment servicex-error ×1");
    });

    it("the offline diff's comment shows the diagram under the resource changes, a changed weight marked", async () => {
        const head = objectsOf(scenarioConfig("09-canary-75-25.yaml"));
        const [b, h] = [clone(base) as Doc[], clone(head) as Doc[]];
        const set = compareDocuments(b, h);
        const md = commentMarkdown(set, { marker: "<!-- m -->", heading: "Preview", diagram: trafficDiagramDiff(b, h), findings: [] });
        const i = md.indexOf("### Traffic after this change");
        expect(i).to.be.greaterThan(md.indexOf("nginx-vs: route v2 weight 10 → 25"));
        expect(i).to.be.lessThan(md.indexOf("### Analyzer findings"));
        const block = /```mermaid\n([\s\S]*?)```/.exec(md.slice(i))![1];
        const f = await flow(block);
        expect(f.edge(f.node("VirtualService nginx-ingress"), f.node("Service nginx-service")).text).to.equal("v1 90 % → 75 %<br>v2 10 % → 25 %");
        // Without the option the comment is what it was.
        expect(commentMarkdown(set, { marker: "<!-- m -->", heading: "Preview" })).to.not.include("mermaid");
    });

    it("a comment that would be too long drops the diagram first and says so", () => {
        const head = objectsOf(scenarioConfig("09-canary-75-25.yaml"));
        const set = compareDocuments(clone(base) as Doc[], clone(head) as Doc[]);
        const diagram = trafficDiagramDiff(clone(base) as Doc[], clone(head) as Doc[]);
        const short = commentMarkdown(set, { marker: "<!-- m -->", heading: "Preview", findings: [] });
        const md = commentMarkdown(set, { marker: "<!-- m -->", heading: "Preview", diagram, findings: [], limit: short.length + 200 });
        expect(md).to.not.include("```mermaid");
        expect(md).to.include("The traffic diagram is left out");
        expect(md).to.include("nginx-vs: route v2 weight 10 → 25");
    });
});
