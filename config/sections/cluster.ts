import { COURSE_DEFAULTS } from "../defaults";
import { overlay } from "../merge";
import { Node, show } from "../reader";
import type { ClusterConfig } from "../types";

export const CLUSTER_KEYS = ["kind", "name", "agents", "ingress", "apiPort"];

/** `istio-mesh:cluster`: which cluster the mesh runs on. */
export function parseCluster(n0: Node): ClusterConfig {
    const d = COURSE_DEFAULTS.cluster;
    const n = new Node(n0.problems, n0.path, overlay(d, n0.value));
    n.object(CLUSTER_KEYS);
    const kind = n.child("kind").oneOf<string>(d.kind, ["k3d", "eks", "kubeconfig"]);
    if (kind !== "k3d") {
        n.problems.add(`${n.path}.kind`, `${show(kind)} is not implemented yet (the cloud stack is tracked in its own issue); use "k3d"`);
    }
    const ingress = n.child("ingress");
    ingress.object(["hostPort", "nodePort", "bindAddress"]);
    return {
        kind: "k3d",
        name: n.child("name").dnsLabel(d.name),
        servers: 1,
        agents: n.child("agents").int(d.agents, { min: 0, max: 10 }),
        ingress: {
            hostPort: ingress.child("hostPort").port(d.ingress.hostPort),
            nodePort: ingress.child("nodePort").int(d.ingress.nodePort, { min: 30000, max: 32767 }),
            bindAddress: ingress.child("bindAddress").ipv4(d.ingress.bindAddress),
        },
        apiPort: n.child("apiPort").port(d.apiPort),
    };
}
