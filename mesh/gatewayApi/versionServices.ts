/**
 * One Service per version, and the DestinationRules that keep the course's traffic policies on them.
 * An HTTPRoute splits traffic between Services, not DestinationRule subsets (GEP-1426; Istio's
 * bookinfo-versions.yaml does the same for reviews-v1/v2/v3), so each subset becomes a Service selecting
 * the parent Service's pods that carry the subset's labels: `nginx-service-v1` for `version: A`.
 *
 * The Gateway API has no load-balancing, session-affinity (Istio does not implement `sessionPersistence`)
 * or outlier-detection API, so DestinationRules stay for lessons 10, 11 and 13. A DestinationRule applies
 * to the host a request is routed to: once an HTTPRoute sends traffic to `nginx-service-v1`, that host's
 * own DestinationRule is the one Envoy reads, so each subset's policy moves to its version's host
 * (the subset's policy over the host-wide one, field by field, as Istio merges them). The parent host
 * keeps the host-wide policy only while no mesh route splits it: calls to a split service all go to a
 * version's host, so a policy left on the parent would apply to nothing.
 */
import type { ServiceConfig, SubsetConfig } from "../../config/types";
import type { TrafficPolicyConfig } from "../../config/policy";
import { versionServiceName } from "../../config/gatewayApi";
import { ISTIO_NETWORKING, K8sObject } from "../objects";
import { trafficPolicy } from "../istio/trafficPolicy";

export { versionServiceName };

/** The Service of one version: the parent's selector plus the subset's labels, its port as the parent's. */
export function versionService(s: ServiceConfig, sub: SubsetConfig, namespace: string): K8sObject {
    const selector = { ...s.selector, ...sub.labels };
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: versionServiceName(s.name, sub.name), namespace, labels: { ...selector } },
        spec: {
            type: "ClusterIP",
            selector: { ...selector },
            ports: [{ name: s.portName, port: s.port, targetPort: s.targetPort, protocol: "TCP" }],
        },
    };
}

export function versionServices(s: ServiceConfig, namespace: string): K8sObject[] {
    return (s.destinationRule?.subsets ?? []).map((sub) => versionService(s, sub, namespace));
}

/** Istio's DestinationRule host for a version Service: short when the parent's was short, else the FQDN. */
function versionHost(s: ServiceConfig, subset: string, namespace: string): string {
    const name = versionServiceName(s.name, subset);
    return s.destinationRule && s.destinationRule.host !== s.name ? `${name}.${namespace}.svc.cluster.local` : name;
}

const effective = (host: TrafficPolicyConfig | undefined, subset: TrafficPolicyConfig | undefined): TrafficPolicyConfig | undefined => {
    const merged = { ...(host ?? {}), ...(subset ?? {}) };
    return Object.keys(merged).length > 0 ? merged : undefined;
};

/**
 * A service's DestinationRules under the Gateway API: the parent host's (host-wide policy, no subsets)
 * and one per version with a policy (`nginx-dr-v1` for host `nginx-service-v1`).
 */
export function versionDestinationRules(s: ServiceConfig, namespace: string): K8sObject[] {
    const dr = s.destinationRule;
    if (!dr) return [];
    const out: K8sObject[] = [];
    const split = (s.virtualService?.route.length ?? 0) > 0;
    if (dr.trafficPolicy && !split) out.push({ apiVersion: ISTIO_NETWORKING, kind: "DestinationRule", metadata: { name: dr.name, namespace }, spec: { host: dr.host, trafficPolicy: trafficPolicy(dr.trafficPolicy) } });
    for (const sub of dr.subsets) {
        const tp = effective(dr.trafficPolicy, sub.trafficPolicy);
        if (!tp) continue;
        out.push({ apiVersion: ISTIO_NETWORKING, kind: "DestinationRule", metadata: { name: `${dr.name}-${sub.name}`, namespace }, spec: { host: versionHost(s, sub.name, namespace), trafficPolicy: trafficPolicy(tp) } });
    }
    return out;
}
