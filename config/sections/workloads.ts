import { COURSE_DEFAULTS, DEFAULT_RESOURCES } from "../defaults";
import { mergeEntries } from "../merge";
import { Node } from "../reader";
import type { ResourcesConfig, WorkloadConfig } from "../types";
import type { Versions } from "../versions";

export const WORKLOAD_KEYS = ["image", "replicas", "labels", "containerPort", "env", "resources", "indexHtml", "serviceAccount"];

function parseResources(n: Node): ResourcesConfig {
    n.object(["requests", "limits"]);
    const pair = (m: Node, d: { cpu: string; memory: string }) => {
        m.object(["cpu", "memory"]);
        return { cpu: m.child("cpu").string(d.cpu), memory: m.child("memory").string(d.memory) };
    };
    return { requests: pair(n.child("requests"), DEFAULT_RESOURCES.requests), limits: pair(n.child("limits"), DEFAULT_RESOURCES.limits) };
}

/** `istio-mesh:workloads`: Deployments by name, merged over the course's nginx A/B. */
export function parseWorkloads(n0: Node, versions: Versions): WorkloadConfig[] {
    const n = new Node(n0.problems, n0.path, mergeEntries(COURSE_DEFAULTS.workloads, n0.value));
    return n.entries({ dnsKeys: true }).map(([name, w]) => {
        w.object(WORKLOAD_KEYS);
        const labels = w.child("labels").labels({ app: name });
        if (!labels.app) w.problems.add(`${w.path}.labels`, `needs an "app" label (Istio and Kiali group workloads by it)`);
        const env: Record<string, string> = {};
        for (const [k, e] of w.child("env").entries()) env[k] = e.string("");
        return {
            name,
            image: w.child("image").image(versions.nginxImage),
            replicas: w.child("replicas").int(1, { min: 0, max: 100 }),
            labels,
            containerPort: w.child("containerPort").port(80),
            env,
            resources: parseResources(w.child("resources")),
            indexHtml: w.child("indexHtml").optionalString(),
            serviceAccount: w.child("serviceAccount").dnsLabel(name),
        };
    });
}
