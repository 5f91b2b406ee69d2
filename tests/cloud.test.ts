import { expect } from "chai";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "../config/parse";
import { ConfigError } from "../config/reader";
import { projectValues, readStackFile } from "../config/stackConfig";
import type { MeshConfig } from "../config/types";
import { DEFAULT_VERSIONS } from "../config/versions";
import { buildPlan, MeshPlan } from "../mesh/plan";
import { ingressUrlFromStatus } from "../mesh/ingress/externalAddress";
import { Lab } from "../program";
import { MOCK_ECR_PASSWORD, MOCK_KUBECONFIG, MOCK_LOAD_BALANCER_HOSTNAME, Registered, runUnderMocks } from "../render/mocks";
import { clusterFor, ClusterHandle } from "../stacks/cluster";
import { REGISTRY_PULL_SECRET } from "../stacks/kubeconfig";
import { expectProblem } from "./helpers/config";
import { DependsOnRecorder } from "./helpers/ordering";
import { ROOT } from "./helpers/render";

const CHART = "kubernetes:helm.sh/v4:Chart";
const stackConfig = (stack: string) => projectValues(readStackFile(path.join(ROOT, `Pulumi.${stack}.yaml`)).values);
const cloudConfig = () => parseConfig(stackConfig("cloud"), "cloud");
const devConfig = () => parseConfig(stackConfig("dev"), "dev");

const KUBECONFIG_YAML = "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://10.0.0.1'}}]\ncontexts: [{name: aks-lab, context: {cluster: c, user: u}}]\ncurrent-context: aks-lab\nusers: [{name: u, user: {token: t}}]\n";
const REGISTRY = { server: "ghcr.io", repository: "my-org/servicex", username: "me", password: "ghp-token" };

function problemsOf(raw: Record<string, unknown>): { path: string; message: string }[] {
    try {
        parseConfig(raw, "cloud");
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as ConfigError).problems;
    }
    return [];
}

/** Records, for every resource, the explicit `provider`/`providers` it was given (remote components have no provider in MockResourceArgs). */
class ProvidersRecorder {
    readonly providers = new Map<string, Record<string, string>>();
    readonly transformation: pulumi.ResourceTransformation = (args) => {
        const ps = (args.opts as pulumi.ComponentResourceOptions).providers;
        const named: Record<string, string> = {};
        for (const [pkg, p] of Object.entries(ps && !Array.isArray(ps) ? ps : {})) named[pkg] = DependsOnRecorder.key(p);
        if (args.opts.provider) named.provider = DependsOnRecorder.key(args.opts.provider);
        this.providers.set(`${args.type}::${args.name}`, named);
        return undefined;
    };
}

/** Runs the Lab for a config under mocks, with dependsOn/provider recording and the stack outputs. */
async function runLab(cfg: MeshConfig) {
    const deps = new DependsOnRecorder();
    const provs = new ProvidersRecorder();
    let outputs: Record<string, any> = {};
    const mocks = await runUnderMocks(() => {
        const lab = new Lab("istio-mesh", cfg, { transformations: [deps.transformation, provs.transformation] });
        return pulumi.output(lab.outputs).apply((o) => (outputs = o as Record<string, any>));
    });
    return { resources: mocks.resources, deps, provs, outputs };
}

/** The ClusterHandle for a config, with its image registry resolved. */
async function handleFor(cfg: MeshConfig): Promise<{ handle: ClusterHandle; registry: Record<string, unknown> }> {
    let handle: ClusterHandle | undefined;
    let registry: Record<string, unknown> = {};
    await runUnderMocks(() => {
        const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
        handle = clusterFor(cfg, parent);
        return pulumi.output(handle.imageRegistry as unknown as Record<string, pulumi.Input<unknown>>).apply((r) => (registry = r as Record<string, unknown>));
    });
    return { handle: handle!, registry };
}

/** Dotted paths where two JSON-like values differ. */
function diffPaths(a: unknown, b: unknown, at = ""): string[] {
    const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null;
    if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
        return keys.flatMap((k) => diffPaths(a[k], b[k], at ? `${at}.${k}` : k));
    }
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

describe("cloud stack", () => {
    describe("config: istio-mesh:cluster per kind", () => {
        it("Pulumi.cloud.yaml: EKS in eu-west-1 at the pinned Kubernetes version, 2–3 × t3.large, an NLB for the gateway", () => {
            const cfg = cloudConfig();
            expect(cfg.cluster).to.deep.equal({
                kind: "eks",
                name: "istio-mesh",
                region: "eu-west-1",
                kubernetesVersion: DEFAULT_VERSIONS.eksKubernetes,
                nodeGroup: { instanceType: "t3.large", minSize: 2, desiredSize: 2, maxSize: 3 },
                ingress: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } },
            });
            expect(cfg.istio.gatewayService).to.deep.equal({ type: "LoadBalancer", annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" } });
        });

        it("`kind: eks` alone gets the same defaults; the version default lives in versions.eksKubernetes (>= 1.32)", () => {
            const cfg = parseConfig({ cluster: { kind: "eks" } }, "any");
            expect(cfg.cluster).to.deep.equal(cloudConfig().cluster);
            expect(Number(DEFAULT_VERSIONS.eksKubernetes.split(".")[1])).to.be.at.least(32);
            expect((parseConfig({ cluster: { kind: "eks" }, versions: { eksKubernetes: "1.34" } }, "any").cluster as { kubernetesVersion: string }).kubernetesVersion).to.equal("1.34");
            expect((parseConfig({ cluster: { kind: "eks", kubernetesVersion: "1.35" } }, "any").cluster as { kubernetesVersion: string }).kubernetesVersion).to.equal("1.35");
        });

        it("Kubernetes older than 1.32 is refused, and a YAML number that lost its zero says to quote it", () => {
            expectProblem({ cluster: { kind: "eks", kubernetesVersion: "1.31" } }, "istio-mesh:cluster.kubernetesVersion", /outside the supported range: Istio 1\.30 supports Kubernetes 1\.32 to 1\.36/);
            expectProblem({ cluster: { kind: "eks", kubernetesVersion: 1.3 } }, "istio-mesh:cluster.kubernetesVersion", /YAML read this as a number.*quote it, e\.g\. "1\.36"/);
            expectProblem({ versions: { eksKubernetes: "latest" } }, "istio-mesh:versions.eksKubernetes", /Kubernetes minor version/);
        });

        it("k3d keys are errors under eks and eks keys under k3d, naming the kind they belong to", () => {
            const p = problemsOf({ cluster: { kind: "eks", agents: 3, apiPort: 6550, ingress: { hostPort: 8000, annotations: {} } } });
            expect(p.map((x) => x.path)).to.have.members(["istio-mesh:cluster.agents", "istio-mesh:cluster.apiPort", "istio-mesh:cluster.ingress.hostPort"]);
            for (const x of p) expect(x.message).to.match(/is a setting of cluster.kind "k3d"; it does not apply to cluster.kind "eks" \(remove it/);
            expectProblem({ cluster: { region: "eu-west-1" } }, "istio-mesh:cluster.region", /setting of cluster.kind "eks"; it does not apply to cluster.kind "k3d"/);
            expectProblem({ cluster: { kind: "eks", regoin: "eu-west-1" } }, "istio-mesh:cluster.regoin", /did you mean "region"/);
        });

        it("node group sizes, instance type, region and annotations are checked", () => {
            expectProblem({ cluster: { kind: "eks", nodeGroup: { minSize: 3, desiredSize: 2, maxSize: 4 } } }, "istio-mesh:cluster.nodeGroup.desiredSize", /not between minSize 3 and maxSize 4/);
            expectProblem({ cluster: { kind: "eks", nodeGroup: { minSize: 5, maxSize: 2 } } }, "istio-mesh:cluster.nodeGroup.minSize", /larger than maxSize/);
            expectProblem({ cluster: { kind: "eks", nodeGroup: { instanceType: "large" } } }, "istio-mesh:cluster.nodeGroup.instanceType", /EC2 instance type/);
            expectProblem({ cluster: { kind: "eks", region: "europe" } }, "istio-mesh:cluster.region", /AWS region/);
            expectProblem({ cluster: { kind: "eks", ingress: { annotations: { a: { b: 1 } } } } }, "istio-mesh:cluster.ingress.annotations.a", /annotation value is a string/);
            const cfg = parseConfig({ cluster: { kind: "eks", nodeGroup: { minSize: 3 }, ingress: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": true } } } }, "any");
            expect((cfg.cluster as { nodeGroup: unknown }).nodeGroup).to.deep.equal({ instanceType: "t3.large", minSize: 3, desiredSize: 3, maxSize: 3 });
            // Annotations set replace the default (an NLB) whole; booleans become the strings Kubernetes needs.
            expect(cfg.istio.gatewayService).to.deep.equal({ type: "LoadBalancer", annotations: { "service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled": "true" } });
        });

        it("kubeconfig: a registry only while the program builds an image; a prebuilt one needs none", async () => {
            const e = expectProblem({ cluster: { kind: "kubeconfig", context: "a" } }, "istio-mesh:cluster.registry");
            expect(e.message).to.match(/builds servicex \(for servicex, servicex-error\)/).and.match(/istio-mesh:images\.servicex\.image: <pinned ref>/);
            const prebuilt = parseConfig({ cluster: { kind: "kubeconfig", context: "a" }, images: { servicex: { image: "ghcr.io/my-org/servicex:1.0.0" } } }, "cloud");
            expect(prebuilt.cluster).to.not.have.property("registry");
            expect((await handleFor(prebuilt)).registry).to.deep.equal({ kind: "none" });
        });

        it("kubeconfig: exactly one of context and kubeconfig, and a registry, each named with its fix", () => {
            expectProblem({ cluster: { kind: "kubeconfig", registry: REGISTRY } }, "istio-mesh:cluster.context", /exactly one of context .* or kubeconfig \(set with: pulumi config set --secret/);
            expectProblem({ cluster: { kind: "kubeconfig", context: "a", kubeconfig: KUBECONFIG_YAML, registry: REGISTRY } }, "istio-mesh:cluster.kubeconfig", /either context or kubeconfig, not both/);
            expectProblem({ cluster: { kind: "kubeconfig", context: "a" } }, "istio-mesh:cluster.registry", /required with cluster.kind "kubeconfig".*pulumi config set --secret --path 'istio-mesh:cluster.registry.password'/);
            expectProblem({ cluster: { kind: "kubeconfig", context: "a", registry: { server: "ghcr.io", repository: "x/y", username: "me" } } }, "istio-mesh:cluster.registry.password", /required with username/);
            expectProblem({ cluster: { kind: "kubeconfig", context: "a", registry: { server: "https://ghcr.io", repository: "x/y" } } }, "istio-mesh:cluster.registry.server", /registry host/);
            expectProblem({ cluster: { kind: "kubeconfig", kubeconfig: "not: [a, kubeconfig]", registry: REGISTRY } }, "istio-mesh:cluster.kubeconfig", /not a kubeconfig/);
            expectProblem({ cluster: { kind: "kubeconfig", context: "a", registry: REGISTRY, nodeGroup: {} } }, "istio-mesh:cluster.nodeGroup", /setting of cluster.kind "eks"/);
            // render passes an encrypted kubeconfig as "[secret]": accepted, checked when the real value arrives.
            expect(parseConfig({ cluster: { kind: "kubeconfig", kubeconfig: "[secret]", registry: REGISTRY } }, "cloud").cluster.kind).to.equal("kubeconfig");
        });

        it("ingress status → URL: hostname (AWS) or IP, nothing while pending", () => {
            expect(ingressUrlFromStatus({ loadBalancer: { ingress: [{ hostname: "a.elb.amazonaws.com" }] } }, 80)).to.equal("http://a.elb.amazonaws.com");
            expect(ingressUrlFromStatus({ loadBalancer: { ingress: [{ ip: "34.1.2.3" }] } }, 8080)).to.equal("http://34.1.2.3:8080");
            expect(ingressUrlFromStatus({ loadBalancer: {} }, 80)).to.equal(undefined);
            expect(ingressUrlFromStatus(undefined, 80)).to.equal(undefined);
        });
    });

    describe("under mocks: eks (Pulumi.cloud.yaml)", () => {
        let run: Awaited<ReturnType<typeof runLab>>;
        before(async () => (run = await runLab(cloudConfig())));
        const of = (type: string) => run.resources.filter((r) => r.type === type);
        const one = (type: string, name: string): Registered => {
            const r = run.resources.filter((x) => x.type === type && x.name === name);
            expect(r, `${type} ${name}`).to.have.length(1);
            return r[0];
        };

        it("registers one EKS cluster at the configured version, with a managed node group sized from config", () => {
            expect(of("eks:index:Cluster")).to.have.length(1);
            const c = one("eks:index:Cluster", "istio-mesh").inputs;
            expect([c.name, c.version, c.authenticationMode, c.skipDefaultNodeGroup]).to.deep.equal(["istio-mesh", "1.36", "API", true]);
            const ng = one("eks:index:ManagedNodeGroup", "istio-mesh-nodes").inputs;
            expect([ng.instanceTypes, ng.scalingConfig]).to.deep.equal([["t3.large"], { minSize: 2, desiredSize: 2, maxSize: 3 }]);
        });

        it("every AWS resource and both EKS components use one AWS provider in the configured region", () => {
            expect(of("pulumi:providers:aws").map((p) => [p.name, p.inputs.region])).to.deep.equal([["istio-mesh", "eu-west-1"]]);
            const aws = "pulumi:providers:aws::istio-mesh";
            for (const r of run.resources.filter((x) => x.type.startsWith("aws:"))) expect(r.provider, `${r.type} ${r.name}`).to.match(/pulumi:providers:aws::istio-mesh::/);
            expect(run.provs.providers.get("eks:index:Cluster::istio-mesh")).to.deep.equal({ aws });
            expect(run.provs.providers.get("eks:index:ManagedNodeGroup::istio-mesh-nodes")).to.deep.equal({ aws });
        });

        it("the node role can pull from ECR (AmazonEC2ContainerRegistryReadOnly) and the node group waits for its policies", () => {
            const policies = of("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => [r.inputs.role, r.inputs.policyArn]);
            expect(policies).to.deep.include(["istio-mesh-nodes", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"]);
            expect(policies.map((p) => p[1])).to.include.members(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
            expect(run.deps.dependsOn("eks:index:ManagedNodeGroup", "istio-mesh-nodes")).to.have.length(3);
        });

        it("every Kubernetes resource uses the EKS cluster's provider, which waits for the node group", () => {
            const k8s = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
            expect(k8s.length).to.be.greaterThan(15);
            for (const r of k8s) expect(r.provider, `${r.type} ${r.name}`).to.match(/istio-mesh:cluster:EksCluster\$pulumi:providers:kubernetes::istio-mesh::/);
            expect(run.deps.dependsOn("pulumi:providers:kubernetes", "istio-mesh")).to.deep.equal(["eks:index:ManagedNodeGroup::istio-mesh-nodes"]);
            expect(one("pulumi:providers:kubernetes", "istio-mesh").inputs.kubeconfig).to.not.equal(undefined);
        });

        it("the gateway Service is a LoadBalancer with the configured annotations and no nodePort", () => {
            const svc = one(CHART, "istio-ingressgateway").inputs.values.service;
            expect(svc.type).to.equal("LoadBalancer");
            expect(svc.annotations).to.deep.equal({ "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" });
            expect(svc.ports.map((p: { name: string }) => p.name)).to.deep.equal(["status-port", "http2", "https"]);
            for (const p of svc.ports) expect(p).to.not.have.property("nodePort");
        });

        it("no k3d: no local command at all", () => {
            expect(of("command:local:Command")).to.deep.equal([]);
            expect(JSON.stringify(run.resources)).to.not.include("k3d cluster");
        });

        it("an ECR repository for servicex: scanned on push, force-deleted on destroy", () => {
            const r = one("aws:ecr/repository:Repository", "istio-mesh-servicex").inputs;
            expect(r).to.deep.include({ name: "istio-mesh/servicex", forceDelete: true, imageScanningConfiguration: { scanOnPush: true } });
        });

        it("outputs: the load balancer's hostname as ingress URL (read after the gateway chart), kubeconfig (secret), EKS commands", () => {
            const read = run.resources.filter((r) => r.type === "kubernetes:core/v1:Service" && r.read);
            expect(read.map((r) => r.name)).to.deep.equal(["istio-ingressgateway-address"]);
            expect(run.deps.dependsOn("kubernetes:core/v1:Service", "istio-ingressgateway-address")).to.deep.equal([`${CHART}::istio-ingressgateway`]);
            expect(run.outputs.ingressUrl).to.equal(`http://${MOCK_LOAD_BALANCER_HOSTNAME}`);
            expect(run.outputs.kubeconfig).to.equal(MOCK_KUBECONFIG);
            expect([run.outputs.clusterName, run.outputs.kubeContext]).to.deep.equal(["istio-mesh", "istio-mesh"]);
            expect(run.outputs.commands.useContext).to.equal("aws eks update-kubeconfig --region eu-west-1 --name istio-mesh --alias istio-mesh");
            expect(run.outputs.commands.curlLoop).to.equal(`while true; do curl -s http://${MOCK_LOAD_BALANCER_HOSTNAME}; sleep 0.5; done`);
            expect(run.outputs.dashboards.kiali.portForward).to.equal("kubectl --context istio-mesh -n istio-system port-forward svc/kiali 20001:20001");
        });

        it("imageRegistry: the ECR repository, with ECR's token as push credentials and no pull Secret (nodes pull with their role)", async () => {
            const { registry } = await handleFor(cloudConfig());
            const host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
            expect(registry).to.deep.equal({ kind: "registry", repository: `${host}/istio-mesh/servicex`, server: host, username: "AWS", password: MOCK_ECR_PASSWORD });
        });
    });

    describe("under mocks: kubeconfig (an existing cluster)", () => {
        const existing = (cluster: Record<string, unknown>) => parseConfig({ cluster: { kind: "kubeconfig", registry: REGISTRY, ...cluster } }, "cloud");

        it("by context: no cluster, no AWS, no command; every Kubernetes resource on a provider for that context, upsert off", async () => {
            const run = await runLab(existing({ context: "gke_lab_europe-west1_mesh", ingress: { annotations: { "cloud.google.com/l4-rbs": "enabled" } } }));
            expect(run.resources.filter((r) => /^(eks:|aws:|command:|pulumi:providers:aws)/.test(r.type))).to.deep.equal([]);
            const p = run.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
            expect(p.map((x) => [x.name, x.inputs.context, String(x.inputs.upsertExistingObjects), x.inputs.kubeconfig])).to.deep.equal([["existing-cluster", "gke_lab_europe-west1_mesh", "false", undefined]]);
            for (const r of run.resources.filter((x) => x.type.startsWith("kubernetes:"))) expect(r.provider, `${r.type} ${r.name}`).to.match(/istio-mesh:cluster:ExistingCluster\$pulumi:providers:kubernetes::existing-cluster::/);
            const svc = run.resources.find((r) => r.type === CHART && r.name === "istio-ingressgateway")!.inputs.values.service;
            expect([svc.type, svc.annotations]).to.deep.equal(["LoadBalancer", { "cloud.google.com/l4-rbs": "enabled" }]);
            expect(run.outputs.kubeContext).to.equal("gke_lab_europe-west1_mesh");
            expect(run.outputs.ingressUrl).to.equal(`http://${MOCK_LOAD_BALANCER_HOSTNAME}`);
        });

        it("by kubeconfig (secret): the provider gets it as a secret, the context is its current-context, upsert when asked", async () => {
            const run = await runLab(existing({ kubeconfig: KUBECONFIG_YAML, upsertExistingObjects: true }));
            const p = run.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
            expect(String(p.inputs.upsertExistingObjects)).to.equal("true");
            expect(p.inputs.kubeconfig).to.not.equal(KUBECONFIG_YAML); // a secret on the wire, never plain
            expect(JSON.stringify(p.inputs.kubeconfig)).to.include("4dabf18193072939515e22adb298388d");
            expect(run.outputs.kubeContext).to.equal("aks-lab");
            expect(run.outputs.commands.useContext).to.match(/^npm run --silent pulumi -- stack output kubeconfig --show-secrets --stack cloud > istio-mesh\.kubeconfig /);
        });

        it("imageRegistry: the configured registry; with credentials the password is secret and pods get a pull Secret name", async () => {
            const { registry } = await handleFor(existing({ context: "a" }));
            expect(registry).to.deep.equal({ kind: "registry", repository: "ghcr.io/my-org/servicex", server: "ghcr.io", username: "me", password: "ghp-token", pullSecret: REGISTRY_PULL_SECRET });
            const anonymous = await handleFor(parseConfig({ cluster: { kind: "kubeconfig", context: "a", registry: { server: "registry.lab:5000", repository: "servicex" } } }, "cloud"));
            expect(anonymous.registry).to.deep.equal({ kind: "registry", repository: "registry.lab:5000/servicex", server: "registry.lab:5000" });
        });
    });

    describe("one mesh, two stacks: dev vs cloud", () => {
        const dev = devConfig();
        const cloud = cloudConfig();
        const devPlan = buildPlan(dev);
        const cloudPlan = buildPlan(cloud);
        const meshObjects = (p: MeshPlan) => ({ namespace: p.istio.namespace, workloadNamespace: p.workloadNamespace, workloads: p.workloads, trafficPolicies: p.trafficPolicies });

        it("identical mesh objects: workloads, Services, DestinationRules, VirtualServices, Gateway, security, namespaces", () => {
            expect(cloudPlan.trafficPolicies.virtualServices.length).to.be.greaterThan(0);
            expect(cloudPlan.trafficPolicies.gateways.map((g) => g.metadata.name)).to.deep.equal(["ingress-gateway-k3d"]);
            expect(diffPaths(meshObjects(devPlan), meshObjects(cloudPlan))).to.deep.equal([]);
        });

        it("Istio's base and istiod charts are identical; the gateway chart differs only in its Service (NodePort 30000 → LoadBalancer + annotations)", () => {
            expect(diffPaths(devPlan.istio.base, cloudPlan.istio.base)).to.deep.equal([]);
            expect(diffPaths(devPlan.istio.istiod, cloudPlan.istio.istiod)).to.deep.equal([]);
            expect(diffPaths(devPlan.istio.gateway, cloudPlan.istio.gateway)).to.deep.equal(["values.service.type", "values.service.ports.1.nodePort", "values.service.annotations"]);
        });

        it("the addons differ only in access (k3d: anonymous; cloud: token login and admin password, generated) and trace sampling (100 → 1 %)", () => {
            const intended = [
                "charts.1.values.env", // Grafana: anonymous admin on k3d …
                "charts.1.values.adminUser", // … a login elsewhere
                "charts.1.values.adminPassword",
                "charts.1.values.admin", // … in the Secret the chart writes, under the keys Kiali names
                "charts.1.secretValues",
                "charts.1.generated.0",
                "charts.1.secretPaths.0",
                "charts.2.values.auth.strategy", // Kiali: anonymous → token
                "charts.2.values.login_token.signing_key", // the k3d placeholder → generated at deploy time
                "charts.2.values.external_services.grafana.auth", // Kiali logs in to Grafana by secret reference
                "charts.2.secretValues",
                "charts.2.generated.0",
                "charts.2.secretPaths.0",
                "charts.2.waitsFor.0", // Kiali waits for the Grafana chart whose admin Secret it mounts
                "istioResources.0.spec.tracing.0.randomSamplingPercentage",
                "grafanaAdminPassword",
            ];
            expect(diffPaths(devPlan.addons, cloudPlan.addons)).to.have.members(intended);
        });

        it("through the program under mocks: the same Kubernetes objects on both stacks but the Telemetry's sampling, built images' registry and the gateway address read", async () => {
            // One after the other: the mocks are process-wide.
            const d = await runLab(dev);
            const c = await runLab(cloud);
            const manifests = (rs: Registered[]) =>
                new Map(rs.filter((r) => r.type.startsWith("kubernetes:") && r.type !== CHART && !r.read && r.inputs.kind).map((r) => [`${r.inputs.kind}/${r.inputs.metadata.namespace ?? ""}/${r.inputs.metadata.name}`, r.inputs]));
            const [dm, cm] = [manifests(d.resources), manifests(c.resources)];
            expect([...cm.keys()].sort()).to.deep.equal([...dm.keys()].sort());
            const ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/istio-mesh";
            let builtImages = 0;
            for (const [key, inputs] of dm) {
                const diff = diffPaths(inputs, cm.get(key));
                if (key === "Telemetry/istio-system/mesh-default") expect(diff, key).to.deep.equal(["spec.tracing.0.randomSamplingPercentage"]);
                else if (diff.length === 0) continue;
                else {
                    // An image the program builds: imported into k3d on dev, pulled from the stack's ECR repository on cloud.
                    for (const p of diff) {
                        expect(p, key).to.match(/^spec\.template\.spec\.containers\.\d+\.image$/);
                        const i = Number(p.split(".")[4]);
                        const [devImage, cloudImage] = [inputs, cm.get(key)].map((m) => m!.spec.template.spec.containers[i].image as string);
                        expect(devImage, key).to.match(/^istio-mesh\.local\/[a-z-]+:[\w.-]+$/);
                        expect(cloudImage, key).to.equal(devImage.replace("istio-mesh.local", ecr));
                        builtImages++;
                    }
                }
            }
            expect(builtImages, "servicex's image differs by registry only").to.be.at.least(1);
            // What only differs by stack: the cluster and its provider, the image registry, the gateway's address.
            const kinds = (rs: Registered[]) => new Set(rs.filter((r) => !r.type.startsWith("kubernetes:") || r.read).map((r) => r.type));
            expect([...kinds(c.resources)].filter((t) => !kinds(d.resources).has(t)).sort()).to.include.members([
                "aws:ecr/repository:Repository",
                "eks:index:Cluster",
                "eks:index:ManagedNodeGroup",
                "istio-mesh:cluster:EksCluster",
                "kubernetes:core/v1:Service",
            ]);
            expect([...kinds(d.resources)].filter((t) => !kinds(c.resources).has(t))).to.include.members(["command:local:Command", "istio-mesh:cluster:K3dCluster"]);
        });
    });
});
