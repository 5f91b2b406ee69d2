/**
 * What `npm run bench` times: validation + analysis must stay linear (the course speaks of companies
 * with 10,000 microservices). Generates N services with workloads and policies, then times config
 * parsing, plan building and all three check layers.
 */
import { allObjects, checkPlan, hasErrors } from ".";
import { gatewayApiFindings } from "./gatewayApi";
import type { K8sObject } from "../mesh/objects";
import { parseConfig } from "../config/parse";
import { buildPlan } from "../mesh/plan";

export function generatedConfig(n: number): Record<string, unknown> {
    const workloads: Record<string, unknown> = { nginx: null, "nginx-b": null };
    const services: Record<string, unknown> = { "nginx-service": null };
    const virtualServices: Record<string, unknown> = { "nginx-ingress": null };
    for (let i = 0; i < n; i++) {
        const app = `svc-${i}`;
        workloads[`${app}-v1`] = { labels: { app, version: "v1" }, containerPort: 8080 };
        workloads[`${app}-v2`] = { labels: { app, version: "v2" }, containerPort: 8080 };
        services[app] = {
            selector: { app },
            port: 80,
            targetPort: 8080,
            subsets: { v1: { version: "v1" }, v2: { version: "v2" } },
            weights: { v1: 90, v2: 10 },
            trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: "10s", baseEjectionTime: "30s", maxEjectionPercent: 50 } },
            retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx,connect-failure" },
            timeout: "10s",
        };
        if (i % 10 === 0) virtualServices[`${app}-ingress`] = { hosts: [`${app}.example.com`], service: app };
    }
    return { workloads, services, ingress: { hosts: ["*.example.com"], virtualServices } };
}

export async function timeOnce(n: number): Promise<{ ms: number; objects: number; findings: number }> {
    const raw = generatedConfig(n);
    const t0 = process.hrtime.bigint();
    const cfg = parseConfig(raw, "dev");
    const plan = buildPlan(cfg);
    const findings = await checkPlan(cfg, plan);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (hasErrors(findings)) throw new Error(`generated config has errors: ${findings[0].code} ${findings[0].message}`);
    const objects = plan.workloads.length + plan.trafficPolicies.destinationRules.length + plan.trafficPolicies.virtualServices.length;
    return { ms, objects, findings: findings.length };
}

/**
 * One HTTPRoute per generated service (a 90/10 split, a host, a prefix match and timeouts, so most of
 * the HTTPRoute CRD's rules run), all attached to one Gateway: what the Gateway API layer costs.
 */
export function generatedGatewayApiObjects(n: number): K8sObject[] {
    const gw: K8sObject = { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "bench", namespace: "default" }, spec: { gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP", hostname: "*.example.com" }] } };
    const routes = Array.from({ length: n }, (_, i): K8sObject => ({
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: `svc-${i}`, namespace: "default" },
        spec: {
            parentRefs: [{ name: "bench", sectionName: "http" }],
            hostnames: [`svc-${i}.example.com`],
            rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], timeouts: { request: "10s" }, backendRefs: [{ name: `svc-${i}`, port: 80, weight: 90 }, { name: `svc-${i}`, port: 80, weight: 10 }] }],
        },
    }));
    return [gw, ...routes];
}

/** The Gateway API layer alone on a generated plan: with no Gateway API objects, and with n HTTPRoutes. */
export function timeGatewayApi(n: number): { emptyMs: number; ms?: number; findings?: number; unavailable?: string } {
    const objects = allObjects(buildPlan(parseConfig(generatedConfig(n), "dev")));
    let t0 = process.hrtime.bigint();
    gatewayApiFindings(objects);
    const emptyMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const withRoutes = [...objects, ...generatedGatewayApiObjects(n)];
    t0 = process.hrtime.bigint();
    const findings = gatewayApiFindings(withRoutes);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (findings.some((f) => f.code === "GWAPI000")) return { emptyMs, unavailable: findings[0].message };
    if (hasErrors(findings)) throw new Error(`generated Gateway API objects have errors: ${findings[0].code} ${findings[0].path} ${findings[0].message}`);
    return { emptyMs, ms, findings: findings.length };
}

/** The budget: 10,000 services checked within 2 s, and no worse than linear by a fifth (10× the services, at most 12× the time). */
export const BUDGET = { largeMs: 2000, ratio: 12 } as const;

/** The report and its verdict: each measurement against its budget, and by how much it is over. Pure. */
export function benchReport(small: { ms: number; objects: number }, large: { ms: number; objects: number }, budget: { largeMs: number; ratio: number } = BUDGET): { text: string; ok: boolean } {
    const ratio = large.ms / small.ms;
    const over: string[] = [];
    if (large.ms > budget.largeMs) {
        const by = large.ms - budget.largeMs;
        over.push(`N=10000 took ${large.ms.toFixed(0)} ms, over the ${budget.largeMs} ms budget by ${by.toFixed(0)} ms (+${((100 * by) / budget.largeMs).toFixed(0)} %)`);
    }
    if (ratio > budget.ratio) over.push(`the ratio 10000/1000 is ${ratio.toFixed(2)}, over the ${budget.ratio} budget by ${(ratio - budget.ratio).toFixed(2)} (linear is 10: the checks grow faster than the mesh)`);
    const lines = [
        `N=1000   services: ${small.ms.toFixed(0)} ms (${small.objects} objects)`,
        `N=10000  services: ${large.ms.toFixed(0)} ms (${large.objects} objects)`,
        `ratio 10000/1000: ${ratio.toFixed(2)} (linear is 10; budget: ratio <= ${budget.ratio}, and N=10000 within ${budget.largeMs} ms)`,
        ...(over.length ? over.map((o) => `FAIL: ${o}`) : [`OK: within budget (N=10000 ${large.ms.toFixed(0)} of ${budget.largeMs} ms, ratio ${ratio.toFixed(2)} of ${budget.ratio})`]),
    ];
    return { text: lines.join("\n") + "\n", ok: over.length === 0 };
}
