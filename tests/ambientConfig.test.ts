/**
 * `istio-mesh:dataplane`: the passing side of its rules (the failing rows are in the bad-input corpus,
 * tests/fixtures/bad/corpus.ts, section "dataplane") and the platform each cluster kind gets.
 */
import { expect } from "chai";
import { parseConfig } from "../config/parse";
import { ambientPlatform } from "../mesh/ambient/platform";
import { config, expectProblem } from "./helpers/config";

const KUBECONFIG = { kind: "kubeconfig", context: "lab", registry: { server: "ghcr.io", repository: "me/servicex" } };

describe("istio-mesh:dataplane", () => {
    const rows: [string, Record<string, unknown>, unknown][] = [
        ["unset: sidecar", {}, { mode: "sidecar", waypoints: "auto" }],
        ["sidecar", { dataplane: "sidecar" }, { mode: "sidecar", waypoints: "auto" }],
        ["ambient", { dataplane: "ambient" }, { mode: "ambient", waypoints: "auto" }],
        ["{mode: sidecar}", { dataplane: { mode: "sidecar" } }, { mode: "sidecar", waypoints: "auto" }],
        ["{mode: ambient, waypoints: none}", { dataplane: { mode: "ambient", waypoints: "none" } }, { mode: "ambient", waypoints: "none" }],
        ["k3d may name its own platform", { dataplane: { mode: "ambient", platform: "k3d" } }, { mode: "ambient", waypoints: "auto" }],
        ["kubeconfig, k3s", { cluster: KUBECONFIG, dataplane: { mode: "ambient", platform: "k3s" } }, { mode: "ambient", waypoints: "auto", platform: "k3s" }],
        ["kubeconfig, gke", { cluster: KUBECONFIG, dataplane: { mode: "ambient", platform: "gke" } }, { mode: "ambient", waypoints: "auto", platform: "gke" }],
        ["kubeconfig, none (the default paths)", { cluster: KUBECONFIG, dataplane: { mode: "ambient", platform: "none" } }, { mode: "ambient", waypoints: "auto" }],
    ];
    for (const [name, raw, expected] of rows) it(`accepts ${name}`, () => expect(parseConfig(raw, "dev").dataplane).to.deep.equal(expected));

    it("an egress gateway is fine on sidecar, refused on ambient (the corpus has the failing row)", () => {
        const egress = { security: { egress: { gateway: true, serviceEntries: { httpbin: { host: "httpbin.org" } } } } };
        expect(config(egress).security.egress.gateway).to.equal(true);
        expectProblem({ ...egress, dataplane: "ambient" }, "istio-mesh:security.egress.gateway", /waypoint/);
    });
});

describe("the ambient platform per cluster kind (mesh/ambient/platform.ts)", () => {
    it("k3d: platform k3d, with the k3s-paths pitfall and the stop/start note", () => {
        const c = config({ dataplane: "ambient" });
        const p = ambientPlatform(c.cluster, c.dataplane)!;
        expect(p.platform).to.equal("k3d");
        expect(p.notes.join("\n")).to.include("cniBinDir /bin").and.include("failed to find plugin").and.include("npm run verify");
    });

    it("eks: no platform, the VPC CNI notes", () => {
        const c = config({ dataplane: "ambient", cluster: { kind: "eks", name: "lab", region: "eu-west-1" } }, "cloud");
        const p = ambientPlatform(c.cluster, c.dataplane)!;
        expect(p.platform).to.equal(undefined);
        expect(p.notes.join("\n")).to.include("POD_SECURITY_GROUP_ENFORCING_MODE=standard");
    });

    it("kubeconfig: the platform the stack names, else the chart defaults", () => {
        const named = config({ cluster: KUBECONFIG, dataplane: { mode: "ambient", platform: "minikube" } });
        expect(ambientPlatform(named.cluster, named.dataplane)!.platform).to.equal("minikube");
        const plain = config({ cluster: KUBECONFIG, dataplane: "ambient" });
        expect(ambientPlatform(plain.cluster, plain.dataplane)).to.deep.equal({ notes: [ambientPlatform(plain.cluster, plain.dataplane)!.notes[0]] });
        expect(ambientPlatform(plain.cluster, plain.dataplane)!.notes[0]).to.include("/opt/cni/bin");
    });

    it("sidecar: nothing", () => {
        const c = config();
        expect(ambientPlatform(c.cluster, c.dataplane)).to.equal(undefined);
    });
});
