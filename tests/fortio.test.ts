import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_VERSIONS } from "../config/versions";
import { fortioCommands } from "../mesh/fortioCommands";
import { buildPlan } from "../mesh/plan";
import { Lab } from "../program";
import { runUnderMocks } from "../render/mocks";
import { config } from "./helpers/config";

describe("fortio load client (scenario 8)", () => {
    const objects = buildPlan(config()).workloads;
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as any;

    it("Deployment fortio-deploy as Istio's sample: app: fortio, container fortio, port 8080, the stats annotation", () => {
        const d = find("Deployment", "fortio-deploy");
        expect(d.metadata.labels).to.deep.equal({ app: "fortio" });
        expect(d.spec.selector.matchLabels).to.deep.equal({ app: "fortio" });
        expect(d.spec.template.metadata.annotations).to.deep.equal({
            "proxy.istio.io/config": 'proxyStatsMatcher:\n  inclusionPrefixes:\n  - "cluster.outbound"\n  - "cluster_manager"\n  - "listener_manager"\n  - "server"\n  - "cluster.xds-grpc"',
        });
        const c = d.spec.template.spec.containers[0];
        expect([c.name, c.args, c.ports]).to.deep.equal(["fortio", ["server"], [{ containerPort: 8080, name: "http" }]]);
        expect(c.resources.limits).to.have.keys("cpu", "memory");
    });

    it("the image is pinned to a release tag, not latest_release", () => {
        const image = find("Deployment", "fortio-deploy").spec.template.spec.containers[0].image;
        expect(image).to.equal(DEFAULT_VERSIONS.fortioImage).and.match(/^docker\.io\/fortio\/fortio:\d+\.\d+\.\d+$/);
        expect(config({ versions: { fortioImage: "fortio/fortio:1.69.5" } }).workloads.find((w) => w.name === "fortio-deploy")!.image).to.equal("fortio/fortio:1.69.5");
    });

    it("Service fortio on 8080, port named http", () => {
        expect(find("Service", "fortio").spec).to.deep.equal({ type: "ClusterIP", selector: { app: "fortio" }, ports: [{ name: "http", port: 8080, targetPort: 8080, protocol: "TCP" }] });
    });

    it("stack outputs carry the course's commands, with the context and namespace", async () => {
        let commands: Record<string, string> = {};
        await runUnderMocks(() => pulumi.output(new Lab("istio-mesh", config()).outputs.commands).apply((c) => (commands = c)));
        const k = "kubectl --context k3d-istio-mesh -n default";
        expect(commands.fortioPod).to.equal(`export FORTIO_POD=$(${k} get pods -l app=fortio -o 'jsonpath={.items[0].metadata.name}')`);
        expect(commands.fortioLoadNginx).to.equal(`${k} exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 2 -qps 0 -t 200s -loglevel Warning http://nginx-service:8000`);
        expect(commands.fortioLoadServicex).to.equal(`${k} exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 2 -qps 0 -n 200 -loglevel Warning http://servicex-service`);
    });

    it("follow the namespace and the services that exist; none without fortio", () => {
        const lab = fortioCommands(config({ namespace: { name: "lab" }, services: { "nginx-service": null }, ingress: { virtualServices: { "nginx-ingress": null } } }), "ctx");
        expect(Object.keys(lab)).to.deep.equal(["fortioPod", "fortioLoadServicex"]);
        expect(lab.fortioLoadServicex).to.match(/^kubectl --context ctx -n lab exec "\$FORTIO_POD" -c fortio -- /);
        expect(fortioCommands(config({ workloads: { "fortio-deploy": null } }), "ctx")).to.deep.equal({});
    });
});
