/**
 * The lab's later steps: up again, a changed or vanished k3d cluster, preview on an existing cluster,
 * down. What the engine does with these options was read from its sources (docs/lifecycle.md); here
 * the options the program gives it are checked under mocks, and the decisions taken before the engine
 * runs are checked with fake k3d/docker on PATH.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { Io } from "../cli/run";
import { defaultTools, k3dClusters, Tools } from "../commands/stack";
import type { EngineSettings, MeshEngine, RunOptions, StateSummary } from "../engine/engine";
import { clusterUrnIn, K3dClusterStatus, K3dPlan, k3dPlan, parseK3dClusterList } from "../engine/k3dLifecycle";
import { realSystem } from "../preflight/preflight";
import { parseArgs, run } from "./helpers/stackCommands";
import { PrerequisiteError } from "../cli/errors";
import { parseConfig } from "../config/parse";
import type { K3dClusterConfig, MeshConfig } from "../config/types";
import { clusterResourceName } from "../mesh/k3d/K3dConfig";
import { Lab } from "../program";
import { Registered, runUnderMocks } from "../render/mocks";
import { config, k3dOf } from "./helpers/config";
import { DependsOnRecorder } from "./helpers/ordering";

const CLUSTER = "command:local:Command::istio-mesh-cluster";
const PREBUILT = { servicex: { image: "ghcr.io/example/servicex:1.0.0" } };
const kubeconfigCfg = (ingress: Record<string, unknown> = {}) => parseConfig({ cluster: { kind: "kubeconfig", context: "lab", ingress }, images: PREBUILT }, "lab");

async function runLab(cfg: MeshConfig, opts: { preview?: boolean } = {}) {
    const recorder = new DependsOnRecorder();
    let outputs: Record<string, any> = {};
    let lab: Lab | undefined;
    const mocks = await runUnderMocks(
        () => {
            lab = new Lab("istio-mesh", cfg, { transformations: [recorder.transformation] });
            return pulumi.output(lab.outputs).apply((o) => (outputs = o as Record<string, any>));
        },
        { preview: opts.preview },
    );
    /** Whether the URL output is known (false in a preview before its value exists). */
    const urlKnown = () => (pulumi.output(lab!.outputs.ingressUrl) as unknown as { isKnown: Promise<boolean> }).isKnown;
    return { resources: mocks.resources, recorder, outputs, urlKnown };
}

const kubernetesKeys = (rs: Registered[]) => rs.filter((r) => r.type.startsWith("kubernetes:") && !r.read).map((r) => `${r.type}::${r.name}`);

describe("lifecycle: a k3d stack's objects live and die with its cluster (under mocks)", () => {
    let lab: Awaited<ReturnType<typeof runLab>>;
    before(async () => (lab = await runLab(config())));

    it("every Kubernetes object and chart is deletedWith the `k3d cluster create` command: down is one cluster deletion", () => {
        const keys = kubernetesKeys(lab.resources);
        expect(keys.length).to.be.greaterThan(30);
        expect(keys).to.include.members(["kubernetes:helm.sh/v4:Chart::istiod", "kubernetes:core/v1:NamespacePatch::default", "kubernetes:apps/v1:Deployment::servicex"]);
        for (const k of keys) expect(lab.recorder.deletedWith.get(k), k).to.equal(CLUSTER);
    });

    it("nothing outside the cluster is deleted with it: the provider, the commands, the image in the local daemon", () => {
        for (const [k, v] of lab.recorder.deletedWith) if (!k.startsWith("kubernetes:")) expect(v, k).to.equal(undefined);
    });

    it("the provider drops an unreachable cluster's objects from the state instead of failing every later up and down", () => {
        const p = lab.resources.find((r) => r.type === "pulumi:providers:kubernetes" && r.name === "istio-mesh")!;
        expect(String(p.inputs.deleteUnreachable)).to.equal("true");
    });

    it("the kubeconfig is read again whenever the cluster is replaced (replaceWith), also when its config did not change", () => {
        expect(lab.recorder.replaceWith.get("command:local:Command::istio-mesh-kubeconfig")).to.deep.equal([CLUSTER]);
    });

    it("the cluster command's name is the one npm run up looks for in the state", () => {
        expect(lab.resources.filter((r) => r.type === "command:local:Command").map((r) => r.name)).to.include(clusterResourceName(k3dOf(config())));
    });

    it("the hint for a cluster deleted by hand no longer sends the user to `npm run down` first", () => {
        const c = lab.resources.find((r) => r.type === "command:local:Command" && r.name === "istio-mesh-cluster")!;
        expect(c.inputs.update).to.include("Run 'npm run up'").and.not.include("npm run down");
    });
});

describe("lifecycle: clusters the stack does not own keep per-object deletes (under mocks)", () => {
    it("kubeconfig: no deletedWith, no deleteUnreachable (a shared cluster that does not answer must not lose its objects' state)", async () => {
        const lab = await runLab(kubeconfigCfg());
        for (const k of kubernetesKeys(lab.resources)) expect(lab.recorder.deletedWith.get(k), k).to.equal(undefined);
        const p = lab.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
        expect(p.inputs.deleteUnreachable).to.equal(undefined);
    });
});

describe("lifecycle: preview on an existing cluster reads nothing that may not exist yet", () => {
    it("kubeconfig + LoadBalancer, preview: no read of the gateway Service; the URL is unknown", async () => {
        const lab = await runLab(kubeconfigCfg({ serviceType: "LoadBalancer" }), { preview: true });
        expect(lab.resources.filter((r) => r.read).map((r) => `${r.type} ${r.name}`)).to.deep.equal([]);
        expect(await lab.urlKnown(), "unknown, as any output not created yet").to.equal(false);
    });

    it("the same stack in an update reads the Service after the gateway chart (its address is only known then)", async () => {
        const lab = await runLab(kubeconfigCfg({ serviceType: "LoadBalancer" }));
        expect(lab.resources.filter((r) => r.read).map((r) => r.name)).to.deep.equal(["istio-ingressgateway-address"]);
        expect(await lab.urlKnown()).to.equal(true);
        expect(lab.recorder.dependsOn("kubernetes:core/v1:Service", "istio-ingressgateway-address")).to.deep.equal(["kubernetes:helm.sh/v4:Chart::istio-ingressgateway"]);
    });

    it("the index program as `pulumi preview` runs it (plain pulumi up previews first): no read either", async () => {
        delete require.cache[require.resolve("../index")];
        const values = { "istio-mesh:cluster": JSON.stringify({ kind: "kubeconfig", context: "lab", ingress: { serviceType: "LoadBalancer" } }), "istio-mesh:images": JSON.stringify(PREBUILT) };
        const mocks = await runUnderMocks(() => require("../index"), { config: values, preview: true, stack: "lab" });
        expect(mocks.resources.some((r) => r.type === "kubernetes:helm.sh/v4:Chart")).to.equal(true);
        expect(mocks.resources.filter((r) => r.read)).to.deep.equal([]);
    });
});

describe("lifecycle: istiod's validating webhook has its CA bundle before any Istio resource", () => {
    let lab: Awaited<ReturnType<typeof runLab>>;
    before(async () => (lab = await runLab(config())));
    const PATCH = "kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfigurationPatch::istiod-default-validator-ready";

    it("a patch of the default validator whose create waits for .webhooks[0].clientConfig.caBundle, after istiod", () => {
        const p = lab.resources.find((r) => r.type === "kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfigurationPatch")!;
        expect(p.inputs.metadata).to.deep.equal({ name: "istiod-default-validator", annotations: { "pulumi.com/waitFor": "jsonpath={.webhooks[0].clientConfig.caBundle}" } });
        expect(p.inputs).to.not.have.property("webhooks");
        expect(lab.recorder.dependsOn("kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfigurationPatch", "istiod-default-validator-ready")).to.deep.equal(["kubernetes:helm.sh/v4:Chart::istiod"]);
    });

    it("every Istio custom resource waits for it", () => {
        const istio = lab.resources.filter((r) => /^kubernetes:[a-z.]*istio\.io\//.test(r.type));
        expect(istio.length).to.be.greaterThan(5);
        for (const r of istio) expect(lab.recorder.dependsOn(r.type, r.name), `${r.type} ${r.name}`).to.include(PATCH);
    });
});

describe("lifecycle: the k3d cluster against the state, before the engine runs", () => {
    const cluster = k3dOf(config());
    const urn = `urn:pulumi:dev::istio-mesh::istio-mesh:index:Lab$istio-mesh:cluster:K3dCluster$command:local:Command::${clusterResourceName(cluster)}`;
    const inState: StateSummary = { resources: [{ urn, type: "command:local:Command" }], pending: [] };
    const empty: StateSummary = { resources: [], pending: [] };
    const running = [{ name: "istio-mesh", serversRunning: 1, serversCount: 1 }];
    const stopped = [{ name: "istio-mesh", serversRunning: 0, serversCount: 1 }];
    const other = [{ name: "another-lab", serversRunning: 1, serversCount: 1 }];
    const plan = (command: "up" | "preview" | "down", state: StateSummary, clusters: K3dClusterStatus[] | undefined) =>
        k3dPlan({ command, stack: "dev", cluster, state, clusters });

    const rows: { name: string; got: () => K3dPlan; want: { kind: "proceed"; replace: string[]; note?: RegExp } | { kind: "stop"; problem: RegExp } }[] = [
        { name: "first up: neither k3d nor the state knows it", got: () => plan("up", empty, []), want: { kind: "proceed", replace: [] } },
        { name: "up again: both know it, running", got: () => plan("up", inState, running), want: { kind: "proceed", replace: [] } },
        { name: "up after a hand deletion: replace the create command", got: () => plan("up", inState, other), want: { kind: "proceed", replace: [urn], note: /no longer exists \(deleted outside Pulumi\): up recreates it/ } },
        { name: "preview after a hand deletion shows the same replacement", got: () => plan("preview", inState, []), want: { kind: "proceed", replace: [urn], note: /up would recreate it/ } },
        { name: "an orphan of the same name: stop, say how to delete it", got: () => plan("up", empty, running), want: { kind: "stop", problem: /a k3d cluster named "istio-mesh" exists, but the state of stack "dev" does not know it[\s\S]*already exists[\s\S]*k3d cluster delete istio-mesh && npm run up/ } },
        { name: "an orphan left by an interrupted create", got: () => plan("preview", { resources: [], pending: [urn] }, running), want: { kind: "stop", problem: /records a create of it that was interrupted[\s\S]*npm run preview/ } },
        { name: "a stopped cluster: stop, say to start it", got: () => plan("up", inState, stopped), want: { kind: "stop", problem: /is stopped \(0\/1 servers running\)[\s\S]*k3d cluster start istio-mesh && npm run up/ } },
        { name: "down of a cluster deleted by hand: goes ahead (nothing is called per object)", got: () => plan("down", inState, []), want: { kind: "proceed", replace: [], note: /down only forgets what the state held/ } },
        { name: "down with an orphan: goes ahead, names it", got: () => plan("down", empty, running), want: { kind: "proceed", replace: [], note: /down leaves it; delete it with: k3d cluster delete istio-mesh/ } },
        { name: "k3d's list unreadable: no decision from it", got: () => plan("up", inState, undefined), want: { kind: "proceed", replace: [] } },
    ];
    for (const r of rows) {
        it(r.name, () => {
            const got = r.got();
            expect(got.kind).to.equal(r.want.kind);
            if (got.kind === "stop" && r.want.kind === "stop") expect(got.problem).to.match(r.want.problem).and.include("Nothing was changed");
            if (got.kind === "proceed" && r.want.kind === "proceed") {
                expect(got.replace).to.deep.equal(r.want.replace);
                if (r.want.note) expect(got.notes.join("\n")).to.match(r.want.note);
                else expect(got.notes).to.deep.equal([]);
            }
        });
    }

    it("another stack's cluster name is another URN", () => {
        const named = { ...cluster, name: "lab2" } as K3dClusterConfig;
        expect(clusterUrnIn([urn], named)).to.equal(undefined);
        expect(clusterUrnIn([urn], cluster)).to.equal(urn);
    });

    it("reads k3d's JSON list (v5 clusterList.go fields); anything else is no answer", () => {
        expect(parseK3dClusterList('[{"name":"istio-mesh","serversRunning":1,"serversCount":1,"agentsRunning":2,"agentsCount":2,"nodes":[]}]')).to.deep.equal(running);
        expect(parseK3dClusterList("")).to.deep.equal([]);
        expect(parseK3dClusterList("NAME SERVERS")).to.equal(undefined);
    });
});

describe("lifecycle: npm run up with a fake k3d on PATH", () => {
    let root: string;
    let bin: string;
    let out: string;
    let err: string;
    const io: Io = { out: (t) => (out += t), err: (t) => (err += t) };
    let calls: { op: string; o: RunOptions }[];
    const urn = "urn:pulumi:dev::istio-mesh::istio-mesh:index:Lab$istio-mesh:cluster:K3dCluster$command:local:Command::istio-mesh-cluster";
    const engine = (state: StateSummary) => async (_s: EngineSettings): Promise<MeshEngine> => ({
        up: async (o) => (calls.push({ op: "up", o }), { summary: {}, outputs: {} }),
        preview: async (o) => (calls.push({ op: "preview", o }), { summary: {} }),
        destroy: async (o) => (calls.push({ op: "destroy", o }), { summary: {} }),
        state: async () => state,
    });
    const fakeK3d = (listJson: string) => fs.writeFileSync(path.join(bin, "k3d"), `#!/bin/sh\necho "k3d $*" >> ${JSON.stringify(path.join(root, "calls"))}\n[ "$1 $2" = "cluster list" ] && printf '%s\\n' '${listJson}'\nexit 0\n`, { mode: 0o755 });
    const tools = (): Tools => ({ ...defaultTools, preflight: async () => undefined, pulumiCli: async () => undefined, k3dClusters: () => k3dClusters(realSystem({ PATH: bin })) });

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "lifecycle-"));
        bin = path.join(root, "bin");
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config: {}\n");
        out = err = "";
        calls = [];
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("a cluster of the same name that the state does not know: exit 2 before the engine runs, saying what to delete", async () => {
        fakeK3d('[{"name":"istio-mesh","serversRunning":1,"serversCount":1}]');
        let error: unknown;
        await run(parseArgs(["up"]), {}, io, engine({ resources: [], pending: [] }), root, tools()).catch((e) => (error = e));
        expect(error).to.be.instanceOf(PrerequisiteError);
        expect((error as Error).message).to.match(/npm run up -- --stack dev: a k3d cluster named "istio-mesh" exists, but the state of stack "dev" does not know it/).and.include("k3d cluster delete istio-mesh");
        expect(calls).to.deep.equal([]);
        expect(fs.readFileSync(path.join(root, "calls"), "utf8")).to.equal("k3d cluster list -o json\n");
    });

    it("the cluster deleted by hand: up replaces its create command (and says so)", async () => {
        fakeK3d("[]");
        expect(await run(parseArgs(["up"]), {}, io, engine({ resources: [{ urn, type: "command:local:Command" }], pending: [] }), root, tools())).to.equal(0);
        expect(calls.map((c) => [c.op, c.o.replace])).to.deep.equal([["up", [urn]]]);
        expect(err).to.include('the k3d cluster "istio-mesh" no longer exists (deleted outside Pulumi): up recreates it');
    });

    it("up again on a running cluster: a plain up, no replacement", async () => {
        fakeK3d('[{"name":"istio-mesh","serversRunning":1,"serversCount":1}]');
        await run(parseArgs(["up"]), {}, io, engine({ resources: [{ urn, type: "command:local:Command" }], pending: [] }), root, tools());
        expect(calls.map((c) => [c.op, c.o.replace])).to.deep.equal([["up", []]]);
    });

    it("up --refresh asks the engine to read the objects back first", async () => {
        fakeK3d("[]");
        await run(parseArgs(["up", "--refresh"]), {}, io, engine({ resources: [], pending: [] }), root, tools());
        expect(calls[0].o.refresh).to.equal(true);
    });
});
