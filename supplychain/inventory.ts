/**
 * The inventory of a stack: every artifact its `up` downloads, read from the validated config and the
 * plan (never hard-coded): the Helm charts, the images of the program's own objects and of what the
 * charts deploy (chartImages.ts), the dev cluster's k3s and k3d images (k3sImages.ts), the servicex
 * build's base image, the Pulumi CLI and the provider plugins. Pure; the tool versions come in as data.
 */
import { LOCAL_IMAGE_DOMAIN } from "../config/images";
import type { MeshConfig } from "../config/types";
import type { HelmChartSpec } from "../mesh/istio/charts";
import type { MeshPlan } from "../mesh/plan";
import type { K8sObject } from "../mesh/objects";
import { INJECTION_LABEL } from "../mesh/kubernetes/Namespace";
import { Artifact, artifactKey, InventoryNote, normalizeImage, PodCount, Puller } from "./artifacts";
import { chartImages, valueAt, Values } from "./chartImages";
import { k3dHelperImages, k3sSystemImages } from "./k3sImages";

export type PulumiOs = "linux" | "darwin" | "windows";
export type PulumiArch = "amd64" | "arm64";

/** A `@pulumi/*` resource package installed here (its package.json `pulumi` block). */
export interface InstalledPlugin {
    name: string;
    version: string;
    /** A plugin hosted elsewhere than get.pulumi.com (package.json `pulumi.server`). */
    server?: string;
}

/** What the inventory needs besides the stack: versions of the tools on this side. */
export interface ToolPins {
    /** The Pulumi CLI the Automation API installs (engine/engine.ts pinnedCliVersion()); unset: not listed. */
    pulumiCli?: string;
    plugins: InstalledPlugin[];
    /** The k3d version whose helper images a dev cluster pulls (the one the project is tested with); unset: not listed. */
    k3d?: string;
    /** Which build of the CLI and plugins this machine downloads. */
    platform: { os: PulumiOs; arch: PulumiArch };
}

export interface StackInventory {
    stack: string;
    artifacts: Artifact[];
    notes: InventoryNote[];
}

export const PULUMI_DOWNLOADS = "https://get.pulumi.com/releases";

/** The CLI archive `PulumiCommand.install` fetches through get.pulumi.com/install.sh. */
export function pulumiCliUrl(version: string, p: ToolPins["platform"]): string {
    const arch = p.arch === "amd64" ? "x64" : "arm64";
    return `${PULUMI_DOWNLOADS}/sdk/pulumi-v${version}-${p.os}-${arch}.${p.os === "windows" ? "zip" : "tar.gz"}`;
}

/** Where the engine downloads a resource plugin from (pulumi sdk/go/common/workspace/plugins.go). */
export function pluginUrl(plugin: InstalledPlugin, p: ToolPins["platform"]): string {
    const base = (plugin.server ?? `${PULUMI_DOWNLOADS}/plugins`).replace(/\/+$/, "");
    return `${base}/pulumi-resource-${plugin.name}-v${plugin.version}-${p.os}-${p.arch}.tar.gz`;
}

/** A chart's repository (or OCI ref without the chart name) and its name, however the spec writes it. */
export function chartLocation(spec: Pick<HelmChartSpec, "chart" | "repo">): { name: string; location: string } {
    if (spec.chart.startsWith("oci://")) {
        const i = spec.chart.lastIndexOf("/");
        return { name: spec.chart.slice(i + 1), location: spec.chart.slice(0, i) };
    }
    return { name: spec.chart, location: spec.repo.replace(/\/+$/, "") };
}

interface PodTemplate {
    namespace: string;
    pods: PodCount;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    images: string[];
}

/** Workload objects as pod templates: how many pods each makes and the images of their containers. */
function podTemplates(objects: K8sObject[]): PodTemplate[] {
    const out: PodTemplate[] = [];
    for (const o of objects) {
        const spec = (o.spec ?? {}) as Record<string, unknown>;
        let pods: PodCount;
        let pod: Record<string, unknown> | undefined;
        switch (o.kind) {
            case "Deployment":
            case "StatefulSet":
            case "ReplicaSet":
                pods = typeof spec.replicas === "number" ? spec.replicas : 1;
                pod = spec.template as Record<string, unknown> | undefined;
                break;
            case "DaemonSet":
                pods = "every-node";
                pod = spec.template as Record<string, unknown> | undefined;
                break;
            case "Job":
                pods = typeof spec.parallelism === "number" ? spec.parallelism : 1;
                pod = spec.template as Record<string, unknown> | undefined;
                break;
            case "Pod":
                pods = 1;
                pod = o as unknown as Record<string, unknown>;
                break;
            default:
                continue;
        }
        const meta = (pod?.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
        const podSpec = (pod?.spec ?? {}) as { containers?: { image?: string }[]; initContainers?: { image?: string }[] };
        const images = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])].map((c) => c.image).filter((i): i is string => typeof i === "string");
        out.push({ namespace: o.metadata.namespace ?? "default", pods, labels: meta.labels ?? {}, annotations: meta.annotations ?? {}, images });
    }
    return out;
}

/** Whether istiod injects a sidecar into these pods: namespace label, unless the pod opts out (or in). */
function injected(t: PodTemplate, injectedNamespaces: Set<string>): boolean {
    const say = t.labels["sidecar.istio.io/inject"] ?? t.annotations["sidecar.istio.io/inject"];
    if (say === "false") return false;
    if (say === "true") return true;
    return injectedNamespaces.has(t.namespace);
}

const addPods = (a: PodCount, b: PodCount): PodCount => (a === "every-node" || b === "every-node" ? "every-node" : a + b);

class Builder {
    readonly artifacts = new Map<string, Artifact>();
    readonly notes: InventoryNote[] = [];
    constructor(readonly stack: string) {}

    add(a: Omit<Artifact, "stacks">): void {
        const key = artifactKey(a);
        const had = this.artifacts.get(key);
        if (!had) {
            this.artifacts.set(key, { ...a, stacks: [this.stack] });
            return;
        }
        // One image run by several objects: their pods add up; the first reason is kept with the others after it.
        if (had.image && a.image) had.image.pods = addPods(had.image.pods, a.image.pods);
        if (!had.why.includes(a.why)) had.why = `${had.why}; ${a.why}`;
    }

    image(ref: string, why: string, puller: Puller, pods: PodCount, approximate?: string): void {
        const n = normalizeImage(ref);
        if (!n) {
            this.notes.push({ stack: this.stack, text: `${JSON.stringify(ref)} is not an image reference this inventory can read (${why})` });
            return;
        }
        this.add({
            kind: "image",
            name: `${n.registry}/${n.repository}`,
            version: n.reference,
            location: n.registry,
            why,
            image: { registry: n.registry, repository: n.repository, reference: n.reference, puller, pods },
            ...(approximate ? { approximate } : {}),
        });
    }
}

/** Pods of the gateway charts: one each unless their values scale them (the charts' default). */
function gatewayPods(spec: HelmChartSpec | undefined): number {
    if (!spec) return 0;
    const v = spec.values as Values;
    const min = valueAt(v, "autoscaling.minReplicas");
    const count = valueAt(v, "replicaCount");
    return typeof count === "number" ? count : typeof min === "number" ? min : 1;
}

/** Every artifact the stack's `up` downloads, with why it is needed. */
export function stackInventory(cfg: MeshConfig, plan: MeshPlan, tools: ToolPins): StackInventory {
    const b = new Builder(cfg.stack);
    const k3d = cfg.cluster.kind === "k3d";

    // The program's own workloads (and Jaeger): their pods, and how many carry a sidecar.
    const injectedNamespaces = new Set(
        [plan.workloadNamespace, plan.istio.namespace]
            .filter((ns) => ns.metadata.labels?.["istio-injection"] === INJECTION_LABEL["istio-injection"])
            .map((ns) => ns.metadata.name),
    );
    let sidecars = 0;
    let sidecarsEverywhere = false;
    for (const t of podTemplates([...plan.workloads, ...plan.addons.objects])) {
        if (injected(t, injectedNamespaces)) {
            if (t.pods === "every-node") sidecarsEverywhere = true;
            else sidecars += t.pods;
        }
        for (const ref of t.images) {
            // Built by this program (apps/): imported into k3d or pushed to the stack's registry, never pulled by name.
            if (ref.startsWith(`${LOCAL_IMAGE_DOMAIN}/`)) continue;
            b.image(ref, `a workload of the lab (${t.labels.app ?? "pod"} in namespace ${t.namespace})`, "cluster", t.pods);
        }
    }
    sidecars += gatewayPods(plan.istio.gateway) + gatewayPods(plan.istio.egressGateway);

    // The charts, and the images they deploy with the program's values.
    const charts: { spec: HelmChartSpec; why: string }[] = [
        { spec: plan.istio.base, why: "Istio's CRDs and validation webhook" },
        { spec: plan.istio.istiod, why: "Istio's control plane, istiod" },
        { spec: plan.istio.gateway, why: "the ingress gateway" },
        ...(plan.istio.egressGateway ? [{ spec: plan.istio.egressGateway, why: "the egress gateway (istio-mesh:security.egress)" }] : []),
        ...plan.addons.charts.map((c) => ({ spec: c as HelmChartSpec, why: `the ${c.release} addon (istio-mesh:addons.${c.release})` })),
    ];
    for (const { spec, why } of charts) {
        const { name, location } = chartLocation(spec);
        b.add({ kind: "chart", name, version: spec.version, location, why });
        const found = chartImages(name, spec.version, spec.values as Values);
        if (found.unknown) {
            b.notes.push({ stack: cfg.stack, text: `the images of chart ${name} ${spec.version} are not in supplychain/chartImages.ts: not listed, not checked, not counted` });
            continue;
        }
        if (found.approximate) b.notes.push({ stack: cfg.stack, text: `chart ${name} ${spec.version} is not in supplychain/chartImages.ts: its images are listed as ${found.approximate} deploys them` });
        for (const img of found.images) {
            const pods: PodCount = img.pods === "injected" ? (sidecarsEverywhere ? "every-node" : sidecars) : img.pods;
            b.image(img.ref, img.role, "cluster", pods, found.approximate ? `as chart ${found.approximate}` : undefined);
        }
    }

    // With trafficApi: gateway-api, the Gateway API CRDs' release manifest, applied as downloaded (mesh/gatewayApi/crds.ts).
    const crds = plan.istio.gatewayApiCrds;
    if (crds) b.add({ kind: "manifest", name: `gateway-api-crds-${crds.channel}`, version: crds.version, location: crds.url, why: "the Kubernetes Gateway API CRDs (istio-mesh:trafficApi: gateway-api; istio-mesh:versions.gatewayApi)" });

    // Program-built apps: their base image is pulled by this machine's Docker (apps/<app>/Dockerfile NODE_IMAGE).
    for (const img of Object.values(cfg.images)) {
        if (img.kind !== "build" || !cfg.workloads.some((w) => w.appImage === img.app)) continue;
        b.image(img.baseImage, `the base of the ${img.app} image built here (istio-mesh:versions.servicexBaseImage)`, "host", 1);
    }

    if (k3d) {
        b.image(cfg.versions.k3sImage, "the k3s node image of the k3d cluster (istio-mesh:versions.k3sImage)", "host", 1);
        const sys = k3sSystemImages(cfg.versions.k3sImage);
        if (sys.approximate) b.notes.push({ stack: cfg.stack, text: `k3s ${cfg.versions.k3sImage} is not in supplychain/k3sImages.ts: its system images are listed as ${sys.approximate} ships them` });
        const loadBalancer = plan.workloads.some((o) => o.kind === "Service" && (o.spec as { type?: string } | undefined)?.type === "LoadBalancer");
        for (const img of sys.images) {
            if (img.onlyWithLoadBalancer && !loadBalancer) continue;
            b.image(img.ref, img.role, "cluster", img.pods, sys.approximate ? `as k3s ${sys.approximate}` : undefined);
        }
        if (tools.k3d) for (const img of k3dHelperImages(tools.k3d)) b.image(img.ref, img.role, "host", 1);
        // The Docker Hub pull-through cache the nodes pull through (mesh/k3d/registryCache.ts), started by this machine's Docker.
        if (cfg.cluster.kind === "k3d" && cfg.cluster.registryCache) b.image(cfg.versions.registryCacheImage, "the registry of the Docker Hub pull-through cache (istio-mesh:cluster.registryCache)", "host", 1);
    }

    // The engine side: the CLI the Automation API installs when none is on PATH, and every plugin.
    if (tools.pulumiCli) {
        b.add({ kind: "cli", name: "pulumi", version: tools.pulumiCli, location: pulumiCliUrl(tools.pulumiCli, tools.platform), why: "the Pulumi CLI the Automation API installs when none is on PATH (@pulumi/pulumi's version)" });
    }
    const uses = pluginUses(cfg, plan);
    for (const p of tools.plugins) {
        const use = uses[p.name];
        b.add({
            kind: "plugin",
            name: p.name,
            version: p.version,
            location: pluginUrl(p, tools.platform),
            why: use ? `provider plugin: ${use}` : `${UNUSED_PLUGIN}, downloaded anyway: the Node.js language host asks for every installed @pulumi/* package's plugin`,
        });
    }
    return { stack: cfg.stack, artifacts: [...b.artifacts.values()], notes: b.notes };
}

const UNUSED_PLUGIN = "provider plugin not used by this stack";

/** What each provider does for this stack (absent: installed but unused). */
export function pluginUses(cfg: MeshConfig, plan: MeshPlan): Record<string, string> {
    const builds = Object.values(cfg.images).some((img) => img.kind === "build" && cfg.workloads.some((w) => w.appImage === img.app));
    const generated = plan.addons.charts.some((c) => c.generated.length > 0);
    return {
        kubernetes: "the Helm charts and every Kubernetes object",
        ...(cfg.cluster.kind === "k3d" ? { command: "creates and deletes the k3d cluster, imports built images" } : {}),
        ...(builds ? { docker: "builds the program's own images (istio-mesh:images)" } : {}),
        ...(generated ? { random: "generates the addons' secrets (Grafana's password, Kiali's signing key)" } : {}),
        ...(cfg.cluster.kind === "eks" ? { aws: "the EKS cluster's AWS resources and ECR", eks: "the EKS cluster and its node group" } : {}),
    };
}

/** Several stacks' inventories as one list: an artifact two stacks need is one row naming both. */
export function mergeInventories(inventories: StackInventory[]): { artifacts: Artifact[]; notes: InventoryNote[] } {
    const byKey = new Map<string, Artifact>();
    // A plugin some stacks use and the others only download: say which.
    const pluginUse = new Map<string, { why?: string; using: string[]; others: string[] }>();
    for (const inv of inventories) {
        for (const a of inv.artifacts) {
            const key = artifactKey(a);
            const had = byKey.get(key);
            if (!had) byKey.set(key, { ...a, stacks: [...a.stacks], ...(a.image ? { image: { ...a.image } } : {}) });
            else for (const s of a.stacks) if (!had.stacks.includes(s)) had.stacks.push(s);
            if (a.kind === "plugin") {
                const u = pluginUse.get(key) ?? { using: [], others: [] };
                if (a.why.startsWith(UNUSED_PLUGIN)) u.others.push(inv.stack);
                else {
                    u.why ??= a.why;
                    u.using.push(inv.stack);
                }
                pluginUse.set(key, u);
            }
        }
    }
    for (const [key, u] of pluginUse) {
        if (u.why && u.others.length) byKey.get(key)!.why = `${u.why} (${u.using.join(", ")}); ${u.others.join(", ")} only download${u.others.length === 1 ? "s" : ""} it: the Node.js language host asks for every installed @pulumi/* package's plugin`;
    }
    const order: Record<Artifact["kind"], number> = { chart: 0, manifest: 1, image: 2, cli: 3, plugin: 4 };
    const artifacts = [...byKey.values()].sort((x, y) => order[x.kind] - order[y.kind] || x.name.localeCompare(y.name) || x.version.localeCompare(y.version));
    return { artifacts, notes: inventories.flatMap((i) => i.notes) };
}
