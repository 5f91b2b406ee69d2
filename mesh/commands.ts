/** Commands printed as stack outputs, ready to paste, with the stack's context and namespace. */
import type { MeshConfig } from "../config/types";
import { fortioCommands } from "./fortioCommands";

export function labCommands(cfg: MeshConfig, kubeContext: string): Record<string, string> {
    const k = `kubectl --context ${kubeContext}`;
    const ns = cfg.namespace.name;
    const { hostPort } = cfg.cluster.ingress;
    return {
        useContext: `kubectl config use-context ${kubeContext}`,
        pods: `${k} -n ${ns} get pods -L app,version`,
        istioPods: `${k} -n ${cfg.istio.namespace} get pods`,
        trafficPolicies: `${k} -n ${ns} get virtualservices,destinationrules,gateways`,
        ...fortioCommands(cfg, kubeContext),
        curlLoop: `while true; do curl -s http://localhost:${hostPort}; sleep 0.5; done`,
    };
}
