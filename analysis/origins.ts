/**
 * Which config key produced each field of each planned object, so a finding on a rendered object
 * names the `istio-mesh:*` path the user changes. Mirrors what the builders in mesh/ copy from config.
 * A field no config value reaches (a constant of the builders) maps to undefined: a finding there is
 * a real bug in istio-mesh, and only then may a message say so.
 */
import type { MeshConfig } from "../config/types";
import { DEFAULT_WORKLOAD_IMAGES } from "../config/defaults";
import { own } from "../config/reader";
import { EGRESS_GATEWAY } from "../mesh/istio/egressGateway";
import { ADDONS_GATEWAY } from "../mesh/addons/exposure";
import { JAEGER_NAME } from "../mesh/addons/Jaeger";
import type { K8sObject } from "../mesh/objects";
import { WAYPOINT_NAME } from "../mesh/ambient/waypoints";
import { qualifiedKind } from "./gatewayApi/objects";
import { KUBERNETES_GATEWAY_KIND } from "../mesh/gatewayApi/objects";

const NS = "istio-mesh";

export interface Origin {
    /** The config entry the object comes from, e.g. `istio-mesh:workloads.nginx`. */
    entry: string;
    /** The config path behind a field (`spec.replicas` → `…workloads.nginx.replicas`); undefined = a builder constant. */
    field(path: string): string | undefined;
}

/** `Kind/name` → origins, in plan order: more than one only when a name is declared twice (K8S010). */
export type Origins = Map<string, Origin[]>;

export const originKey = (kind: string, name: string): string => `${kind}/${name}`;

/** `metadata.labels.app.kubernetes.io/name` → `<base>.app.kubernetes.io/name`: a label key is the rest of the path. */
function keyed(base: string, path: string, marker: RegExp): string {
    const m = marker.exec(path);
    return m ? `${base}.${path.slice(m.index + m[0].length)}` : base;
}
const index = (path: string, prefix: string): number | undefined => {
    const m = new RegExp(`^${prefix.replace(/[.[\]]/g, "\\$&")}\\[(\\d+)\\]`).exec(path);
    return m ? Number(m[1]) : undefined;
};

/** Everything of an object maps to its entry, except what `rules` say. */
function origin(entry: string, rules: [RegExp | string, string | ((m: string) => string | undefined) | undefined][]): Origin {
    return {
        entry,
        field(path) {
            for (const [pattern, to] of rules) {
                const hit = typeof pattern === "string" ? path === pattern || path.startsWith(`${pattern}.`) || path.startsWith(`${pattern}[`) : pattern.test(path);
                if (!hit) continue;
                if (to === undefined) return undefined;
                return typeof to === "string" ? `${entry}${to}` : to(path);
            }
            return entry;
        },
    };
}

/** Istio's field path inside a traffic policy is the config's (config uses Istio's names). */
const tail = (path: string, prefix: string) => path.slice(prefix.length);

export function buildOrigins(cfg: MeshConfig): Origins {
    const o: Origins = new Map();
    const set = (kind: string, name: string, origin: Origin) => {
        const key = originKey(kind, name);
        o.set(key, [...(o.get(key) ?? []), origin]);
    };

    set("Namespace", cfg.namespace.name, origin(`${NS}:namespace.name`, [["metadata.labels", undefined]]));
    set("Namespace", cfg.istio.namespace, origin(`${NS}:namespace`, [["", undefined]]));

    for (const w of cfg.workloads) {
        const e = `${NS}:workloads.${w.name}`;
        const envNames = Object.keys(w.env);
        const image = w.appImage ? `${NS}:images.${w.appImage}.image` : `${NS}:versions.${(own(DEFAULT_WORKLOAD_IMAGES, w.name) as string | undefined) ?? "nginxImage"} (or ${e}.image)`;
        const labels = (p: string) => keyed(`${e}.labels`, p, /(?:matchLabels|labels)\./);
        const c = "spec.template.spec.containers[0]";
        set("ServiceAccount", w.serviceAccount, origin(e, [["metadata.name", ".serviceAccount"], [/labels/, labels]]));
        if (w.indexHtml !== undefined) set("ConfigMap", `${w.name}-html`, origin(`${e}.indexHtml`, [["metadata.name", () => e], [/labels/, labels]]));
        set(
            "Deployment",
            w.name,
            origin(e, [
                [/labels|matchLabels/, labels],
                [/annotations/, (p) => keyed(`${e}.annotations`, p, /annotations\./)],
                ["spec.replicas", ".replicas"],
                ["spec.template.spec.serviceAccountName", ".serviceAccount"],
                [`${c}.name`, w.containerName ? ".containerName" : ""],
                [`${c}.image`, () => image],
                [`${c}.imagePullPolicy`, undefined],
                [`${c}.args`, (p) => `${e}.args${p.slice(`${c}.args`.length)}`],
                [/containers\[0\]\.ports\[0\]\.containerPort/, ".containerPort"],
                [/containers\[0\]\.ports\[0\]\.name/, undefined],
                [`${c}.env`, (p) => `${e}.env${index(p, `${c}.env`) !== undefined ? `.${envNames[index(p, `${c}.env`)!]}` : ""}`],
                [`${c}.resources`, (p) => `${e}.resources${tail(p, `${c}.resources`)}`],
                [/Probe\.httpGet\.path/, ".probePath"],
                [/Probe/, undefined],
                [/volume/, ".indexHtml"],
            ]),
        );
    }

    for (const s of cfg.services) {
        const e = `${NS}:services.${s.name}`;
        const p0 = "spec.ports[0]";
        set(
            "Service",
            s.name,
            origin(e, [
                [/labels|selector/, (p) => keyed(`${e}.selector`, p, /(?:labels|selector)\./)],
                [`${p0}.name`, ".portName"],
                [`${p0}.port`, ".port"],
                [`${p0}.targetPort`, ".targetPort"],
                [`${p0}.nodePort`, ".nodePort"],
                [`${p0}.protocol`, undefined],
                ["spec.type", ".type"],
            ]),
        );
        const dr = s.destinationRule;
        if (dr) {
            const subsetPath = (p: string) => {
                const i = index(p, "spec.subsets");
                if (i === undefined) return `${e}.subsets`;
                const sub = dr.subsets[i]?.name;
                const rest = p.replace(/^spec\.subsets\[\d+\]/, "");
                return rest.startsWith(".trafficPolicy") ? `${e}.subsets.${sub}${rest}` : `${e}.subsets.${sub}`;
            };
            set("DestinationRule", dr.name, origin(e, [["metadata.name", ".destinationRule"], ["spec.host", ".destinationRule.host"], ["spec.trafficPolicy", (p) => `${e}${tail(p, "spec")}`], ["spec.subsets", subsetPath]]));
        }
        const vs = s.virtualService;
        if (vs) {
            const routeOf = (p: string): string => {
                const m = /^spec\.http\[\d+\]\.route\[(\d+)\]/.exec(p);
                if (m && vs.route.length > 0) return `${e}.weights.${vs.route[Number(m[1])]?.subset ?? ""}`.replace(/\.$/, "");
                return `${e}.weights`;
            };
            set(
                "VirtualService",
                vs.name,
                origin(e, [
                    ["metadata.name", ".virtualService"],
                    [/\.fault\.(abort|delay)\.percentage/, (p) => `${e}.fault.${/abort/.test(p) ? "abort" : "delay"}.percentage`],
                    [/\.(fault|retries|timeout)/, (p) => `${e}.${p.replace(/^.*?\.(fault|retries|timeout)/, "$1")}`],
                    [/^spec\.http\[\d+\]\.route/, routeOf],
                    [/^spec\.http\[\d+\]\.match/, ".stickyCanary"],
                ]),
            );
        }
    }

    const byName = new Map(cfg.services.map((s) => [s.name, s]));
    for (const v of cfg.ingress.virtualServices) {
        const e = `${NS}:ingress.virtualServices.${v.name}`;
        // http[i] → routes[k]: a route to a sticky canary expands to one http route per subset, plus the split.
        const routeIndex: number[] = [];
        const routes = v.routes.length > 0 ? v.routes : [{ service: v.service, http: {} } as (typeof v.routes)[number]];
        routes.forEach((r, k) => {
            const sticky = byName.get(r.service)?.virtualService?.stickyCanary;
            const n = r.subset === undefined && !r.weights && sticky ? (byName.get(r.service)!.virtualService!.route.length + 1) : 1;
            for (let j = 0; j < n; j++) routeIndex.push(k);
        });
        const routePath = (p: string): string => {
            const i = index(p, "spec.http");
            if (i === undefined || v.routes.length === 0) return e;
            const k = routeIndex[i];
            const r = v.routes[k];
            const base = `${e}.routes[${k}]`;
            const rest = p.replace(/^spec\.http\[\d+\]/, "");
            if (rest.startsWith(".match")) return r?.match ? `${base}.${Object.keys(r.match)[0]}` : base;
            const policy = /^\.(fault|retries|timeout)/.exec(rest);
            if (policy) return r && (r.http as Record<string, unknown>)[policy[1]] !== undefined ? `${base}${rest.replace(/\.percentage\.value$/, ".percentage")}` : `${e}${rest.replace(/\.percentage\.value$/, ".percentage")}`;
            const dest = /^\.route\[(\d+)\]/.exec(rest);
            if (dest && r?.weights) return `${base}.weights.${r.weights[Number(dest[1])]?.subset ?? ""}`.replace(/\.$/, "");
            if (dest && r?.subset) return `${base}.subset`;
            return r?.service !== v.service ? `${base}.service` : base;
        };
        set("VirtualService", v.name, origin(e, [["spec.hosts", (p) => `${e}.hosts${p.slice("spec.hosts".length)}`], ["spec.gateways", () => `${NS}:ingress.gateway`], ["spec.http", routePath]]));
    }
    if (cfg.ingress.virtualServices.length > 0) {
        const g = cfg.ingress.gateway;
        const e = `${NS}:ingress`;
        const shorthand = g.servers.length === 1 && g.servers[0].name === "http";
        const server = (p: string) => {
            const i = index(p, "spec.servers") ?? 0;
            const field = /\.port\.number/.test(p) ? "port" : /\.port\.protocol/.test(p) ? "protocol" : /\.port\.name/.test(p) ? "name" : /\.hosts/.test(p) ? "hosts" : "";
            if (shorthand && (field === "port" || field === "hosts")) return `${e}.${field}${field === "hosts" ? p.replace(/^.*\.hosts/, "") : ""}`;
            return `${e}.servers[${i}]${field ? `.${field}` : ""}${field === "hosts" ? p.replace(/^.*\.hosts/, "") : ""}`;
        };
        set("Gateway", g.name, origin(e, [["metadata.name", ".gateway"], ["spec.selector", undefined], ["spec.servers", server]]));
    }

    if (cfg.trafficApi === "gateway-api") gatewayApiOrigins(cfg, set);
    // Ambient: the waypoint is istio-mesh:dataplane's (mesh/ambient/waypoints.ts); its fields are the builder's.
    if (cfg.dataplane.mode === "ambient") set(`Gateway.gateway.networking.k8s.io`, WAYPOINT_NAME, origin(`${NS}:dataplane`, []));

    const sec = cfg.security;
    if (sec.mtls) set("PeerAuthentication", "default", origin(`${NS}:security.mtls`, []));
    for (const a of sec.authorization) {
        set(
            "AuthorizationPolicy",
            `${a.service}-allow`,
            origin(`${NS}:security.authorization.${a.service}`, [
                ["spec.selector", () => `${NS}:services.${a.service}.selector`],
                // Ambient attaches it to the Service (targetRefs) or its pods (selector) by the data plane's choice.
                ["spec.targetRefs", () => `${NS}:dataplane`],
                [/\.to\[\d+\]\.operation\.methods/, ".methods"],
                [/\.to\[\d+\]\.operation\.paths/, ".paths"],
                ["spec.rules", ".allowFrom"],
            ]),
        );
    }
    for (const r of sec.rateLimits) set("EnvoyFilter", `${r.service}-local-ratelimit`, origin(`${NS}:security.rateLimits.${r.service}`, [["spec.workloadSelector", () => `${NS}:services.${r.service}.selector`], [/token_bucket/, ".requestsPerSecond"]]));
    for (const se of sec.egress.serviceEntries) {
        const e = `${NS}:security.egress.serviceEntries.${se.name}`;
        set("ServiceEntry", se.name, origin(e, [["spec.hosts", ".host"], [/ports\[0\]\.number/, ".port"], [/ports\[0\]\.protocol/, ".protocol"]]));
        set("VirtualService", `${se.name}-timeout`, origin(e, [[/timeout/, ".timeout"], ["spec.hosts", ".host"]]));
        set("VirtualService", `${se.name}-via-egress`, origin(e, [[/timeout/, ".timeout"], ["spec.hosts", ".host"]]));
    }
    set("Gateway", EGRESS_GATEWAY, origin(`${NS}:security.egress.gateway`, [["spec.servers", () => `${NS}:security.egress.serviceEntries`]]));

    // Addons: their objects come from the addon switches and versions only.
    for (const kind of ["ConfigMap", "Deployment"]) set(kind, JAEGER_NAME, origin(`${NS}:addons.jaeger`, [[/image/, () => `${NS}:versions.jaegerImage`]]));
    for (const name of ["tracing", "zipkin", "jaeger-collector"]) set("Service", name, origin(`${NS}:addons.jaeger`, []));
    set("Telemetry", "mesh-default", origin(`${NS}:addons.tracing`, []));
    set("Gateway", ADDONS_GATEWAY, origin(`${NS}:addons.expose`, [["spec.servers", () => `${NS}:addons.expose.hosts`]]));
    for (const name of ["prometheus", "grafana", "kiali", "jaeger"]) set("VirtualService", `${name}-dashboard`, origin(`${NS}:addons.expose.hosts.${name}`, []));
    return o;
}

/**
 * The Gateway API objects of a `gateway-api` stack (mesh/gatewayApi/): each HTTPRoute maps back to the
 * service or ingress route it translates, field by field (rules → routes, backendRefs → weights,
 * timeouts → timeout and retries.perTryTimeout, retry → retries), the Gateway to istio-mesh:ingress,
 * and the per-version Services and DestinationRules to the subset they are made from.
 */
function gatewayApiOrigins(cfg: MeshConfig, set: (kind: string, name: string, origin: Origin) => void): void {
    const policyPath = (base: string, p: string, fallback: string): string | undefined => {
        if (/\.timeouts\.request/.test(p)) return `${base}.timeout`;
        if (/\.timeouts\.backendRequest/.test(p)) return `${base}.retries.perTryTimeout`;
        if (/\.retry\.codes/.test(p)) return `${base}.retries.retryOn`;
        if (/\.retry\.attempts/.test(p)) return `${base}.retries.attempts`;
        if (/\.retry/.test(p)) return `${base}.retries`;
        return fallback;
    };
    for (const s of cfg.services) {
        const e = `${NS}:services.${s.name}`;
        const vs = s.virtualService;
        if (vs) {
            const route = vs.route;
            const sticky = vs.stickyCanary && route.length > 1;
            const rulePath = (p: string): string | undefined => {
                const policy = /\.(timeouts|retry)/.test(p) ? policyPath(e, p, "") : undefined;
                if (policy) return policy;
                if (/^spec\.rules\[\d+\]\.matches/.test(p)) return `${e}.stickyCanary`;
                if (/\.filters/.test(p)) return `${e}.stickyCanary`;
                const b = /^spec\.rules\[(\d+)\]\.backendRefs\[(\d+)\]/.exec(p);
                if (b && route.length > 0) {
                    // Sticky: the pinned rules (one per version) then the split; each backend is a version.
                    const k = sticky && Number(b[1]) < route.length ? Number(b[1]) : Number(b[2]);
                    return `${e}.weights.${route[k]?.subset ?? ""}`.replace(/\.$/, "");
                }
                return route.length > 0 ? `${e}.weights` : e;
            };
            set("HTTPRoute", vs.name, origin(e, [["metadata.name", ".virtualService"], ["spec.parentRefs", (p) => (/\.port$/.test(p) ? `${e}.port` : e)], ["spec.rules", rulePath]]));
        }
        const dr = s.destinationRule;
        for (const sub of dr?.subsets ?? []) {
            const se = `${e}.subsets.${sub.name}`;
            const p0 = "spec.ports[0]";
            set("Service", `${s.name}-${sub.name}`, origin(se, [[/labels|selector/, () => se], [`${p0}.name`, () => `${e}.portName`], [`${p0}.port`, () => `${e}.port`], [`${p0}.targetPort`, () => `${e}.targetPort`], [`${p0}.protocol`, undefined], ["spec.type", undefined]]));
            set(
                "DestinationRule",
                `${dr!.name}-${sub.name}`,
                origin(se, [
                    ["metadata.name", () => `${e}.destinationRule`],
                    ["spec.host", undefined],
                    // A field the subset sets is the subset's; the others come from the host-wide policy.
                    ["spec.trafficPolicy", (p) => {
                        const field = p.split(".")[2];
                        const own = field !== undefined && sub.trafficPolicy && (sub.trafficPolicy as Record<string, unknown>)[field] !== undefined;
                        return own ? `${se}${tail(p, "spec")}` : `${e}${tail(p, "spec")}`;
                    }],
                ]),
            );
        }
    }

    const byName = new Map(cfg.services.map((s) => [s.name, s]));
    for (const v of cfg.ingress.virtualServices) {
        const e = `${NS}:ingress.virtualServices.${v.name}`;
        // rules[i] → routes[k]: a route to a sticky canary expands to one rule per version plus the split.
        const ruleIndex: number[] = [];
        const routes = v.routes.length > 0 ? v.routes : [{ service: v.service, http: {} } as (typeof v.routes)[number]];
        routes.forEach((r, k) => {
            const target = byName.get(r.service)?.virtualService;
            const n = r.subset === undefined && !r.weights && target?.stickyCanary && target.route.length > 1 ? target.route.length + 1 : 1;
            for (let j = 0; j < n; j++) ruleIndex.push(k);
        });
        const rulePath = (p: string): string | undefined => {
            const i = index(p, "spec.rules");
            if (i === undefined || v.routes.length === 0) return policyPath(e, p, e);
            const k = ruleIndex[i];
            const r = v.routes[k];
            const base = `${e}.routes[${k}]`;
            const rest = p.replace(/^spec\.rules\[\d+\]/, "");
            if (/^\.matches\[\d+\]\.path/.test(rest)) return r?.match ? `${base}.${Object.keys(r.match)[0]}` : base;
            if (/^\.(timeouts|retry)/.test(rest)) {
                const field = /timeouts\.request/.test(rest) ? "timeout" : "retries";
                return policyPath(r && (r.http as Record<string, unknown>)[field] !== undefined ? base : e, rest, base);
            }
            const dest = /^\.backendRefs\[(\d+)\]/.exec(rest);
            if (dest && r?.weights) return `${base}.weights.${r.weights[Number(dest[1])]?.subset ?? ""}`.replace(/\.$/, "");
            if (dest && r?.subset) return `${base}.subset`;
            return r?.service !== v.service ? `${base}.service` : base;
        };
        set("HTTPRoute", v.name, origin(e, [["spec.hostnames", (p) => `${e}.hosts${p.slice("spec.hostnames".length)}`], ["spec.parentRefs", () => `${NS}:ingress.gateway`], ["spec.rules", rulePath]]));
    }
    if (cfg.ingress.virtualServices.length > 0) {
        const g = cfg.ingress.gateway;
        const e = `${NS}:ingress`;
        const shorthand = g.servers.length === 1 && g.servers[0].name === "http";
        // listeners[i] → the server it comes from (one listener per host of a server).
        const serverOf = g.servers.flatMap((srv, k) => (srv.hosts.includes("*") ? [k] : srv.hosts.map(() => k)));
        const listener = (p: string) => {
            const k = serverOf[index(p, "spec.listeners") ?? 0] ?? 0;
            const field = /\.port$/.test(p) ? "port" : /\.hostname$/.test(p) ? "hosts" : /\.name$/.test(p) ? "name" : /\.protocol$/.test(p) ? "protocol" : "";
            if (field === "" || (field === "protocol" && shorthand)) return field === "" ? e : undefined;
            if (shorthand && (field === "port" || field === "hosts")) return `${e}.${field}`;
            return `${e}.servers[${k}].${field}`;
        };
        set(KUBERNETES_GATEWAY_KIND, g.name, origin(e, [["metadata.name", ".gateway"], ["spec.gatewayClassName", undefined], ["spec.addresses", undefined], [/allowedRoutes/, undefined], ["spec.listeners", listener]]));
    }
    for (const se of cfg.security.egress.serviceEntries) {
        const e = `${NS}:security.egress.serviceEntries.${se.name}`;
        set("HTTPRoute", `${se.name}-timeout`, origin(e, [[/timeouts/, ".timeout"], [/backendRefs\[0\]\.name/, ".host"], [/backendRefs\[0\]\.port/, ".port"], ["spec.parentRefs", () => e]]));
    }
}

/**
 * The config path behind `field` of object `kind/name`, or undefined when no config value reaches it.
 * `which`: the first declaration, or the last (a duplicate is reported where it is declared again).
 */
export function configPathOf(origins: Origins, o: Pick<K8sObject, "kind" | "metadata"> & { apiVersion?: string }, field: string, which: "first" | "last" = "first"): { known: boolean; path?: string; first?: string } {
    // The Gateway API's Gateway is keyed with its group (`Gateway.gateway.networking.k8s.io/web`): Istio's Gateway is another kind.
    const list = origins.get(originKey(qualifiedKind(o), o.metadata.name));
    if (!list || list.length === 0) return { known: false };
    const origin = which === "first" ? list[0] : list[list.length - 1];
    return { known: true, path: origin.field(field), first: list[0].field(field) };
}
