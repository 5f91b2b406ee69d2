/**
 * The gateway Service per cluster kind, and on an existing cluster per `cluster.ingress.serviceType`:
 * what the chart gets, and the ingress URL and commands the outputs give for it.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../config/parse";
import type { MeshConfig } from "../config/types";
import { gatewayChart } from "../mesh/istio/charts";
import { externalHttpPort } from "../mesh/ingress/externalAddress";
import { Lab } from "../program";
import { MOCK_LOAD_BALANCER_HOSTNAME, runUnderMocks } from "../render/mocks";
import { config, expectProblem } from "./helpers/config";

const PREBUILT = { servicex: { image: "ghcr.io/example/servicex:1.0.0" } };
const existing = (ingress: Record<string, unknown> = {}) => parseConfig({ cluster: { kind: "kubeconfig", context: "lab", ingress }, images: PREBUILT }, "lab");
const service = (cfg: MeshConfig) => gatewayChart(cfg).values.service as { type: string; ports: { name: string; nodePort?: number }[]; annotations?: Record<string, string> };
const http2 = (cfg: MeshConfig) => service(cfg).ports.find((p) => p.name === "http2")!;

async function outputsOf(cfg: MeshConfig): Promise<Record<string, any>> {
    let outputs: Record<string, any> = {};
    await runUnderMocks(() => pulumi.output(new Lab("istio-mesh", cfg).outputs).apply((o) => (outputs = o as Record<string, any>)));
    return outputs;
}

describe("gateway Service type per cluster kind", () => {
    const rows: { name: string; cfg: () => MeshConfig; type: string; nodePort?: number; annotations?: Record<string, string>; port: number }[] = [
        { name: "k3d: NodePort 30000 behind k3d's host port", cfg: () => config(), type: "NodePort", nodePort: 30000, port: 8000 },
        { name: "eks: a LoadBalancer (an NLB)", cfg: () => parseConfig({ cluster: { kind: "eks" } }, "cloud"), type: "LoadBalancer", annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" }, port: 80 },
        { name: "existing cluster, nothing said: ClusterIP, reached by port-forward (works with no load balancer controller)", cfg: () => existing(), type: "ClusterIP", port: 8080 },
        { name: "existing cluster with load balancer annotations: a LoadBalancer, as before", cfg: () => existing({ annotations: { "cloud.google.com/l4-rbs": "enabled" } }), type: "LoadBalancer", annotations: { "cloud.google.com/l4-rbs": "enabled" }, port: 80 },
        { name: "existing cluster, serviceType LoadBalancer without annotations", cfg: () => existing({ serviceType: "LoadBalancer" }), type: "LoadBalancer", annotations: {}, port: 80 },
        { name: "existing cluster, serviceType NodePort: 30000 unless said", cfg: () => existing({ serviceType: "NodePort" }), type: "NodePort", nodePort: 30000, port: 30000 },
        { name: "existing cluster, NodePort 31080", cfg: () => existing({ serviceType: "NodePort", nodePort: 31080 }), type: "NodePort", nodePort: 31080, port: 31080 },
        { name: "existing cluster, ClusterIP on local port 9080", cfg: () => existing({ serviceType: "ClusterIP", localPort: 9080 }), type: "ClusterIP", port: 9080 },
    ];
    for (const r of rows) {
        it(r.name, () => {
            const cfg = r.cfg();
            expect(service(cfg).type).to.equal(r.type);
            expect(http2(cfg).nodePort).to.equal(r.nodePort);
            expect(service(cfg).annotations).to.deep.equal(r.annotations);
            expect(externalHttpPort(cfg)).to.equal(r.port);
        });
    }
});

describe("the ingress URL output follows the gateway Service type (under mocks)", () => {
    it("ClusterIP: http://localhost:<localPort>, and the port-forward that makes it answer is in commands", async () => {
        const o = await outputsOf(existing({ localPort: 9080 }));
        expect(o.ingressUrl).to.equal("http://localhost:9080");
        expect(o.commands.ingressPortForward).to.equal("kubectl --context lab -n istio-system port-forward svc/istio-ingressgateway 9080:80");
        expect(o.commands.curlLoop).to.include("http://localhost:9080");
    });

    it("NodePort with a node address: that address and the nodePort; no port-forward", async () => {
        const o = await outputsOf(existing({ serviceType: "NodePort", nodeAddress: "192.168.49.2" }));
        expect(o.ingressUrl).to.equal("http://192.168.49.2:30000");
        expect(o.commands).to.not.have.property("ingressPortForward");
    });

    it("NodePort without an address: says how to find one", async () => {
        const o = await outputsOf(existing({ serviceType: "NodePort", nodePort: 31080 }));
        expect(o.ingressUrl).to.equal("(NodePort 31080 on any node: http://<node address>:31080; kubectl get nodes -o wide lists the addresses)");
    });

    it("LoadBalancer: the address the cloud assigned, read from the Service after an update", async () => {
        const o = await outputsOf(existing({ serviceType: "LoadBalancer" }));
        expect(o.ingressUrl).to.equal(`http://${MOCK_LOAD_BALANCER_HOSTNAME}`);
    });

    it("k3d keeps its host port", async () => {
        const o = await outputsOf(config({ images: PREBUILT }));
        expect(o.ingressUrl).to.equal("http://localhost:8000");
        expect(o.commands).to.not.have.property("ingressPortForward");
    });
});

describe("cluster.ingress of an existing cluster: each rule refuses and accepts", () => {
    const at = (key: string) => `istio-mesh:cluster.ingress.${key}`;
    const rows: { name: string; ingress: Record<string, unknown>; bad?: { path: string; message: RegExp } }[] = [
        { name: "serviceType one of the three", ingress: { serviceType: "ExternalName" }, bad: { path: at("serviceType"), message: /expected one of LoadBalancer, NodePort, ClusterIP/ } },
        { name: "serviceType NodePort", ingress: { serviceType: "NodePort" } },
        { name: "nodePort in the NodePort range", ingress: { serviceType: "NodePort", nodePort: 8080 }, bad: { path: at("nodePort"), message: /from 30000 to 32767/ } },
        { name: "nodePort 32767", ingress: { serviceType: "NodePort", nodePort: 32767 } },
        { name: "nodePort only with NodePort", ingress: { nodePort: 30080 }, bad: { path: at("nodePort"), message: /applies to ingress.serviceType NodePort only \(this stack's is ClusterIP\)/ } },
        { name: "nodeAddress a host name or IPv4", ingress: { serviceType: "NodePort", nodeAddress: "http://10.0.0.5" }, bad: { path: at("nodeAddress"), message: /not a host name or IPv4 address/ } },
        { name: "nodeAddress an IPv4", ingress: { serviceType: "NodePort", nodeAddress: "10.0.0.5" } },
        { name: "nodeAddress a name", ingress: { serviceType: "NodePort", nodeAddress: "node-1.lab.example" } },
        { name: "nodeAddress only with NodePort", ingress: { serviceType: "LoadBalancer", nodeAddress: "10.0.0.5" }, bad: { path: at("nodeAddress"), message: /NodePort only \(this stack's is LoadBalancer\)/ } },
        { name: "localPort an unprivileged port", ingress: { localPort: 80 }, bad: { path: at("localPort"), message: /from 1024 to 65535/ } },
        { name: "localPort 9080", ingress: { localPort: 9080 } },
        { name: "localPort only with ClusterIP", ingress: { serviceType: "NodePort", localPort: 9080 }, bad: { path: at("localPort"), message: /ClusterIP only/ } },
        { name: "a k3d key is named as such", ingress: { hostPort: 8000 }, bad: { path: at("hostPort"), message: /setting of cluster.kind "k3d"/ } },
    ];
    for (const r of rows) {
        it(`${r.name}: ${r.bad ? "refused" : "accepted"}`, () => {
            const raw = { cluster: { kind: "kubeconfig", context: "lab", ingress: r.ingress }, images: PREBUILT };
            if (r.bad) expectProblem(raw, r.bad.path, r.bad.message);
            else expect(parseConfig(raw, "lab").cluster.kind).to.equal("kubeconfig");
        });
    }

    it("eks takes no serviceType: its gateway is always the cloud's load balancer", () => {
        expectProblem({ cluster: { kind: "eks", ingress: { serviceType: "NodePort" } } }, at("serviceType"), /setting of cluster.kind "kubeconfig"/);
    });
});
