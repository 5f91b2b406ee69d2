import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { apiFinding, ApiRule, containersOf, Spec } from "./rule";
import { dns1123Label, ianaServiceName } from "./validation";

/** The API server's default --service-node-port-range (k3s, EKS and kubeadm keep it). */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

const isPort = (p: unknown): boolean => typeof p === "number" && Number.isInteger(p) && p >= 1 && p <= 65535;

/** Module-level rather than a closure per check: the tsx loader wraps every named inner function in a defineProperty call. */
function add(out: Finding[], rule: { code: string }, o: K8sObject, path: string, message: string, fix: string): void {
    out.push(apiFinding(rule, o, path, message, fix));
}

/** Container and Service ports: numbers in range, names in their formats, unique per pod/Service. */
export const ports: ApiRule = {
    code: "K8S004",
    name: "ports",
    kinds: ["Deployment", "Service"],
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        const podPortNames = new Map<string, string>();
        for (const [c, cPath] of containersOf(o)) {
            ((c.ports ?? []) as Spec[]).forEach((p, i) => {
                const path = `${cPath}.ports[${i}]`;
                if (!isPort(p.containerPort)) add(out, this, o, `${path}.containerPort`, `containerPort ${JSON.stringify(p.containerPort)} is not a port number (1–65535)`, `use a port from 1 to 65535`);
                if (p.name !== undefined) {
                    const np = ianaServiceName(String(p.name));
                    if (np) add(out, this, o, `${path}.name`, `container port name ${JSON.stringify(p.name)} ${np}`, `use a short name such as http`);
                    else if (podPortNames.has(p.name)) add(out, this, o, `${path}.name`, `container port name ${JSON.stringify(p.name)} is already used at ${podPortNames.get(p.name)}`, `give each port of a pod its own name`);
                    else podPortNames.set(p.name, path);
                }
            });
        }
        if (o.kind === "Service") {
            const spec = (o.spec ?? {}) as Spec;
            const names = new Map<string, number>();
            ((spec.ports ?? []) as Spec[]).forEach((p, i) => {
                const path = `spec.ports[${i}]`;
                if (!isPort(p.port)) add(out, this, o, `${path}.port`, `port ${JSON.stringify(p.port)} is not a port number (1–65535)`, `use a port from 1 to 65535`);
                if (p.name !== undefined) {
                    const np = dns1123Label(String(p.name));
                    if (np) add(out, this, o, `${path}.name`, `Service port name ${JSON.stringify(p.name)} ${np}`, `use a name such as http (Istio reads the protocol from its prefix)`);
                    else if (names.has(p.name)) add(out, this, o, `${path}.name`, `Service port name ${JSON.stringify(p.name)} is already used by ports[${names.get(p.name)}]`, `give each port its own name`);
                    else names.set(p.name, i);
                }
                if (typeof p.targetPort === "string") {
                    const tp = ianaServiceName(p.targetPort);
                    if (tp) add(out, this, o, `${path}.targetPort`, `named targetPort ${JSON.stringify(p.targetPort)} ${tp}`, `use the container's port number or its port name`);
                } else if (p.targetPort !== undefined && !isPort(p.targetPort)) add(out, this, o, `${path}.targetPort`, `targetPort ${JSON.stringify(p.targetPort)} is not a port number (1–65535)`, `use a port from 1 to 65535`);
                if (p.nodePort !== undefined) {
                    if (spec.type !== "NodePort" && spec.type !== "LoadBalancer") add(out, this, o, `${path}.nodePort`, `nodePort is set on a ${spec.type ?? "ClusterIP"} Service`, `set type NodePort or LoadBalancer, or remove nodePort`);
                    else if (typeof p.nodePort !== "number" || p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max) {
                        add(out, this, o, `${path}.nodePort`, `nodePort ${JSON.stringify(p.nodePort)} is outside the cluster's node port range ${NODE_PORT_RANGE.min}–${NODE_PORT_RANGE.max}`, `use a nodePort from ${NODE_PORT_RANGE.min} to ${NODE_PORT_RANGE.max}, or leave it out to get a free one`);
                    }
                }
            });
        }
        return out;
    },
};
