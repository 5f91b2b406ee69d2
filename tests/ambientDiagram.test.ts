/**
 * The traffic diagram on the ambient data plane: the client's calls pass ztunnel, and a waypoint where
 * the service has one; the sidecar picture is unchanged (tests/diagram.test.ts keeps its golden file).
 */
import { expect } from "chai";
import { planObjects } from "../analysis";
import { trafficGraph } from "../diagram/trafficGraph";
import { buildPlan } from "../mesh/plan";
import { config } from "./helpers/config";

const graphOf = (raw: Record<string, unknown>) => trafficGraph(planObjects(buildPlan(config(raw))));
const label = (g: ReturnType<typeof graphOf>, key: string) => g.nodes.find((n) => n.key === key)?.lines[0];
const edges = (g: ReturnType<typeof graphOf>) => g.edges.map((e) => `${label(g, e.from) ?? e.from} -> ${label(g, e.to) ?? e.to}`);

describe("diagram: ambient", () => {
    it("a mesh route of a service with a waypoint: client → ztunnel → waypoint → route", () => {
        const g = graphOf({ dataplane: "ambient", trafficApi: "istio" });
        expect(label(g, "mesh")).to.equal("fortio-deploy ×1");
        expect(g.nodes.find((n) => n.key === "mesh")!.lines).to.include("client in the mesh (ambient: no sidecar)");
        expect(edges(g)).to.include.members(["fortio-deploy ×1 -> ztunnel (every node)", "ztunnel (every node) -> waypoint waypoint", "waypoint waypoint -> VirtualService nginx-vs"]);
        expect(g.nodes.find((n) => n.key === "wp:default/waypoint")!.lines).to.include("for nginx-service, servicex-service");
        expect(edges(g)).to.not.include("fortio-deploy ×1 -> VirtualService nginx-vs");
    });

    it("a service without a waypoint is entered from ztunnel; a caller denied at ztunnel sees its connection closed, not a 403", () => {
        const g = graphOf({ dataplane: "ambient", trafficApi: "istio", services: { "servicex-service": { trafficPolicy: null, destinationRule: null } }, security: { authorization: { "servicex-service": { allowFrom: ["nginx"] } } } });
        expect(edges(g)).to.include("ztunnel (every node) -> Service servicex-service :80");
        const denied = g.edges.find((e) => e.from === "mesh" && e.marks.includes("denied"))!;
        expect(denied.lines[0]).to.match(/^✗ connection closed by ztunnel/);
    });

    it("sidecar: no ztunnel, no waypoint, the route entered from the client", () => {
        const g = graphOf({});
        expect(g.nodes.some((n) => n.key === "ztunnel" || n.key.startsWith("wp:"))).to.equal(false);
        expect(edges(g)).to.include("fortio-deploy ×1 -> VirtualService nginx-vs");
    });
});
