/** Commands printed as stack outputs, ready to paste, with the stack's context and namespace. */
import type { MeshConfig } from "../config/types";
import { fortioCommands } from "./fortioCommands";
import { ingressPortForward } from "./ingress/externalAddress";

/** How the user gets the stack's kube context into their own kubeconfig. */
function useContext(cfg: MeshConfig, kubeContext: string): string {
    const c = cfg.cluster;
    // Named after the cluster (--alias), so the other commands' --context matches.
    if (c.kind === "eks") return `aws eks update-kubeconfig --region ${c.region} --name ${c.name} --alias ${kubeContext}`;
    // The project's CLI, backend and passphrase (npm run pulumi); --silent keeps npm's banner out of the file.
    if (c.kind === "kubeconfig" && c.kubeconfig !== undefined) return `npm run --silent pulumi -- stack output kubeconfig --show-secrets --stack ${cfg.stack} > istio-mesh.kubeconfig && export KUBECONFIG=$PWD/istio-mesh.kubeconfig && kubectl config use-context ${kubeContext}`;
    return `kubectl config use-context ${kubeContext}`;
}

/** @param ingressUrl where the ingress gateway answers (on a cloud cluster: once its load balancer is assigned). */
export function labCommands(cfg: MeshConfig, kubeContext: string, ingressUrl: string): Record<string, string> {
    const k = `kubectl --context ${kubeContext}`;
    const ns = cfg.namespace.name;
    return {
        useContext: useContext(cfg, kubeContext),
        pods: `${k} -n ${ns} get pods -L app,version`,
        istioPods: `${k} -n ${cfg.istio.namespace} get pods`,
        trafficPolicies: `${k} -n ${ns} get virtualservices,destinationrules,gateways`,
        ...fortioCommands(cfg, kubeContext),
        // A ClusterIP gateway answers at the ingress URL only while this runs (in another terminal).
        ...(ingressPortForward(cfg, kubeContext) ? { ingressPortForward: ingressPortForward(cfg, kubeContext)! } : {}),
        curlLoop: `while true; do curl -s ${ingressUrl}; sleep 0.5; done`,
    };
}
