/**
 * What to verify, derived from the declared Istio objects of the plan (not from config keys): each
 * VirtualService split, fault, DestinationRule consistent hash and outlier detection, ingress route
 * and PeerAuthentication becomes a check. A kind that is absent gives no check. Which version answered
 * is told by the page each subset's pods serve (workload `indexHtml`, e.g. `Full Cycle A`). Pure.
 */
import { parseDuration } from "../config/duration";
import type { K8sObject } from "../mesh/objects";

export interface WorkloadInfo {
    name: string;
    labels: Record<string, string>;
    replicas: number;
    env: Record<string, string>;
    indexHtml?: string;
}

/** A request: path, Host header and other headers, from a route's match. */
export interface RequestSpec {
    path: string;
    host?: string;
    headers: Record<string, string>;
}

export interface Destination {
    /** `v1`, or the host when the route names no subset. */
    label: string;
    /** Share declared by the weights (weight / sum). */
    share: number;
    /** The page its pods serve; undefined when unknown or ambiguous. */
    answer?: string;
}

export type Check =
    | { kind: "split"; policy: string; via: "mesh" | "ingress"; url: string; request: RequestSpec; destinations: Destination[] }
    | { kind: "sticky"; policy: string; url: string; hashOn: { header?: string; cookie?: string; query?: string; sourceIp?: boolean }; answers: string[] }
    | { kind: "delay"; policy: string; url: string; request: RequestSpec; fixedDelaySeconds: number; percent: number }
    | { kind: "abort"; policy: string; url: string; request: RequestSpec; httpStatus: number; percent: number }
    | { kind: "circuitBreaker"; policy: string; url: string; threshold: number; field: string; failingPods: number }
    | { kind: "mtls"; policy: string; mode: string; namespace: string; service: string; port: number }
    | { kind: "skip"; policy: string; what: string; reason: string };

export interface CheckContext {
    /** Every object the plan declares (workloads, Services, Istio policies). */
    objects: K8sObject[];
    workloads: WorkloadInfo[];
    /** Namespace of the workloads and the fortio client. */
    namespace: string;
    /** Where the ingress gateway answers from this machine, e.g. http://127.0.0.1:8000 */
    ingressUrl: string;
}

type Spec = Record<string, any>;

/** `10s`, `1.5s`, `250ms`, `1m30s` → seconds (Istio's duration syntax, parsed as config parses it). */
export function durationSeconds(d: unknown): number | undefined {
    if (typeof d !== "string") return undefined;
    const ns = parseDuration(d);
    return ns === undefined ? undefined : ns / 1e9;
}

/** Istio's percentage: `percentage.value` (0–100); absent means 100. */
function percentOf(f: Spec): number {
    if (typeof f?.percentage?.value === "number") return f.percentage.value;
    if (typeof f?.percent === "number") return f.percent;
    return 100;
}

const shortHost = (h: string) => h.split(".")[0];
const matches = (labels: Record<string, string>, selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

export function deriveChecks(ctx: CheckContext): Check[] {
    const of = (kind: string) => ctx.objects.filter((o) => o.kind === kind);
    const services = new Map(of("Service").map((s) => [s.metadata.name, s]));
    const drs = of("DestinationRule");
    const checks: Check[] = [];

    const serviceOf = (host: string) => services.get(shortHost(host));
    const portOf = (host: string) => ((serviceOf(host)?.spec as Spec)?.ports?.[0]?.port as number | undefined) ?? 80;
    const meshUrl = (host: string, req?: RequestSpec) => `http://${shortHost(host)}:${portOf(host)}${req?.path ?? "/"}`;
    const drFor = (host: string) => drs.find((d) => shortHost((d.spec as Spec).host) === shortHost(host));

    /** Pods behind a host's subset (or the whole host) and the page they serve, if it is one page. */
    function answerOf(host: string, subset?: string): string | undefined {
        const selector = ((serviceOf(host)?.spec as Spec)?.selector ?? {}) as Record<string, string>;
        const subsetLabels = subset ? (((drFor(host)?.spec as Spec)?.subsets ?? []).find((s: Spec) => s.name === subset)?.labels ?? undefined) : {};
        if (subsetLabels === undefined) return undefined;
        const pages = new Set(ctx.workloads.filter((w) => w.replicas > 0 && matches(w.labels, selector) && matches(w.labels, subsetLabels)).map((w) => w.indexHtml));
        return pages.size === 1 ? [...pages][0] : undefined;
    }

    function destinations(route: Spec[]): Destination[] {
        const total = route.reduce((n, r) => n + (r.weight ?? (route.length === 1 ? 100 : 0)), 0) || 1;
        return route.map((r) => ({
            label: r.destination?.subset ?? shortHost(r.destination?.host ?? "?"),
            share: (r.weight ?? (route.length === 1 ? 100 : 0)) / total,
            answer: answerOf(r.destination?.host ?? "", r.destination?.subset),
        }));
    }

    function requestOf(http: Spec, host?: string): RequestSpec | string {
        const m = http.match?.[0] as Spec | undefined;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries((m?.headers ?? {}) as Record<string, Spec>)) {
            if (typeof v.exact !== "string") return `header match on ${k} is not an exact value`;
            headers[k] = v.exact;
        }
        if (m?.uri && !m.uri.prefix && !m.uri.exact) return `URI match ${JSON.stringify(m.uri)} has no prefix or exact value to send`;
        return { path: m?.uri?.prefix ?? m?.uri?.exact ?? "/", host, headers };
    }

    for (const vs of of("VirtualService")) {
        const spec = vs.spec as Spec;
        const name = vs.metadata.name;
        const gateways: string[] = spec.gateways ?? [];
        const viaMesh = gateways.length === 0 || gateways.includes("mesh");
        const viaIngress = gateways.some((g) => g !== "mesh");
        (spec.http ?? []).forEach((http: Spec, i: number) => {
            const label = (spec.http.length > 1 ? `${name} http[${i}]` : name) + (http.match?.[0]?.uri?.prefix ? ` ${http.match[0].uri.prefix}` : "");
            const route: Spec[] = http.route ?? [];
            const target = route[0]?.destination?.host as string | undefined;
            if (!target) return;
            const hosts: string[] = viaIngress ? spec.hosts ?? ["*"] : [target];
            for (const host of hosts) {
                if (viaIngress && host.includes("*") && host !== "*") {
                    checks.push({ kind: "skip", policy: label, what: `ingress host ${host}`, reason: "a wildcard host has no single name to send; declare concrete hosts to have them checked" });
                    continue;
                }
                const req = requestOf(http, viaIngress && host !== "*" ? host : undefined);
                if (typeof req === "string") {
                    checks.push({ kind: "skip", policy: label, what: "route", reason: req });
                    continue;
                }
                const pairs: ["mesh" | "ingress", string][] = [];
                if (viaMesh && host === target) pairs.push(["mesh", meshUrl(target, req)]);
                if (viaIngress) pairs.push(["ingress", `${ctx.ingressUrl.replace(/\/$/, "")}${req.path}`]);
                for (const [via, url] of pairs) {
                    const policy = via === "ingress" && host !== "*" ? `${label} (${host})` : label;
                    const fault = http.fault as Spec | undefined;
                    if (fault?.delay) {
                        const s = durationSeconds(fault.delay.fixedDelay);
                        if (s === undefined) checks.push({ kind: "skip", policy, what: "fault delay", reason: `fixedDelay ${JSON.stringify(fault.delay.fixedDelay)} is not a duration` });
                        else if (via === "mesh") checks.push({ kind: "delay", policy, url, request: req, fixedDelaySeconds: s, percent: percentOf(fault.delay) });
                    }
                    if (fault?.abort && via === "mesh") checks.push({ kind: "abort", policy, url, request: req, httpStatus: fault.abort.httpStatus ?? 500, percent: percentOf(fault.abort) });
                    if (fault) {
                        if (via === "ingress") checks.push({ kind: "skip", policy, what: "ingress route", reason: "a fault is injected on this route; it is checked from inside the mesh only" });
                        continue; // the answers of a faulted route say nothing about the split
                    }
                    const dests = destinations(route);
                    const unknown = dests.filter((d) => d.share > 0 && d.answer === undefined);
                    if (unknown.length) {
                        checks.push({ kind: "skip", policy, what: via === "ingress" ? "ingress route" : "canary split", reason: `cannot tell which version answered for ${unknown.map((d) => d.label).join(", ")}: give its workloads distinct indexHtml pages` });
                        continue;
                    }
                    if (via === "mesh" && dests.length < 2) continue; // one destination: nothing to split
                    checks.push({ kind: "split", policy, via, url, request: req, destinations: dests });
                }
            }
        });
    }

    for (const dr of drs) {
        const spec = dr.spec as Spec;
        const host: string = spec.host;
        const name = dr.metadata.name;
        const lb = spec.trafficPolicy?.loadBalancer?.consistentHash as Spec | undefined;
        if (lb) {
            const hashOn = {
                header: lb.httpHeaderName as string | undefined,
                cookie: lb.httpCookie?.name as string | undefined,
                query: lb.httpQueryParameterName as string | undefined,
                sourceIp: lb.useSourceIp === true ? true : undefined,
            };
            const all = [...new Set(ctx.workloads.filter((w) => w.replicas > 0 && matches(w.labels, ((serviceOf(host)?.spec as Spec)?.selector ?? {}) as Record<string, string>)).map((w) => w.indexHtml))];
            if (all.some((a) => a === undefined)) checks.push({ kind: "skip", policy: name, what: "sticky sessions", reason: `cannot tell which version answered: give the workloads behind ${shortHost(host)} indexHtml pages` });
            else checks.push({ kind: "sticky", policy: name, url: meshUrl(host), hashOn, answers: all as string[] });
        }
        const od = spec.trafficPolicy?.outlierDetection as Spec | undefined;
        if (od) {
            const field = od.consecutiveGatewayErrors !== undefined ? "consecutiveGatewayErrors" : od.consecutive5xxErrors !== undefined ? "consecutive5xxErrors" : "consecutive5xxErrors (Envoy default)";
            const threshold = od.consecutiveGatewayErrors ?? od.consecutive5xxErrors ?? 5;
            const selector = ((serviceOf(host)?.spec as Spec)?.selector ?? {}) as Record<string, string>;
            // The course's failing pods carry env error=yes (servicex-error); without one, any pod may fail.
            const failingPods = ctx.workloads.filter((w) => matches(w.labels, selector) && w.env.error === "yes").reduce((n, w) => n + w.replicas, 0);
            checks.push({ kind: "circuitBreaker", policy: name, url: meshUrl(host), threshold, field, failingPods: Math.max(1, failingPods) });
        }
    }

    for (const pa of of("PeerAuthentication")) {
        const mode = ((pa.spec as Spec)?.mtls?.mode as string | undefined) ?? "PERMISSIVE";
        const ns = pa.metadata.namespace ?? ctx.namespace;
        const meshWide = ns !== ctx.namespace; // root namespace (istio-system): the whole mesh
        const selector = ((pa.spec as Spec)?.selector?.matchLabels ?? {}) as Record<string, string>;
        for (const svc of services.values()) {
            const svcNs = svc.metadata.namespace ?? ctx.namespace;
            if (!meshWide && svcNs !== ns) continue;
            const sel = ((svc.spec as Spec)?.selector ?? {}) as Record<string, string>;
            if (!ctx.workloads.some((w) => w.replicas > 0 && matches(w.labels, sel) && matches(w.labels, selector))) continue;
            checks.push({ kind: "mtls", policy: pa.metadata.name, mode, namespace: svcNs, service: svc.metadata.name, port: (svc.spec as Spec)?.ports?.[0]?.port ?? 80 });
        }
    }
    return checks;
}
