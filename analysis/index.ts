/**
 * Validation and analysis of a plan, all offline and before any resource is registered:
 * 1. kubernetes: every Kubernetes object as the API server checks it (OpenAPI field types and the
 *    apimachinery rules), plus what it and the engine refuse across objects (names, nodePorts);
 * 2. schema: Istio objects against Istio's CRD schemas;
 * 3. webhook: the rules of Istio's validating webhook a schema cannot express;
 * 4. analyzers: cross-resource checks like istioctl analyze and Kiali, plus the course's traps;
 * 5. gatewayApi: Kubernetes Gateway API objects against the pinned Gateway API CRDs (schema and CEL
 *    rules) and their own cross-object analyzers (analysis/gatewayApi/).
 * Config warnings (deprecations) come along as findings too. analysis/gate.ts runs them all.
 */
import type { MeshConfig } from "../config/types";
import type { MeshPlan } from "../mesh/plan";
import type { K8sObject } from "../mesh/objects";
import { EGRESS_RELEASE } from "../mesh/istio/egressGateway";
import { analyzerFindings } from "./analyzers";
import { AnalysisContext, GatewayWorkload } from "./context";
import type { Finding } from "./finding";
import { duplicateFindings, nodePortFindings, nodePortUses } from "./kubernetes/crossObject";
import { kubernetesFindings } from "./kubernetes";
import { schemaFindings } from "./schema";
import { webhookFindings } from "./webhook";
import { gatewayApiFindings, isGatewayApiObject } from "./gatewayApi";

/** Every Kubernetes object of a plan that lives in the workload namespace or is an Istio resource. */
export function planObjects(plan: MeshPlan): K8sObject[] {
    const p = plan.trafficPolicies;
    return [plan.workloadNamespace, ...plan.workloads, ...p.destinationRules, ...p.virtualServices, ...p.gateways, ...p.httpRoutes, ...p.serviceEntries, ...p.security, ...(plan.ambient?.waypoints ?? [])];
}

/** Every object the program applies, grouped by the component that registers it (one URN space each). */
export function objectGroups(plan: MeshPlan): K8sObject[][] {
    const p = plan.trafficPolicies;
    return [
        [plan.istio.namespace],
        [plan.workloadNamespace],
        plan.workloads,
        [...p.destinationRules, ...p.virtualServices, ...p.gateways, ...p.httpRoutes, ...p.serviceEntries, ...p.security],
        [...plan.addons.objects, ...plan.addons.istioResources],
        ...(plan.ambient ? [plan.ambient.waypoints] : []),
    ];
}

export const allObjects = (plan: MeshPlan): K8sObject[] => objectGroups(plan).flat();

/** Cross-object checks: duplicate names, and nodePorts (the program's Services and the gateway chart's). */
export function crossObjectFindings(cfg: MeshConfig, plan: MeshPlan): Finding[] {
    const gw = cfg.istio.gatewayService;
    const chart = gw.type === "NodePort" ? [{ nodePort: gw.httpNodePort, resource: `Service ${cfg.istio.namespace}/${cfg.istio.gatewayRelease} (gateway chart)`, path: "spec.ports[http2].nodePort" }] : [];
    // Only Services carry nodePorts, and they are all in plan.workloads or the addons' objects.
    return [...duplicateFindings(objectGroups(plan)), ...nodePortFindings([...chart, ...nodePortUses(plan.workloads), ...nodePortUses(plan.addons.objects)])];
}

/** The gateways the charts deploy: their pod labels and Service ports. */
export function gatewayWorkloads(cfg: MeshConfig, plan: MeshPlan): GatewayWorkload[] {
    const ports = (values: Record<string, unknown>) => (((values.service as { ports?: { port: number; targetPort: number }[] })?.ports) ?? []).map((p) => ({ port: p.port, targetPort: p.targetPort }));
    const gws: GatewayWorkload[] = [
        { namespace: cfg.istio.namespace, labels: { istio: "ingressgateway", app: cfg.istio.gatewayRelease }, servicePorts: ports(plan.istio.gateway.values), host: `${cfg.istio.gatewayRelease}.${cfg.istio.namespace}.svc.cluster.local` },
    ];
    if (plan.istio.egressGateway) {
        gws.push({ namespace: cfg.istio.namespace, labels: { istio: "egressgateway", app: EGRESS_RELEASE }, servicePorts: ports(plan.istio.egressGateway.values), host: `${EGRESS_RELEASE}.${cfg.istio.namespace}.svc.cluster.local` });
    }
    return gws;
}

export function configFindings(cfg: MeshConfig): Finding[] {
    return cfg.warnings.map((w) => ({ code: "CONFIG", severity: "warning" as const, resource: "config", path: w.path, message: w.message, fix: "see the message" }));
}

/**
 * Synchronous part: webhook rules (Istio's objects only) and analyzers. The analyzers see the Gateway
 * API objects too — the ambient ones read the waypoint Gateway and the HTTPRoutes attached to
 * Services — while the context keeps a Gateway API Gateway apart from Istio's (analysis/context.ts).
 */
export function analyzePlan(cfg: MeshConfig, plan: MeshPlan): Finding[] {
    const all = planObjects(plan);
    const istio = all.filter((o) => !isGatewayApiObject(o));
    return [...configFindings(cfg), ...webhookFindings(istio), ...analyzerFindings(new AnalysisContext(all, gatewayWorkloads(cfg, plan)))];
}

/** Every layer, Kubernetes' first: a name the API server refuses is the real problem, not what follows from it. */
export async function checkPlan(cfg: MeshConfig, plan: MeshPlan): Promise<Finding[]> {
    const objects = allObjects(plan);
    return [...(await kubernetesFindings(objects)), ...crossObjectFindings(cfg, plan), ...(await schemaFindings(objects)), ...gatewayApiFindings(objects), ...analyzePlan(cfg, plan)];
}

export const hasErrors = (fs: Finding[]): boolean => fs.some((f) => f.severity === "error");
