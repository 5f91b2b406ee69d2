/**
 * What to verify, derived from the declared Istio objects of the plan (not from config keys): each
 * VirtualService split, fault, DestinationRule consistent hash and outlier detection, ingress route
 * and PeerAuthentication becomes a check. A kind that is absent gives no check. Which version answered
 * is told by the page each subset's pods serve (workload `indexHtml`, e.g. `Full Cycle A`). Pure.
 */
import { settingsFrom } from "../apps/servicex/src/settings";
import { parseDuration } from "../config/duration";
import { OUTSIDE_CLIENT, STRANGER_CLIENT } from "../mesh/kubernetes/verifyClients";
import type { K8sObject } from "../mesh/objects";

export interface WorkloadInfo {
    name: string;
    labels: Record<string, string>;
    replicas: number;
    env: Record<string, string>;
    indexHtml?: string;
    /** Its mTLS identity is `cluster.local/ns/<ns>/sa/<serviceAccount>`. */
    serviceAccount?: string;
    /** The app under apps/ it runs (servicex: its env says how slow it is). */
    appImage?: string;
}

/** Who makes a call: the lab's fortio (in the mesh), the pod without a sidecar, the unlisted identity. */
export type Client = "mesh" | "outside" | "stranger";

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
    | { kind: "mtls"; policy: string; mode: string; namespace: string; service: string; port: number; url: string; controlUrl: string; /** On ambient the client is outside the mesh by `istio.io/dataplane-mode: none`, and ztunnel refuses. */ ambient?: boolean }
    | {
          kind: "authz";
          policy: string;
          service: string;
          url: string;
          callers: { name: string; client: Client; principal: string; allowed: boolean }[];
          /** Who refuses an unlisted caller: a sidecar or waypoint answers 403, ztunnel closes the connection (ambient). */
          enforcedBy?: "sidecar" | "ztunnel" | "waypoint";
      }
    | { kind: "rateLimit"; policy: string; service: string; url: string; requestsPerSecond: number; pods: number }
    | { kind: "timeout"; policy: string; url: string; request: RequestSpec; timeoutSeconds: number; upstreamSeconds: number }
    | {
          kind: "retries";
          policy: string;
          url: string;
          request: RequestSpec;
          attempts: number;
          host: string;
          /** Every destination host whose counters count (an HTTPRoute splits over version Services). */
          hosts?: string[];
          /** Whose Envoy counts the retries: the client's sidecar (default), or on ambient the service's waypoint. */
          statsAt?: { waypoint: string };
      }
    | { kind: "capture"; policy: string; namespace: string }
    | { kind: "egress"; policy: string; url: string; outsideClient: boolean }
    | { kind: "skip"; policy: string; what: string; reason: string };

export interface CheckContext {
    /** Every object the plan declares (workloads, Services, Istio policies). */
    objects: K8sObject[];
    workloads: WorkloadInfo[];
    /** Namespace of the workloads and the fortio client. */
    namespace: string;
    /** Where the ingress gateway answers from this machine, e.g. http://127.0.0.1:8000 */
    ingressUrl: string;
    /** The data plane the stack runs (sidecar when unset). */
    dataplane?: "sidecar" | "ambient";
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
const hasDeployment = (objects: K8sObject[], name: string) => objects.some((o) => o.kind === "Deployment" && o.metadata.name === name);
const matches = (labels: Record<string, string>, selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

export function deriveChecks(ctx: CheckContext): Check[] {
    const of = (kind: string) => ctx.objects.filter((o) => o.kind === kind);
    const services = new Map(of("Service").map((s) => [s.metadata.name, s]));
    const drs = of("DestinationRule");
    const checks: Check[] = [];

    const serviceOf = (host: string) => services.get(shortHost(host));
    const portOf = (host: string) => ((serviceOf(host)?.spec as Spec)?.ports?.[0]?.port as number | undefined) ?? 80;
    const meshUrl = (host: string, req?: RequestSpec) => `http://${shortHost(host)}:${portOf(host)}${req?.path ?? "/"}`;
    const fqdn = (host: string) => (host.includes(".svc.") ? host : `${shortHost(host)}.${serviceOf(host)?.metadata.namespace ?? ctx.namespace}.svc.cluster.local`);
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

    /** Pods behind a route's destinations: the slowest known answer time (servicex with error=yes). */
    function upstreamSeconds(route: Spec[]): number | undefined {
        let slowest: number | undefined;
        for (const r of route) {
            const host = r.destination?.host ?? "";
            // A host with no Service of the plan (an external API) has no pods verify knows of.
            if (!serviceOf(host)) continue;
            const selector = ((serviceOf(host)?.spec as Spec)?.selector ?? {}) as Record<string, string>;
            const subsetLabels = r.destination?.subset ? (((drFor(host)?.spec as Spec)?.subsets ?? []).find((x: Spec) => x.name === r.destination.subset)?.labels ?? {}) : {};
            for (const w of ctx.workloads.filter((x) => x.replicas > 0 && matches(x.labels, selector) && matches(x.labels, subsetLabels))) {
                if (w.appImage !== "servicex") continue;
                try {
                    const st = settingsFrom(w.env);
                    if (st.failing) slowest = Math.max(slowest ?? 0, st.errorDelayMs / 1000);
                } catch {
                    /* an env servicex rejects: config validation reports it */
                }
            }
        }
        return slowest;
    }

    function resilienceChecks(policy: string, url: string, req: RequestSpec, http: Spec, route: Spec[]): Check[] {
        const out: Check[] = [];
        const target = route[0]?.destination?.host as string;
        if (http.timeout !== undefined) {
            const t = durationSeconds(http.timeout);
            const slow = upstreamSeconds(route);
            if (t === undefined) out.push({ kind: "skip", policy, what: "route timeout", reason: `timeout ${JSON.stringify(http.timeout)} is not a duration` });
            else if (http.fault) out.push({ kind: "skip", policy, what: "route timeout", reason: "a fault is injected on this route: its delay is added before the timeout starts, so the timeout cannot be told apart" });
            else if (slow === undefined || slow <= t) out.push({ kind: "skip", policy, what: "route timeout", reason: `no upstream behind this route is known to be slower than ${t}s (a servicex workload with error=yes and a longer ERROR_DELAY_MS would be): nothing to cut` });
            else out.push({ kind: "timeout", policy, url, request: req, timeoutSeconds: t, upstreamSeconds: slow });
        }
        const retries = http.retries as Spec | undefined;
        if (retries && (retries.attempts ?? 0) > 0) {
            if (http.fault) out.push({ kind: "skip", policy, what: "retries", reason: "a fault is injected on this route: Envoy does not retry injected faults" });
            else out.push({ kind: "retries", policy, url, request: req, attempts: retries.attempts, host: fqdn(target) });
        }
        return out;
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
                    if (via === "mesh") checks.push(...resilienceChecks(policy, url, req, http, route));
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

    checks.push(...httpRouteChecks(ctx, of("HTTPRoute"), { serviceOf, meshUrl, fqdn, answerOf: (h) => answerOf(h), upstreamSeconds }));

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

    const outside = hasDeployment(ctx.objects, OUTSIDE_CLIENT.name);
    for (const pa of of("PeerAuthentication")) {
        const mode = ((pa.spec as Spec)?.mtls?.mode as string | undefined) ?? "PERMISSIVE";
        const ns = pa.metadata.namespace ?? ctx.namespace;
        const meshWide = ns !== ctx.namespace; // root namespace (istio-system): the whole mesh
        const selector = ((pa.spec as Spec)?.selector?.matchLabels ?? {}) as Record<string, string>;
        if (!outside) {
            checks.push({ kind: "skip", policy: pa.metadata.name, what: `mTLS ${mode}`, reason: `no client outside the mesh (${OUTSIDE_CLIENT.name}) is deployed to make the plain-text call` });
            continue;
        }
        for (const svc of services.values()) {
            const svcNs = svc.metadata.namespace ?? ctx.namespace;
            if (!meshWide && svcNs !== ns) continue;
            const sel = ((svc.spec as Spec)?.selector ?? {}) as Record<string, string>;
            if (!ctx.workloads.some((w) => w.replicas > 0 && matches(w.labels, sel) && matches(w.labels, selector))) continue;
            const port = (svc.spec as Spec)?.ports?.[0]?.port ?? 80;
            checks.push({
                kind: "mtls",
                policy: pa.metadata.name,
                mode,
                namespace: svcNs,
                service: svc.metadata.name,
                port,
                url: `http://${svc.metadata.name}.${svcNs}:${port}/`,
                controlUrl: `http://${OUTSIDE_CLIENT.name}.${ctx.namespace}:${OUTSIDE_CLIENT.port}/`,
            });
        }
    }

    const meshClient = ctx.workloads.find((w) => w.labels.app === "fortio" && w.replicas > 0);
    const principal = (sa: string) => `cluster.local/ns/${ctx.namespace}/sa/${sa}`;
    for (const ap of of("AuthorizationPolicy")) {
        const spec = ap.spec as Spec;
        const name = ap.metadata.name;
        const rules: Spec[] = spec.rules ?? [];
        const principals: string[] = rules.flatMap((r) => (r.from ?? []).flatMap((f: Spec) => f.source?.principals ?? []));
        const onlyPrincipals = rules.length > 0 && rules.every((r) => !r.to && !r.when && (r.from ?? []).length > 0 && (r.from ?? []).every((f: Spec) => Object.keys(f.source ?? {}).every((k) => k === "principals")));
        if ((spec.action ?? "ALLOW") !== "ALLOW" || !onlyPrincipals) {
            checks.push({ kind: "skip", policy: name, what: "authorization", reason: "only ALLOW policies whose rules list source principals are measured" });
            continue;
        }
        const selector = (spec.selector?.matchLabels ?? {}) as Record<string, string>;
        // Attached by targetRefs (ambient, enforced by the service's waypoint): the Services named.
        const refs = ((spec.targetRefs ?? []) as Spec[]).filter((r) => r.kind === "Service").map((r) => String(r.name));
        const targets = [...services.values()].filter((svc) => {
            if (refs.length) return refs.includes(svc.metadata.name);
            const sel = ((svc.spec as Spec)?.selector ?? {}) as Record<string, string>;
            return ctx.workloads.some((w) => w.replicas > 0 && matches(w.labels, sel) && matches(w.labels, selector));
        });
        const enforcedBy = ctx.dataplane === "ambient" ? (refs.length ? ("waypoint" as const) : ("ztunnel" as const)) : undefined;
        for (const svc of targets) {
            const callers: { name: string; client: Client; principal: string; allowed: boolean }[] = [];
            if (meshClient) {
                const p = principal(meshClient.serviceAccount ?? meshClient.name);
                callers.push({ name: meshClient.name, client: "mesh", principal: p, allowed: principals.includes(p) });
            }
            if (hasDeployment(ctx.objects, STRANGER_CLIENT.name)) {
                const p = principal(STRANGER_CLIENT.name);
                callers.push({ name: STRANGER_CLIENT.name, client: "stranger", principal: p, allowed: principals.includes(p) });
            }
            const url = meshUrl(svc.metadata.name);
            if (!callers.some((c) => c.allowed)) checks.push({ kind: "skip", policy: name, what: `allowed caller → ${svc.metadata.name}`, reason: `none of verify's clients has a listed identity (${principals.join(", ") || "none listed"})` });
            if (!callers.some((c) => !c.allowed)) checks.push({ kind: "skip", policy: name, what: `unlisted caller → ${svc.metadata.name}`, reason: `no client with an unlisted identity is deployed (${STRANGER_CLIENT.name})` });
            if (callers.length > 0) checks.push({ kind: "authz", policy: name, service: svc.metadata.name, url, callers, ...(enforcedBy ? { enforcedBy } : {}) });
        }
    }

    for (const ef of of("EnvoyFilter")) {
        const spec = ef.spec as Spec;
        const patch = (spec.configPatches ?? []).find((p: Spec) => p.patch?.value?.name === "envoy.filters.http.local_ratelimit");
        if (!patch) continue;
        const bucket = patch.patch.value.typed_config?.value?.token_bucket as Spec | undefined;
        const fill = durationSeconds(bucket?.fill_interval);
        const selector = (spec.workloadSelector?.labels ?? {}) as Record<string, string>;
        const svc = [...services.values()].find((x) => {
            const sel = ((x.spec as Spec)?.selector ?? {}) as Record<string, string>;
            return Object.keys(sel).length > 0 && matches(selector, sel);
        });
        const pods = ctx.workloads.filter((w) => matches(w.labels, selector)).reduce((n, w) => n + w.replicas, 0);
        if (!bucket || !fill || typeof bucket.tokens_per_fill !== "number" || bucket.max_tokens !== bucket.tokens_per_fill || !svc || pods === 0) {
            checks.push({ kind: "skip", policy: ef.metadata.name, what: "local rate limit", reason: "only a token bucket whose max_tokens equal tokens_per_fill, on the pods of a Service, is measured" });
            continue;
        }
        checks.push({ kind: "rateLimit", policy: ef.metadata.name, service: svc.metadata.name, url: meshUrl(svc.metadata.name), requestsPerSecond: bucket.tokens_per_fill / fill, pods });
    }

    for (const se of of("ServiceEntry")) {
        const spec = se.spec as Spec;
        const port = (spec.ports ?? [])[0] as Spec | undefined;
        for (const host of (spec.hosts ?? []) as string[]) {
            if (port?.protocol !== "HTTP" || host.includes("*")) {
                checks.push({ kind: "skip", policy: se.metadata.name, what: `egress to ${host}`, reason: "only plain-HTTP entries with a concrete host are called" });
                continue;
            }
            checks.push({ kind: "egress", policy: se.metadata.name, url: `http://${host}:${port.number}/`, outsideClient: outside });
        }
    }
    return ctx.dataplane === "ambient" ? ambientChecks(ctx, checks, services) : checks;
}

/**
 * On ambient, first whether the pods are in the mesh at all (verify/ambient.ts), then the same checks
 * with what ambient changes: the retries a route declares are counted by the service's waypoint, not
 * by the client, which has no sidecar.
 */
function ambientChecks(ctx: CheckContext, checks: Check[], services: Map<string, K8sObject>): Check[] {
    const waypointOf = (url: string) => {
        const host = /^https?:\/\/([^/:]+)/.exec(url)?.[1]?.split(".")[0];
        return host ? services.get(host)?.metadata.labels?.["istio.io/use-waypoint"] : undefined;
    };
    const out: Check[] = [{ kind: "capture", policy: "ambient data plane", namespace: ctx.namespace }];
    for (const c of checks) {
        if (c.kind === "mtls") {
            out.push({ ...c, ambient: true });
            continue;
        }
        if (c.kind !== "retries") {
            out.push(c);
            continue;
        }
        const waypoint = waypointOf(c.url);
        out.push(waypoint ? { ...c, statsAt: { waypoint } } : { kind: "skip", policy: c.policy, what: "retries", reason: `the service behind ${c.url} has no waypoint, so nothing retries its calls on ambient` });
    }
    return out;
}

interface Helpers {
    serviceOf: (host: string) => K8sObject | undefined;
    meshUrl: (host: string, req?: RequestSpec) => string;
    fqdn: (host: string) => string;
    /** The page the pods behind a Service serve, if one. */
    answerOf: (host: string) => string | undefined;
    upstreamSeconds: (route: Spec[]) => number | undefined;
}

/** A Gateway API parent: a Service (GAMMA: calls inside the mesh), a Gateway (ingress) or a ServiceEntry. */
function parentKind(p: Spec): "Service" | "Gateway" | "ServiceEntry" | "other" {
    const kind = p.kind ?? "Gateway";
    if (kind === "Service" && (p.group ?? "") === "") return "Service";
    if (kind === "Gateway" && (p.group ?? "gateway.networking.k8s.io") === "gateway.networking.k8s.io") return "Gateway";
    if (kind === "ServiceEntry") return "ServiceEntry";
    return "other";
}

/**
 * The same measurements from HTTPRoutes (`trafficApi: gateway-api`): a split over weighted backendRefs,
 * from inside the mesh for a route on a Service and from this machine for a route on the ingress
 * Gateway; `timeouts.request` and `retry` as the VirtualService's timeout and retries. A rule's
 * match gives the request (an Exact header value and a PathPrefix or Exact path can be sent).
 */
function httpRouteChecks(ctx: CheckContext, routes: K8sObject[], h: Helpers): Check[] {
    const checks: Check[] = [];
    for (const hr of routes) {
        const spec = hr.spec as Spec;
        const name = hr.metadata.name;
        const parents: Spec[] = spec.parentRefs ?? [];
        const rules: Spec[] = spec.rules ?? [];
        rules.forEach((rule, i) => {
            const m = (rule.matches ?? [])[0] as Spec | undefined;
            const prefix = m?.path?.type === "PathPrefix" ? ` ${m.path.value}` : "";
            const label = (rules.length > 1 ? `${name} rule[${i}]` : name) + prefix;
            const backends: Spec[] = rule.backendRefs ?? [];
            const services = backends.filter((b) => (b.group ?? "") === "" && (b.kind ?? "Service") === "Service");
            // As a VirtualService destination list: the weights Istio sums (a lone backend gets all).
            const route: Spec[] = services.map((b) => ({ destination: { host: b.name }, ...(b.weight !== undefined ? { weight: b.weight } : backends.length === 1 ? {} : { weight: 1 }) }));
            const request = requestOf(m);
            for (const p of parents) {
                const kind = parentKind(p);
                if (kind === "ServiceEntry") {
                    // An external API's timeout: no pods of the plan behind it to be slower than the timeout.
                    if (rule.timeouts?.request) checks.push({ kind: "skip", policy: label, what: "route timeout", reason: `no upstream behind this route is known to be slower than ${durationSeconds(rule.timeouts.request)}s (a servicex workload with error=yes and a longer ERROR_DELAY_MS would be): nothing to cut` });
                    continue;
                }
                if (kind === "other") continue;
                const hosts: string[] = kind === "Gateway" ? (spec.hostnames?.length ? spec.hostnames : ["*"]) : [p.name];
                for (const host of hosts) {
                    if (kind === "Gateway" && host.includes("*") && host !== "*") {
                        checks.push({ kind: "skip", policy: label, what: `ingress host ${host}`, reason: "a wildcard host has no single name to send; declare concrete hosts to have them checked" });
                        continue;
                    }
                    if (typeof request === "string") {
                        checks.push({ kind: "skip", policy: label, what: "route", reason: request });
                        continue;
                    }
                    const req: RequestSpec = { ...request, ...(kind === "Gateway" && host !== "*" ? { host } : {}) };
                    const via = kind === "Service" ? "mesh" : "ingress";
                    const url = via === "mesh" ? h.meshUrl(p.name, req) : `${ctx.ingressUrl.replace(/\/$/, "")}${req.path}`;
                    const policy = via === "ingress" && host !== "*" ? `${label} (${host})` : label;
                    if (via === "mesh") checks.push(...routeResilience(policy, url, req, rule, route, h));
                    if (route.length === 0) continue;
                    const dests = weighted(route).map((d) => ({ ...d, answer: h.answerOf(d.label) }));
                    const unknown = dests.filter((d) => d.share > 0 && d.answer === undefined);
                    if (unknown.length) {
                        checks.push({ kind: "skip", policy, what: via === "ingress" ? "ingress route" : "canary split", reason: `cannot tell which version answered for ${unknown.map((d) => d.label).join(", ")}: give its workloads distinct indexHtml pages` });
                        continue;
                    }
                    if (via === "mesh" && dests.length < 2) continue;
                    checks.push({ kind: "split", policy, via, url, request: req, destinations: dests });
                }
            }
        });
    }
    return checks;
}

/** Shares of a destination list (weights over their sum; a lone destination gets all). */
function weighted(route: Spec[]): { label: string; share: number }[] {
    const w = (r: Spec) => r.weight ?? (route.length === 1 ? 100 : 0);
    const total = route.reduce((n, r) => n + w(r), 0) || 1;
    return route.map((r) => ({ label: String(r.destination.host), share: w(r) / total }));
}

/** What a rule's first match asks of a request, or why it cannot be sent as one. */
function requestOf(m: Spec | undefined): Omit<RequestSpec, "host"> | string {
    const headers: Record<string, string> = {};
    for (const x of (m?.headers ?? []) as Spec[]) {
        if ((x.type ?? "Exact") !== "Exact") return `header match on ${x.name} is not an exact value`;
        headers[x.name] = x.value;
    }
    const path = m?.path;
    if (path && (path.type ?? "PathPrefix") === "RegularExpression") return `path match ${JSON.stringify(path)} has no prefix or exact value to send`;
    return { path: path?.value ?? "/", headers };
}

function routeResilience(policy: string, url: string, req: RequestSpec, rule: Spec, route: Spec[], h: Helpers): Check[] {
    const out: Check[] = [];
    const timeout = rule.timeouts?.request as string | undefined;
    if (timeout !== undefined) {
        const t = durationSeconds(timeout);
        const slow = h.upstreamSeconds(route);
        if (t === undefined) out.push({ kind: "skip", policy, what: "route timeout", reason: `timeouts.request ${JSON.stringify(timeout)} is not a duration` });
        else if (slow === undefined || slow <= t) out.push({ kind: "skip", policy, what: "route timeout", reason: `no upstream behind this route is known to be slower than ${t}s (a servicex workload with error=yes and a longer ERROR_DELAY_MS would be): nothing to cut` });
        else out.push({ kind: "timeout", policy, url, request: req, timeoutSeconds: t, upstreamSeconds: slow });
    }
    const retry = rule.retry as Spec | undefined;
    // Istio's default when attempts is unset is 2 (conversion.go); 0 turns retries off.
    const attempts = retry ? (retry.attempts ?? 2) : 0;
    if (retry && attempts > 0 && route.length > 0) {
        const hosts = route.map((r) => h.fqdn(String(r.destination.host)));
        out.push({ kind: "retries", policy, url, request: req, attempts, host: hosts[0], hosts });
    }
    return out;
}

/** One line in plain words: what verify will measure for a check (`npm run lab -- plan`). */
export function describeCheck(c: Check): string {
    const shares = (d: Destination[]) => d.map((x) => `${x.label} ${Math.round(x.share * 100)} %`).join(", ");
    switch (c.kind) {
        case "split":
            return c.via === "mesh" ? `${c.policy}: calls from fortio to ${c.url} split ${shares(c.destinations)}` : `${c.policy}: ingress ${c.url}${c.request.host ? ` (Host ${c.request.host})` : ""} answered by ${shares(c.destinations)}`;
        case "sticky":
            return `${c.policy}: each key always reaches the same version of ${c.url}`;
        case "delay":
            return `${c.policy}: ${c.percent} % of calls to ${c.url} delayed ${c.fixedDelaySeconds}s`;
        case "abort":
            return `${c.policy}: ${c.percent} % of calls to ${c.url} answered HTTP ${c.httpStatus}`;
        case "circuitBreaker":
            return `${c.policy}: errors from ${c.url} stop after ${c.field} ${c.threshold} (failing pod ejected)`;
        case "mtls":
            if (c.ambient) return c.mode === "STRICT" ? `${c.policy}: a plain-text call to ${c.service}:${c.port} from a pod outside the mesh is refused by ztunnel (STRICT)` : `${c.policy}: a plain-text call to ${c.service}:${c.port} from a pod outside the mesh is answered (${c.mode})`;
            return c.mode === "STRICT" ? `${c.policy}: a plain-text call to ${c.service}:${c.port} from a pod without a sidecar is reset (STRICT)` : `${c.policy}: a plain-text call to ${c.service}:${c.port} from a pod without a sidecar is answered (${c.mode})`;
        case "authz":
            return `${c.policy}: ${c.callers.map((x) => `${x.name} ${x.allowed ? "answered" : c.enforcedBy === "ztunnel" ? "has its connection closed by ztunnel" : "gets 403"}`).join(", ")} calling ${c.service}${c.enforcedBy && c.enforcedBy !== "sidecar" ? ` (enforced by the ${c.enforcedBy})` : ""}`;
        case "capture":
            return `${c.policy}: namespace ${c.namespace} enrolled, and every pod redirected to ztunnel (its annotation, and ztunnel's listeners in the pod)`;
        case "rateLimit":
            return `${c.policy}: calls to ${c.service} above ${c.requestsPerSecond} req/s per pod (${c.pods} pods) answered 429`;
        case "timeout":
            return `${c.policy}: calls to ${c.url} (upstream ${c.upstreamSeconds}s) cut at the ${c.timeoutSeconds}s timeout`;
        case "retries":
            return `${c.policy}: fortio sees fewer errors from ${c.url} than the upstream produced (${c.attempts} retries${c.statsAt ? `, counted by waypoint ${c.statsAt.waypoint}` : ""})`;
        case "egress":
            return `${c.policy}: ${c.url} answers from inside the mesh (SKIP when the lab has no internet)`;
        case "skip":
            return `${c.policy}: ${c.what} not measured: ${c.reason}`;
    }
}

