/**
 * The supply-chain domain, offline and pure: image names as containerd reads them, the retired
 * locations, what each chart version deploys with the program's values, k3s/k3d images, a stack's
 * inventory from its config and plan, the pull count of a cold dev up, a Helm index, the request
 * routing. The network side is tests/pins.test.ts.
 */
import { expect } from "chai";
import * as path from "path";
import { parseCommandLine, usageLine } from "../cli/commandLine";
import { commands } from "../cli/main";
import { UsageError } from "../cli/errors";
import { pinnedCliVersion } from "../engine/engine";
import type { MeshConfig } from "../config/types";
import { buildPlan } from "../mesh/plan";
import type { K8sObject } from "../mesh/objects";
import { Artifact, normalizeImage } from "../supplychain/artifacts";
import { chartImages, valueAt } from "../supplychain/chartImages";
import { indexEntries } from "../supplychain/helmIndex";
import { bearerChallenge, parseRoutes, publicUrl, routedUrl, Routes } from "../supplychain/http";
import { chartLocation, mergeInventories, pluginUrl, pulumiCliUrl, stackInventory, ToolPins } from "../supplychain/inventory";
import { k3dHelperImages, k3sSystemImages } from "../supplychain/k3sImages";
import { coldUpPulls, pullsLine } from "../supplychain/pulls";
import { relocation } from "../supplychain/retired";
import { installedPlugins, pulumiPlatform, pulumiSdkVersion } from "../supplychain/toolPins";
import { config } from "./helpers/config";

const ROOT = path.resolve(__dirname, "..");
const TOOLS: ToolPins = { pulumiCli: "3.248.0", plugins: [{ name: "kubernetes", version: "4.34.2" }, { name: "aws", version: "7.48.0" }], k3d: "v5.9.0", platform: { os: "linux", arch: "amd64" } };

const inv = (cfg: MeshConfig, tools = TOOLS) => stackInventory(cfg, buildPlan(cfg), tools);
const images = (artifacts: Artifact[]) => artifacts.filter((a) => a.kind === "image");
const find = (artifacts: Artifact[], name: string) => artifacts.find((a) => a.name === name);

describe("supply chain: the inventory and what it pulls (offline)", () => {
    describe("image names as containerd resolves them", () => {
        const rows: [string, string | undefined][] = [
            ["nginx:1.30.4-alpine", "docker.io/library/nginx:1.30.4-alpine"],
            ["prom/prometheus:v3.10.0", "docker.io/prom/prometheus:v3.10.0"],
            ["docker.io/fortio/fortio:1.60.3", "docker.io/fortio/fortio:1.60.3"],
            ["index.docker.io/library/node:22", "docker.io/library/node:22"],
            ["registry-1.docker.io/istio/pilot:1.30.5", "docker.io/istio/pilot:1.30.5"],
            ["quay.io/kiali/kiali:v2.26.0", "quay.io/kiali/kiali:v2.26.0"],
            ["localhost:5000/lab/app:1", "localhost:5000/lab/app:1"],
            ["registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.18.0", "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.18.0"],
            [`ghcr.io/a/b@sha256:${"0".repeat(64)}`, `ghcr.io/a/b@sha256:${"0".repeat(64)}`],
            ["Not An Image", undefined],
        ];
        for (const [ref, want] of rows) it(`${ref} → ${want ?? "not a reference"}`, () => expect(normalizeImage(ref)?.ref).to.equal(want));
    });

    describe("retired locations, known by name", () => {
        const chart = (location: string, name = "base"): Pick<Artifact, "kind" | "name" | "location"> => ({ kind: "chart", name, location });
        const image = (name: string): Pick<Artifact, "kind" | "name" | "location"> => ({ kind: "image", name, location: name.split("/")[0] });
        const rows: { name: string; a: Pick<Artifact, "kind" | "name" | "location">; now?: string }[] = [
            { name: "Istio's GCS chart bucket", a: chart("https://istio-release.storage.googleapis.com/charts"), now: "https://blob.istio.io/istio-release/charts" },
            { name: "the same, spelt http:// with a trailing slash", a: chart("http://ISTIO-RELEASE.storage.googleapis.com/charts/"), now: "https://blob.istio.io/istio-release/charts" },
            { name: "blob.istio.io is where it lives now", a: chart("https://blob.istio.io/istio-release/charts") },
            { name: "the grafana chart at grafana.github.io", a: chart("https://grafana.github.io/helm-charts", "grafana"), now: "https://grafana-community.github.io/helm-charts" },
            { name: "another chart of grafana.github.io did not move", a: chart("https://grafana.github.io/helm-charts", "loki") },
            { name: "registry.istio.io/release", a: image("registry.istio.io/release/pilot"), now: "docker.io/istio/pilot" },
            { name: "gcr.io/istio-release", a: image("gcr.io/istio-release/proxyv2"), now: "docker.io/istio/proxyv2" },
            { name: "a name that only starts like it", a: image("gcr.io/istio-release-mirror/proxyv2") },
            { name: "docker.io/istio", a: image("docker.io/istio/pilot") },
        ];
        for (const r of rows) it(`${r.name}: ${r.now ? `moved to ${r.now}` : "not retired"}`, () => expect(relocation(r.a)?.now[0]).to.equal(r.now));
    });

    describe("what each chart version deploys, with the values the program sets", () => {
        it("istiod 1.30 defaults to the retired registry.istio.io/release for istiod and the sidecars", () => {
            const got = chartImages("istiod", "1.30.5", {});
            expect(got.images.map((i) => i.ref)).to.deep.equal(["registry.istio.io/release/pilot:1.30.5", "registry.istio.io/release/proxyv2:1.30.5"]);
            expect(got.images[1].pods).to.equal("injected");
        });
        it("hub and global.hub move both; the top-level hub alone does not reach the proxies", () => {
            expect(chartImages("istiod", "1.30.5", { hub: "docker.io/istio", global: { hub: "docker.io/istio" } }).images.map((i) => i.ref)).to.deep.equal(["docker.io/istio/pilot:1.30.5", "docker.io/istio/proxyv2:1.30.5"]);
            expect(chartImages("istiod", "1.30.5", { hub: "docker.io/istio" }).images.map((i) => i.ref)).to.deep.equal(["docker.io/istio/pilot:1.30.5", "registry.istio.io/release/proxyv2:1.30.5"]);
        });
        it("tag, variant and a full image name, as istiod's templates read them", () => {
            expect(chartImages("istiod", "1.30.5", { global: { hub: "mirror.example/istio", tag: "1.30.5-patched", variant: "distroless" } }).images.map((i) => i.ref)).to.deep.equal([
                "mirror.example/istio/pilot:1.30.5-patched-distroless",
                "mirror.example/istio/proxyv2:1.30.5-patched-distroless",
            ]);
            expect(chartImages("istiod", "1.30.5", { image: "ghcr.io/me/pilot:1" }).images[0].ref).to.equal("ghcr.io/me/pilot:1");
        });
        it("istiod 1.31 defaults to docker.io/istio; base and gateway deploy no image of their own", () => {
            expect(chartImages("istiod", "1.31.1", {}).images[0].ref).to.equal("docker.io/istio/pilot:1.31.1");
            expect(chartImages("base", "1.30.5", {}).images).to.deep.equal([]);
            expect(chartImages("gateway", "1.30.5", { service: { type: "NodePort" } }).images).to.deep.equal([]);
        });
        it("kiali-server: image_name:image_version, v<chart version> by default", () => {
            expect(chartImages("kiali-server", "2.26.0", {}).images[0].ref).to.equal("quay.io/kiali/kiali:v2.26.0");
            expect(chartImages("kiali-server", "2.26.0", { deployment: { image_name: "mirror.example/kiali", image_version: "v2.26.1" } }).images[0].ref).to.equal("mirror.example/kiali:v2.26.1");
        });
        it("prometheus 28.13.0: the server and its reloader; subcharts only when enabled", () => {
            const off = { alertmanager: { enabled: false }, "prometheus-pushgateway": { enabled: false }, "kube-state-metrics": { enabled: false }, "prometheus-node-exporter": { enabled: false } };
            expect(chartImages("prometheus", "28.13.0", { ...off, server: { image: { repository: "docker.io/prom/prometheus" } } }).images.map((i) => i.ref)).to.deep.equal([
                "docker.io/prom/prometheus:v3.10.0",
                "quay.io/prometheus-operator/prometheus-config-reloader:v0.89.0",
            ]);
            const all = chartImages("prometheus", "28.13.0", {}).images;
            expect(all.map((i) => i.ref)).to.include("registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.18.0");
            expect(all.find((i) => i.ref.includes("node-exporter"))?.pods).to.equal("every-node");
        });
        it("grafana: 9.2.2 and 11.6.1 defaults, the sidecar only when a sidecar is on, global.imageRegistry over each", () => {
            const sidecar = { sidecar: { dashboards: { enabled: true } } };
            expect(chartImages("grafana", "9.2.2", sidecar).images.map((i) => i.ref)).to.deep.equal(["docker.io/grafana/grafana:12.0.1", "quay.io/kiwigrid/k8s-sidecar:1.30.0"]);
            expect(chartImages("grafana", "11.6.1", sidecar).images.map((i) => i.ref)).to.deep.equal(["docker.io/grafana/grafana:12.4.3", "quay.io/kiwigrid/k8s-sidecar:2.6.0"]);
            expect(chartImages("grafana", "11.6.1", {}).images.map((i) => i.ref)).to.deep.equal(["docker.io/grafana/grafana:12.4.3"]);
            expect(chartImages("grafana", "11.6.1", { ...sidecar, global: { imageRegistry: "mirror.example" } }).images.map((i) => i.ref)).to.deep.equal(["mirror.example/grafana/grafana:12.4.3", "mirror.example/kiwigrid/k8s-sidecar:2.6.0"]);
            expect(chartImages("grafana", "11.6.1", { persistence: { enabled: true }, dashboards: {} }).images.map((i) => i.ref)).to.include.members(["docker.io/library/busybox:1.37.0", "docker.io/curlimages/curl:8.19.0"]);
        });
        it("a version the table does not know: the nearest row, said so; a chart it does not know: unknown", () => {
            const g = chartImages("grafana", "11.6.2", { sidecar: { dashboards: { enabled: true } } });
            expect(g.approximate).to.equal("11.6.1");
            expect(g.images[0].ref).to.equal("docker.io/grafana/grafana:12.4.3");
            expect(chartImages("istiod", "1.32.0", {}).approximate).to.equal("1.31.x");
            expect(chartImages("loki", "6.0.0", {})).to.deep.include({ unknown: true, images: [] });
        });
    });

    describe("k3s and k3d images", () => {
        it("a k3s release in the table: its own tags; pause on every node; klipper-lb only for LoadBalancer Services", () => {
            const r = k3sSystemImages("rancher/k3s:v1.36.2-k3s1");
            expect(r.approximate).to.equal(undefined);
            expect(r.images.map((i) => i.ref)).to.include.members(["docker.io/rancher/mirrored-coredns-coredns:1.14.4", "docker.io/rancher/local-path-provisioner:v0.0.36", "docker.io/rancher/mirrored-metrics-server:v0.8.1"]);
            expect(r.images.find((i) => i.ref.includes("pause"))?.pods).to.equal("every-node");
            expect(r.images.find((i) => i.ref.includes("klipper-lb"))?.onlyWithLoadBalancer).to.equal(true);
        });
        it("a release not in the table gets the nearest one, named", () => {
            expect(k3sSystemImages("rancher/k3s:v1.36.4-k3s1").approximate).to.equal("v1.36.2-k3s1");
            expect(k3sSystemImages("rancher/k3s:v1.33.9-k3s1").approximate).to.equal("v1.33.7-k3s1");
        });
        it("k3d's helper images carry the k3d version without its v", () => {
            expect(k3dHelperImages("v5.9.0").map((i) => i.ref)).to.deep.equal(["ghcr.io/k3d-io/k3d-proxy:5.9.0", "ghcr.io/k3d-io/k3d-tools:5.9.0"]);
        });
    });

    describe("a stack's inventory, from its config and plan", () => {
        const dev = config();
        const devInv = inv(dev);
        const plan = buildPlan(dev);

        it("every chart of the plan, at the repository and version the plan names", () => {
            const specs = [plan.istio.base, plan.istio.istiod, plan.istio.gateway, ...plan.addons.charts];
            const charts = devInv.artifacts.filter((a) => a.kind === "chart");
            expect(charts.map((c) => `${c.name} ${c.version} ${c.location}`).sort()).to.deep.equal(specs.map((s) => `${s.chart} ${s.version} ${s.repo}`).sort());
        });

        it("every image of the plan's own pods, except the ones the program builds", () => {
            const refs: string[] = [];
            const walk = (o: K8sObject) => {
                const t = (o.spec as { template?: { spec?: { containers?: { image: string }[] } } } | undefined)?.template;
                for (const c of t?.spec?.containers ?? []) refs.push(c.image);
            };
            [...plan.workloads, ...plan.addons.objects].forEach(walk);
            const pulled = refs.filter((r) => !r.startsWith("istio-mesh.local/"));
            expect(pulled.length).to.be.greaterThan(3);
            for (const r of pulled) expect(images(devInv.artifacts).map((a) => `${a.name}:${a.version}`), r).to.include(normalizeImage(r)!.ref);
            expect(images(devInv.artifacts).some((a) => a.name.includes("istio-mesh.local"))).to.equal(false);
        });

        it("istiod's images follow the hub the istiod chart's values set; proxyv2 runs in every injected pod and the gateway", () => {
            const v = plan.istio.istiod.values;
            const hub = (valueAt(v, "hub") as string | undefined) ?? "registry.istio.io/release";
            const globalHub = (valueAt(v, "global.hub") as string | undefined) ?? "registry.istio.io/release";
            expect(find(devInv.artifacts, `${normalizeImage(`${hub}/pilot:1`)!.registry}/${normalizeImage(`${hub}/pilot:1`)!.repository}`)?.version).to.equal(dev.versions.istio);
            const proxy = images(devInv.artifacts).find((a) => a.name.endsWith("/proxyv2"))!;
            expect(proxy.name).to.equal(normalizeImage(`${globalHub}/proxyv2:1`)!.ref.replace(/:1$/, ""));
            // Injected: the workload namespace's Deployments without sidecar.istio.io/inject=false, plus the ingress gateway.
            const injected = plan.workloads
                .filter((o) => o.kind === "Deployment")
                .filter((o) => (o.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels["sidecar.istio.io/inject"] !== "false")
                .reduce((n, o) => n + ((o.spec as { replicas?: number }).replicas ?? 1), 0);
            expect(proxy.image?.pods).to.equal(injected + 1);
        });

        it("the charts' images, with the program's values (Prometheus from docker.io/prom, Grafana's sidecar on)", () => {
            const names = images(devInv.artifacts).map((a) => a.name);
            expect(names).to.include.members(["quay.io/prometheus/prometheus", "quay.io/prometheus-operator/prometheus-config-reloader", "docker.io/grafana/grafana", "quay.io/kiwigrid/k8s-sidecar", "quay.io/kiali/kiali"]);
            expect(names.some((n) => n.includes("alertmanager") || n.includes("node-exporter"))).to.equal(false);
        });

        it("dev: the k3s node image, the k3d helpers and the servicex base on this machine's Docker; k3s's system images on the nodes", () => {
            const host = images(devInv.artifacts).filter((a) => a.image?.puller === "host").map((a) => `${a.name}:${a.version}`);
            expect(dev.cluster.kind === "k3d" && dev.cluster.registryCache, "the dev default has the registry cache").to.not.equal(undefined);
            expect(host).to.have.members([
                normalizeImage(dev.versions.k3sImage)!.ref,
                normalizeImage(dev.versions.servicexBaseImage)!.ref,
                "ghcr.io/k3d-io/k3d-proxy:5.9.0",
                "ghcr.io/k3d-io/k3d-tools:5.9.0",
                normalizeImage(dev.versions.registryCacheImage)!.ref,
            ]);
            const noCache = inv(config({ cluster: { registryCache: { enabled: false } } })).artifacts;
            expect(find(noCache, normalizeImage(dev.versions.registryCacheImage)!.ref.replace(/:[^:]+$/, ""))).to.equal(undefined);
            expect(find(devInv.artifacts, "docker.io/rancher/mirrored-pause")?.image?.pods).to.equal("every-node");
            expect(find(devInv.artifacts, "docker.io/rancher/klipper-lb"), "no LoadBalancer Service, no ServiceLB").to.equal(undefined);
        });

        it("a LoadBalancer Service on k3d brings ServiceLB's klipper-lb to every node", () => {
            const cfg = config({ services: { "nginx-service": { type: "LoadBalancer" } } });
            expect(find(inv(cfg).artifacts, "docker.io/rancher/klipper-lb")?.image?.pods).to.equal("every-node");
        });

        it("a stack's overrides are what is listed; one at a retired registry is known moved", () => {
            const cfg = config({ versions: { fortioImage: "docker.io/fortio/fortio:1.61.0" }, images: { servicex: { image: "registry.istio.io/release/servicex:1.0.0" } } });
            const a = inv(cfg).artifacts;
            expect(find(a, "docker.io/fortio/fortio")?.version).to.equal("1.61.0");
            const servicex = find(a, "registry.istio.io/release/servicex")!;
            expect(relocation(servicex)?.now[0]).to.equal("docker.io/istio/servicex");
            // Prebuilt: no base image to pull, no docker plugin use.
            expect(find(a, "docker.io/library/node")).to.equal(undefined);
        });

        it("cloud (EKS): no k3s or k3d images; the aws and eks plugins are used; the CLI and plugins come from get.pulumi.com", () => {
            const cloud = config({ cluster: { kind: "eks", name: "lab", region: "eu-west-1" } }, "cloud");
            const a = inv(cloud).artifacts;
            expect(a.some((x) => x.name.startsWith("docker.io/rancher/") || x.name.startsWith("ghcr.io/k3d-io/"))).to.equal(false);
            expect(find(a, "aws")?.why).to.match(/^provider plugin: the EKS cluster/);
            expect(find(devInv.artifacts, "aws")?.why).to.match(/not used by this stack, downloaded anyway/);
            expect(find(a, "pulumi")?.location).to.equal("https://get.pulumi.com/releases/sdk/pulumi-v3.248.0-linux-x64.tar.gz");
            const merged = mergeInventories([devInv, inv(cloud)]).artifacts;
            const aws = find(merged, "aws")!;
            expect(aws.stacks).to.deep.equal(["dev", "cloud"]);
            expect(aws.why).to.match(/\(cloud\); dev only downloads it/);
            expect(merged.filter((x) => x.kind === "chart" && x.name === "istiod")).to.have.length(1);
        });

        it("download URLs: CLI and plugins per platform; a plugin's own server", () => {
            expect(pulumiCliUrl("3.248.0", { os: "darwin", arch: "arm64" })).to.equal("https://get.pulumi.com/releases/sdk/pulumi-v3.248.0-darwin-arm64.tar.gz");
            expect(pulumiCliUrl("3.248.0", { os: "windows", arch: "amd64" })).to.equal("https://get.pulumi.com/releases/sdk/pulumi-v3.248.0-windows-x64.zip");
            expect(pluginUrl({ name: "kubernetes", version: "4.34.2" }, { os: "linux", arch: "amd64" })).to.equal("https://get.pulumi.com/releases/plugins/pulumi-resource-kubernetes-v4.34.2-linux-amd64.tar.gz");
            expect(pluginUrl({ name: "x", version: "1.0.0", server: "https://plugins.example/x/" }, { os: "linux", arch: "arm64" })).to.equal("https://plugins.example/x/pulumi-resource-x-v1.0.0-linux-arm64.tar.gz");
            expect(pulumiPlatform("darwin", "arm64")).to.deep.equal({ os: "darwin", arch: "arm64" });
            expect(pulumiPlatform("win32", "x64")).to.deep.equal({ os: "windows", arch: "amd64" });
        });

        it("OCI chart refs and https repositories", () => {
            expect(chartLocation({ chart: "oci://ghcr.io/istio/release/charts/base", repo: "" })).to.deep.equal({ name: "base", location: "oci://ghcr.io/istio/release/charts" });
            expect(chartLocation({ chart: "base", repo: "https://blob.istio.io/istio-release/charts/" })).to.deep.equal({ name: "base", location: "https://blob.istio.io/istio-release/charts" });
        });

        it("the installed tools: the CLI is @pulumi/pulumi's version (pinnedCliVersion), one plugin per @pulumi resource package", () => {
            expect(pulumiSdkVersion(ROOT)).to.equal(pinnedCliVersion());
            const plugins = installedPlugins(ROOT);
            expect(plugins.find((p) => p.name === "kubernetes")?.version).to.equal((require("@pulumi/kubernetes/package.json") as { version: string }).version);
            expect(plugins.map((p) => p.name)).to.not.include("pulumi");
        });
    });

    describe("the image pulls of a cold dev up", () => {
        const img = (ref: string, puller: "cluster" | "host", pods: number | "every-node"): Artifact => {
            const n = normalizeImage(ref)!;
            return { kind: "image", name: `${n.registry}/${n.repository}`, version: n.reference, location: n.registry, why: "test", stacks: ["dev"], image: { registry: n.registry, repository: n.repository, reference: n.reference, puller, pods } };
        };
        const artifacts = [
            img("docker.io/istio/proxyv2:1.30.5", "cluster", 6),
            img("rancher/mirrored-pause:3.6", "cluster", "every-node"),
            img("nginx:1.30.4-alpine", "cluster", 1),
            img("rancher/k3s:v1.36.4-k3s1", "host", 1),
            img("quay.io/kiali/kiali:v2.26.0", "cluster", 2),
            img("ghcr.io/k3d-io/k3d-proxy:5.9.0", "host", 1),
        ];
        it("each node pulls for itself, up to one pull per pod; the host pulls once", () => {
            const c = coldUpPulls(artifacts, { servers: 1, agents: 2 });
            expect(c.byRegistry).to.deep.equal({ "docker.io": 3 + 3 + 1 + 1, "quay.io": 2, "ghcr.io": 1 });
            expect([c.dockerHub, c.others, c.total, c.nodes]).to.deep.equal([8, 3, 11, 3]);
            expect(coldUpPulls(artifacts, { servers: 1, agents: 0 }).dockerHub).to.equal(4);
        });
        it("a registry behind a pull-through cache is fetched upstream once per image", () => {
            const c = coldUpPulls(artifacts, { servers: 1, agents: 2 }, ["registry-1.docker.io"]);
            expect(c.dockerHub).to.equal(4);
            expect(c.images.filter((i) => i.by === "cache").map((i) => i.ref)).to.deep.equal(["docker.io/istio/proxyv2:1.30.5", "docker.io/rancher/mirrored-pause:3.6", "docker.io/library/nginx:1.30.4-alpine"]);
        });
        it("the line up prints: Docker Hub against its anonymous limit, then the others", () => {
            const line = pullsLine("dev", coldUpPulls(artifacts, { servers: 1, agents: 2 }));
            expect(line).to.equal(`istio-mesh: a cold up of stack "dev" (a new cluster of 3 nodes) pulls up to 8 images from Docker Hub (anonymous limit: 10 an hour per IP address) and 3 from other registries (ghcr.io 1, quay.io 2).\n`);
            const many = coldUpPulls([...artifacts, img("docker.io/a/b:1", "cluster", 3), img("docker.io/a/c:1", "cluster", 3)], { servers: 1, agents: 2 });
            expect(pullsLine("dev", many)).to.match(/pulls up to 14 images from Docker Hub .*Beyond the limit pods wait in ImagePullBackOff \(toomanyrequests\)/);
            const viaCache = coldUpPulls([...artifacts, ...["d", "e", "f", "g", "h", "i", "j"].map((x) => img(`docker.io/a/${x}:1`, "cluster", 3))], { servers: 1, agents: 2 }, ["docker.io"]);
            expect(pullsLine("dev", viaCache, ["docker.io"])).to.match(/pulls up to 11 images from Docker Hub \(through the pull-through cache: docker\.io\).*unless the cache has a Docker Hub login/);
        });
        it("the default dev stack goes past Docker Hub's anonymous limit on three nodes", () => {
            const c = coldUpPulls(devInvFor().artifacts, { servers: 1, agents: 2 });
            expect(c.dockerHub).to.be.greaterThan(10);
        });
        const devInvFor = () => inv(config());
    });

    describe("a Helm repository's index.yaml", () => {
        const helmLayout = [
            "apiVersion: v1",
            "entries:",
            "  grafana:",
            "  - apiVersion: v2",
            "    name: grafana",
            "    urls:",
            "    - https://example.org/grafana-11.6.1.tgz",
            "    version: 11.6.1",
            "  - deprecated: true",
            "    name: grafana",
            "    urls:",
            "    - grafana-9.2.2.tgz",
            "    version: 9.2.2",
            "  grafana-agent:",
            "  - name: grafana-agent",
            "    version: 0.44.0",
            "    urls: []",
            'generated: "2026-08-20T00:00:00Z"',
            "",
        ].join("\n");
        it("reads one chart's entries out of the layout helm repo index writes", () => {
            expect(indexEntries(helmLayout, "grafana")).to.deep.equal([
                { version: "11.6.1", urls: ["https://example.org/grafana-11.6.1.tgz"], deprecated: false },
                { version: "9.2.2", urls: ["grafana-9.2.2.tgz"], deprecated: true },
            ]);
            expect(indexEntries(helmLayout, "grafana-agent")?.map((e) => e.version)).to.deep.equal(["0.44.0"]);
            expect(indexEntries(helmLayout, "loki")).to.equal(undefined);
        });
        it("any other layout is parsed whole; a file that is no index is an error", () => {
            expect(indexEntries(`{"apiVersion":"v1","entries":{"base":[{"version":"1.30.5","urls":["base-1.30.5.tgz"]}]}}`, "base")?.map((e) => e.version)).to.deep.equal(["1.30.5"]);
            expect(() => indexEntries("<html>Not Found</html>\n", "base")).to.throw(/not a Helm repository index/);
        });
    });

    describe("routing requests to a mirror or a local server", () => {
        const routes = parseRoutes("*=http://127.0.0.1:5000, docker.io=https://mirror.example.com/dh/") as Routes;
        it("a host's own mirror, or every other host under the catch-all with the host as first path segment", () => {
            expect(routedUrl(routes, "https://registry-1.docker.io/v2/library/nginx/manifests/1")).to.equal("https://mirror.example.com/dh/v2/library/nginx/manifests/1");
            expect(routedUrl(routes, "https://ghcr.io/token?scope=repository:a:pull")).to.equal("http://127.0.0.1:5000/ghcr.io/token?scope=repository:a:pull");
            expect(routedUrl(parseRoutes(undefined) as Routes, "https://ghcr.io/v2/")).to.equal("https://ghcr.io/v2/");
        });
        it("an answer's Location maps back to the public URL", () => {
            expect(publicUrl(routes, "http://127.0.0.1:5000/new.example.net/charts/index.yaml")).to.equal("https://new.example.net/charts/index.yaml");
            expect(publicUrl(routes, "https://elsewhere.example/x")).to.equal("https://elsewhere.example/x");
        });
        it("a malformed override names the variable and the form", () => {
            expect(parseRoutes("127.0.0.1:5000")).to.have.property("problem").that.matches(/ISTIO_MESH_PINS_REGISTRY_OVERRIDE: "127\.0\.0\.1:5000" is not <host>=<http\(s\) base URL>/);
            expect(parseRoutes("ghcr.io=ftp://x")).to.have.property("problem");
        });
        it("reads the registry's Bearer challenge", () => {
            expect(bearerChallenge(`Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"`)).to.deep.equal({
                realm: "https://auth.docker.io/token",
                service: "registry.docker.io",
                scope: "repository:library/nginx:pull",
            });
            expect(bearerChallenge(`Basic realm="registry"`)).to.equal(undefined);
            expect(bearerChallenge(null)).to.equal(undefined);
        });
    });

    describe("npm run pins: its command line", () => {
        const spec = commands.find((c) => c.spec.name === "pins")!.spec;
        it("takes any number of stacks; the usage says so", () => {
            const p = parseCommandLine(spec, ["dev", "cloud", "--json", "--timeout", "3"]);
            expect(p.help).to.equal(false);
            if (!p.help) expect(p.positionals).to.deep.equal(["dev", "cloud"]);
            expect(usageLine(spec)).to.equal("usage: npm run pins -- [<stack>…] [options]");
        });
        it("a misspelt flag is a usage error with the flag meant", () => {
            expect(() => parseCommandLine(spec, ["--jsn"])).to.throw(UsageError, /unknown option --jsn \(did you mean --json\?\)/);
        });
        it("other commands still refuse extra arguments", () => {
            const up = commands.find((c) => c.spec.name === "up")!.spec;
            expect(() => parseCommandLine(up, ["dev"])).to.throw(UsageError, /unexpected argument "dev"/);
        });
    });
});
