/**
 * The Gateway API's routing objects in the shape the diagram draws: an HTTPRoute as the routes of a
 * VirtualService (its parent Service is the host called from the mesh, its parent Gateway the gateway
 * it is entered from; each backendRef a destination with its weight), a Gateway API Gateway as a
 * gateway with its listeners. The route keeps its own kind, so labels say `HTTPRoute nginx-vs`. Pure.
 */
import type { Spec } from "./policyText";

/** The objects the diagram reads (meshIndex.ts's Obj, by shape: that module reads this one). */
interface Obj {
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: Spec;
    [k: string]: unknown;
}

export const isGatewayApi = (o: Obj): boolean => String((o as { apiVersion?: unknown }).apiVersion ?? "").startsWith("gateway.networking.k8s.io/");

/** `PathPrefix /b` → `{prefix: /b}`; header matches as Istio's map. */
function match(m: Spec): Spec {
    const out: Spec = {};
    const p = m.path as Spec | undefined;
    if (p) out.uri = (p.type ?? "PathPrefix") === "Exact" ? { exact: p.value } : (p.type ?? "PathPrefix") === "RegularExpression" ? { regex: p.value } : { prefix: p.value ?? "/" };
    for (const h of (m.headers ?? []) as Spec[]) (out.headers ??= {})[h.name] = (h.type ?? "Exact") === "RegularExpression" ? { regex: h.value } : { exact: h.value };
    return out;
}

/** A backendRef's ResponseHeaderModifier as a destination's response headers. */
function responseHeaders(b: Spec): Spec | undefined {
    const response: Spec = {};
    for (const f of (b.filters ?? []) as Spec[]) {
        if (f.type !== "ResponseHeaderModifier") continue;
        for (const op of ["set", "add"]) for (const h of (f.responseHeaderModifier?.[op] ?? []) as Spec[]) (response[op] ??= {})[h.name] = h.value;
    }
    return Object.keys(response).length ? { response } : undefined;
}

/** One rule as an http route: its matches, its backends (weights as written, a lone backend all), its timeouts and retry. */
function rule(r: Spec, ns: string): Spec {
    const backends = (r.backendRefs ?? []) as Spec[];
    const retry = r.retry as Spec | undefined;
    const codes = (retry?.codes ?? []) as number[];
    return {
        ...(r.matches?.length ? { match: (r.matches as Spec[]).map(match) } : {}),
        route: backends.map((b) => {
            const host = (b.kind ?? "Service") === "Service" && (b.group ?? "") === "" ? `${b.name}.${b.namespace ?? ns}.svc.cluster.local` : String(b.name);
            const headers = responseHeaders(b);
            return { destination: { host }, ...(b.weight !== undefined ? { weight: b.weight } : backends.length > 1 ? { weight: 1 } : {}), ...(headers ? { headers } : {}) };
        }),
        ...(retry ? { retries: { attempts: retry.attempts ?? 2, ...(r.timeouts?.backendRequest ? { perTryTimeout: r.timeouts.backendRequest } : {}), ...(codes.length ? { retryOn: codeText(codes) } : {}) } } : {}),
        ...(r.timeouts?.request ? { timeout: r.timeouts.request } : !retry && r.timeouts?.backendRequest ? { timeout: r.timeouts.backendRequest } : {}),
    };
}

/** `500–599` for a run of codes, as a label has room for. */
function codeText(codes: number[]): string {
    const sorted = [...codes].sort((a, b) => a - b);
    const out: string[] = [];
    for (let i = 0; i < sorted.length; ) {
        let j = i;
        while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
        out.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : sorted.slice(i, j + 1).join(","));
        i = j + 1;
    }
    return out.join(",");
}

/**
 * An HTTPRoute as the VirtualService-shaped objects the graph draws, one per kind of parent: routes
 * on Services apply to calls from the mesh to those Services, routes on Gateways to what enters them,
 * routes on a ServiceEntry to calls to its hosts.
 */
export function httpRouteAsRoutes(hr: Obj, serviceEntryHosts: (ns: string, name: string) => string[]): Obj[] {
    const ns = hr.metadata.namespace ?? "default";
    const parents = (hr.spec?.parentRefs ?? []) as Spec[];
    const http = ((hr.spec?.rules ?? []) as Spec[]).map((r) => rule(r, ns));
    const out: Obj[] = [];
    const services = parents.filter((p) => p.kind === "Service" && (p.group ?? "") === "").map((p) => String(p.name));
    const entries = parents.filter((p) => p.kind === "ServiceEntry").flatMap((p) => serviceEntryHosts(p.namespace ?? ns, String(p.name)));
    const gateways = parents.filter((p) => (p.kind ?? "Gateway") === "Gateway" && (p.group ?? "gateway.networking.k8s.io") === "gateway.networking.k8s.io").map((p) => `${p.namespace ?? ns}/${p.name}`);
    if (services.length || entries.length) out.push({ ...hr, spec: { hosts: [...services, ...entries], http } });
    if (gateways.length) out.push({ ...hr, spec: { hosts: (hr.spec?.hostnames as string[] | undefined)?.length ? hr.spec!.hostnames : ["*"], gateways, http } });
    return out;
}

/** A Gateway API Gateway's label: which gateway it is bound to (spec.addresses) and its listeners. */
export function kubernetesGatewayLines(g: Obj, title: string): string[] {
    const address = ((g.spec?.addresses ?? []) as Spec[]).find((a) => (a.type ?? "IPAddress") === "Hostname")?.value as string | undefined;
    const role = address ? `ingress gateway ${String(address).split(".")[0]}` : `gateway class ${g.spec?.gatewayClassName ?? "?"} (deployed by istiod)`;
    const listeners = ((g.spec?.listeners ?? []) as Spec[]).map((l) => `listener ${l.name} :${l.port} ${l.protocol} · ${l.hostname ? `host ${l.hostname}` : "any host"}`);
    return [role, title, ...listeners];
}

/** Services HTTPRoutes attach to as parents, and those they send to: a parent only routed away from is not drawn as a destination. */
export function routeParentsAndBackends(routes: Obj[]): { parents: Set<string>; backends: Set<string> } {
    const parents = new Set<string>();
    const backends = new Set<string>();
    for (const hr of routes) {
        const ns = hr.metadata.namespace ?? "default";
        for (const p of (hr.spec?.parentRefs ?? []) as Spec[]) if (p.kind === "Service" && (p.group ?? "") === "") parents.add(`${p.name}.${p.namespace ?? ns}.svc.cluster.local`);
        for (const r of (hr.spec?.rules ?? []) as Spec[]) for (const b of (r.backendRefs ?? []) as Spec[]) if ((b.kind ?? "Service") === "Service" && (b.group ?? "") === "") backends.add(`${b.name}.${b.namespace ?? ns}.svc.cluster.local`);
    }
    return { parents, backends };
}
