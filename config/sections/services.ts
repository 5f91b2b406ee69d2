import { COURSE_DEFAULTS } from "../defaults";
import { mergeEntries } from "../merge";
import { Node, show } from "../reader";
import type { ServiceConfig } from "../types";

export const SERVICE_KEYS = ["selector", "port", "targetPort", "portName", "destinationRule", "subsets", "virtualService", "weights"];

/** `istio-mesh:services`: Kubernetes Services and the Istio traffic policy of each, merged over the course's nginx-service. */
export function parseServices(n0: Node): ServiceConfig[] {
    const n = new Node(n0.problems, n0.path, mergeEntries(COURSE_DEFAULTS.services, n0.value));
    return n.entries({ dnsKeys: true }).map(([name, s]) => {
        s.object(SERVICE_KEYS);
        const subsets = s.child("subsets").entries({ dnsKeys: true }).map(([sub, labels]) => ({ name: sub, labels: labels.labels({}) }));
        for (const sub of subsets) {
            if (Object.keys(sub.labels).length === 0) s.problems.add(`${s.path}.subsets.${sub.name}`, `a subset needs at least one pod label, e.g. {version: A}`);
        }
        const weightsNode = s.child("weights");
        const route = weightsNode.entries().map(([subset, w]) => {
            if (!subsets.some((x) => x.name === subset)) {
                s.problems.add(w.path, `subset ${show(subset)} is not declared under ${s.path}.subsets (declared: ${subsets.map((x) => x.name).join(", ") || "none"})`);
            }
            return { subset, weight: w.int(0, { min: 0 }) };
        });
        if (route.length > 0 && route.every((r) => r.weight === 0)) {
            s.problems.add(weightsNode.path, `all weights are 0, so no request could be routed; give at least one subset a weight > 0`);
        }
        if (route.length > 0 && subsets.length === 0) s.problems.add(weightsNode.path, `weights need subsets; declare them under ${s.path}.subsets`);
        const drName = s.child("destinationRule").dnsLabel(`${name}-dr`);
        const vsName = s.child("virtualService").dnsLabel(`${name}-vs`);
        const port = s.child("port").port(80);
        return {
            name,
            selector: s.child("selector").labels({ app: name }),
            port,
            targetPort: s.child("targetPort").port(port),
            portName: s.child("portName").dnsLabel("http"),
            destinationRule: subsets.length > 0 ? { name: drName, subsets } : undefined,
            virtualService: route.length > 0 ? { name: vsName, route } : undefined,
        };
    });
}
