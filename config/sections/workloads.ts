import { COURSE_DEFAULTS, DEFAULT_RESOURCES, DEFAULT_WORKLOAD_IMAGES } from "../defaults";
import type { ImagesConfig } from "../images";
import { APP_ENV } from "../appEnv";
import { mergeEntries, setOwn } from "../merge";
import { Node, own, show } from "../reader";
import type { ResourcesConfig, WorkloadConfig } from "../types";
import type { Versions } from "../versions";

export const WORKLOAD_KEYS = ["image", "replicas", "labels", "containerPort", "env", "resources", "indexHtml", "serviceAccount", "appImage", "containerName", "args", "annotations", "probePath"];

/** Module-level, not a closure per workload: the tsx loader wraps each named inner function in a defineProperty call. */
function parseResourcePair(m: Node, d: { cpu: string; memory: string }): { cpu: string; memory: string } {
    m.object(["cpu", "memory"]);
    return { cpu: m.child("cpu").string(d.cpu), memory: m.child("memory").string(d.memory) };
}

function parseResources(n: Node): ResourcesConfig {
    n.object(["requests", "limits"]);
    return { requests: parseResourcePair(n.child("requests"), DEFAULT_RESOURCES.requests), limits: parseResourcePair(n.child("limits"), DEFAULT_RESOURCES.limits) };
}

/** `image`, or the image of `appImage` (an app under apps/, see istio-mesh:images); never both. */
function parseImage(name: string, w: Node, versions: Versions, images: ImagesConfig): { image: string; appImage?: string } {
    const appN = w.child("appImage");
    if (!appN.isSet) return { image: w.child("image").image(versions[(own(DEFAULT_WORKLOAD_IMAGES, name) as "fortioImage" | undefined) ?? "nginxImage"]) };
    const app = appN.string("");
    if (w.child("image").isSet) {
        w.problems.add(`${w.path}.image`, `image and appImage are alternatives; to run your own image here also set ${w.path}.appImage: null (or set istio-mesh:images.${app}.image for every ${app} workload)`);
    }
    const img = own(images, app) as ImagesConfig[string] | undefined;
    if (!img) {
        w.problems.add(appN.path, `${show(app)} is not an app of istio-mesh:images (apps: ${Object.keys(images).join(", ") || "none"}); set it to one of them, or set image instead`);
        return { image: versions.nginxImage };
    }
    return { image: img.ref, appImage: app };
}

function parseProbePath(n: Node): string | undefined {
    const p = n.optionalString();
    if (p !== undefined && !p.startsWith("/")) n.problems.add(n.path, `${show(p)} is not an HTTP path; expected one starting with "/", e.g. /healthz`);
    return p;
}

/** `istio-mesh:workloads`: Deployments by name, merged over the course's nginx A/B, servicex pair and fortio. */
export function parseWorkloads(n0: Node, versions: Versions, images: ImagesConfig): WorkloadConfig[] {
    const n = new Node(n0.problems, n0.path, mergeEntries(COURSE_DEFAULTS.workloads, n0.value));
    return n.entries({ dnsKeys: true }).map(([name, w]) => {
        w.object(WORKLOAD_KEYS);
        const labels = w.child("labels").labels({ app: name });
        if (!labels.app) w.problems.add(`${w.path}.labels`, `needs an "app" label (Istio and Kiali group workloads by it)`);
        const env: Record<string, string> = {};
        for (const [k, e] of w.child("env").entries()) setOwn(env, k, e.string(""));
        const annotations: Record<string, string> = {};
        for (const [k, a] of w.child("annotations").entries()) setOwn(annotations, k, a.string(""));
        const args = w.child("args").list().map((a) => a.string(""));
        const containerName = w.child("containerName").isSet ? w.child("containerName").dnsLabel(name) : undefined;
        const probePath = parseProbePath(w.child("probePath"));
        const image = parseImage(name, w, versions, images);
        const containerPort = w.child("containerPort").port(80);
        const envProblem = image.appImage ? (own(APP_ENV, image.appImage) as (typeof APP_ENV)[string] | undefined)?.(env, containerPort) : undefined;
        if (envProblem) w.problems.add(`${w.path}.env`, envProblem);
        return {
            name,
            ...image,
            replicas: w.child("replicas").int(1, { min: 0, max: 100 }),
            labels,
            containerPort,
            env,
            resources: parseResources(w.child("resources")),
            indexHtml: w.child("indexHtml").optionalString(),
            serviceAccount: w.child("serviceAccount").dnsLabel(name),
            ...(containerName !== undefined ? { containerName } : {}),
            ...(args.length > 0 ? { args } : {}),
            ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
            ...(probePath !== undefined ? { probePath } : {}),
        };
    });
}
