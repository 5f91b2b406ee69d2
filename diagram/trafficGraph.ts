/**
 * The declared traffic as a graph, in the order a request takes it: clients (ingress gateway with its
 * hosts and ports, the in-mesh client fortio, callers an AuthorizationPolicy allows) → VirtualService
 * routes (with their match, fault, retries, timeout) → the Service, the edge labelled with the route's
 * weighted split (`v1 90 %`, `v2 10 %`) → its subsets (with their policies) → Deployments (replicas,
 * version). Each Service is a box titled with its host, holding the Service node (DestinationRule
 * policies, mTLS mode, rate limit, authorization), the subsets and the Deployments. One edge per route
 * and Service, so two VirtualServices splitting the same Service never cross their weight labels.
 * Analyzer findings mark what cannot take effect. Summarised to one node per service when `compact`. Pure.
 */
import { fqdn, MeshIndex, nsOf, Obj, resourceOf, ROOT_NAMESPACE, Svc, Workload } from "./meshIndex";
import { GEdge, GGroup, GNode, Graph, Mark, Shape } from "./model";
import { httpRouteText, localRateLimitText, matchText, policyFlags, responseHeadersText, Spec, trafficPolicyText } from "./policyText";
import { clipWords, wrapWords } from "./wrap";
import { isGatewayApi, kubernetesGatewayLines } from "./gatewayApi";

/** What an analyzer finding needs to be drawn (analysis/finding.ts and review/comment.ts both fit). */
export interface DiagramFinding {
    code: string;
    severity: "error" | "warning" | "info";
    resource: string;
    path: string;
    message: string;
}

export interface GraphOptions {
    findings?: readonly DiagramFinding[];
    compact?: boolean;
}

const MESH = "mesh";
const ZTUNNEL = "ztunnel";
/** Longer analyzer messages end at a word with ` …`; `npm run analyze` prints them in full. */
const MAX_FINDING = 240;

/** An analyzer finding as label lines, broken between words. */
const findingLines = (f: DiagramFinding): string[] => wrapWords(`⚠ ${f.code}: ${clipWords(f.message, MAX_FINDING)}`);
/** `nginx-service` for a Service in the default namespace, `name.ns` elsewhere, external hosts as written. */
const hostName = (host: string) => host.replace(/\.default\.svc\.cluster\.local$/, "").replace(/\.svc\.cluster\.local$/, "");
const nsSuffix = (ns: string) => (ns === "default" ? "" : ` (${ns})`);

class Builder {
    readonly nodes = new Map<string, GNode>();
    readonly edges = new Map<string, GEdge>();
    readonly groups = new Map<string, GGroup>();
    readonly units: string[] = [];

    node(key: string, shape: Shape, lines: string[], extra: Partial<GNode> = {}): GNode {
        let n = this.nodes.get(key);
        if (!n) this.nodes.set(key, (n = { key, shape, lines, marks: [], ...extra }));
        return n;
    }

    /** One edge per pair: a second label for the same pair joins the first (with its subjects). */
    edge(from: string, to: string, lines: string[], extra: Partial<GEdge> = {}): GEdge {
        const k = `${from}->${to}`;
        const e = this.edges.get(k);
        if (e) {
            lines.forEach((l, i) => {
                if (e.lines.includes(l)) return;
                e.lines.push(l);
                // A line without a subject: the lines can no longer be compared subject by subject.
                if (e.subjects && extra.subjects) e.subjects.push(extra.subjects[i]);
                else e.subjects = undefined;
            });
            for (const m of extra.marks ?? []) mark(e, m);
            if (extra.style === "dashed") e.style = "dashed";
            return e;
        }
        const created: GEdge = { from, to, lines: [...lines], style: "solid", marks: [], ...extra, ...(extra.subjects ? { subjects: [...extra.subjects] } : {}) };
        this.edges.set(k, created);
        return created;
    }
}

function mark(x: { marks: Mark[] }, m: Mark): void {
    if (!x.marks.includes(m)) x.marks.push(m);
}

/** Findings by resource (`Kind ns/name`), warnings and errors only: info does not stop a route. */
function findingsByResource(fs: readonly DiagramFinding[]): Map<string, DiagramFinding[]> {
    const m = new Map<string, DiagramFinding[]>();
    for (const f of fs) {
        if (f.severity === "info") continue;
        const l = m.get(f.resource);
        if (l) l.push(f);
        else m.set(f.resource, [f]);
    }
    return m;
}

const HTTP_PATH = /^spec\.http\[(\d+)\](?:\.route\[(\d+)\])?/;
const SUBSET_PATH = /^spec\.subsets\[(\d+)\]/;

function gatewayLines(g: Obj): string[] {
    if (isGatewayApi(g)) return kubernetesGatewayLines(g, `Gateway ${g.metadata.name}${nsSuffix(nsOf(g))} (Gateway API)`);
    const sel = (g.spec?.selector ?? {}) as Record<string, string>;
    const role = sel.istio === "egressgateway" ? "egress gateway" : sel.istio === "ingressgateway" ? "ingress gateway" : `gateway ${Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(",")}`;
    const servers = ((g.spec?.servers ?? []) as Spec[]).map((s) => `:${s.port?.number} ${s.port?.protocol ?? ""}${s.tls?.mode ? ` TLS ${s.tls.mode}` : ""} · hosts ${((s.hosts ?? []) as string[]).join(", ")}`);
    return [role, `Gateway ${g.metadata.name}${nsSuffix(nsOf(g))}`, ...servers];
}

function workloadLines(w: Workload): string[] {
    return [`Deployment ${w.name}${nsSuffix(w.namespace)} ×${w.replicas}`, ...(w.labels.version !== undefined ? [`version ${w.labels.version}`] : [])];
}

/** Per-pod policies (mTLS by selector, rate limit, authorization): on the Service box when they cover all its pods, else on the pods. */
interface PodPolicy {
    line: string;
    targets: Set<Workload>;
}

function podPolicies(ix: MeshIndex): { namespaceMtls: Map<string, string>; meshMtls?: string; perPod: PodPolicy[]; authz: { ap: Obj; targets: Set<Workload> }[] } {
    const namespaceMtls = new Map<string, string>();
    let meshMtls: string | undefined;
    const perPod: PodPolicy[] = [];
    for (const pa of ix.peerAuthentications) {
        const mode = pa.spec?.mtls?.mode as string | undefined;
        const portLevel = pa.spec?.portLevelMtls ? ` (per port: ${Object.entries(pa.spec.portLevelMtls as Spec).map(([p, v]) => `${p} ${(v as Spec).mode}`).join(", ")})` : "";
        const line = `mTLS ${mode ?? "UNSET"}${portLevel}`;
        const sel = pa.spec?.selector?.matchLabels as Record<string, string> | undefined;
        if (!sel) {
            if (nsOf(pa) === ROOT_NAMESPACE) meshMtls = line;
            else namespaceMtls.set(nsOf(pa), line);
        } else perPod.push({ line, targets: new Set(ix.select(nsOf(pa), sel)) });
    }
    for (const ef of ix.envoyFilters) {
        const line = localRateLimitText(ef);
        if (!line) continue;
        perPod.push({ line, targets: new Set(ix.policyTargets(nsOf(ef), ef.spec?.workloadSelector?.labels)) });
    }
    // A policy attached by targetRefs (ambient, enforced by the waypoint) covers the pods of the Services it names.
    const targetsOf = (ap: Obj): Workload[] => {
        const refs = ((ap.spec?.targetRefs ?? []) as Spec[]).filter((r) => r.kind === "Service");
        if (refs.length === 0) return ix.policyTargets(nsOf(ap), ap.spec?.selector?.matchLabels);
        return refs.flatMap((r) => ix.services.get(fqdn(String(r.name), nsOf(ap)))?.workloads ?? []);
    };
    const authz = ix.authorizationPolicies.map((ap) => ({ ap, targets: new Set(targetsOf(ap)) }));
    return { namespaceMtls, meshMtls, perPod, authz };
}

/** Who an AuthorizationPolicy lets in, in words, and the principals it names. */
function authzText(ap: Obj): { line: string; principals: string[] } {
    const action = String(ap.spec?.action ?? "ALLOW");
    const rules = (ap.spec?.rules ?? []) as Spec[];
    const principals: string[] = [];
    const others: string[] = [];
    for (const r of rules) {
        for (const f of (r.from ?? []) as Spec[]) {
            principals.push(...((f.source?.principals ?? []) as string[]));
            for (const k of ["namespaces", "requestPrincipals", "ipBlocks", "remoteIpBlocks", "notPrincipals", "notNamespaces"]) {
                for (const v of (f.source?.[k] ?? []) as string[]) others.push(`${k} ${v}`);
            }
        }
        if (r.to) others.push("some operations");
    }
    const who = [...principals.map((p) => p.replace(/^cluster\.local\/ns\/([^/]+)\/sa\//, "sa $1/")), ...others];
    const line =
        rules.length === 0
            ? `AuthorizationPolicy ${ap.metadata.name}: ${action === "ALLOW" ? "ALLOW nobody (denies all)" : `${action} nothing`}`
            : `AuthorizationPolicy ${ap.metadata.name}: ${action}${who.length ? ` from ${who.join(", ")}` : " all"}`;
    return { line, principals };
}

/** Sources of one http route: the gateways its matches name, else those of the VirtualService. */
function routeSources(vs: Obj, h: Spec): { gateway: string; matches: Spec[] }[] {
    const vsGateways = ((vs.spec?.gateways as string[] | undefined)?.length ? vs.spec!.gateways : [MESH]) as string[];
    const matches = (h.match ?? []) as Spec[];
    if (matches.length > 0 && matches.every((m) => Array.isArray(m.gateways) && m.gateways.length)) {
        const by = new Map<string, Spec[]>();
        for (const m of matches) for (const g of m.gateways as string[]) by.set(g, [...(by.get(g) ?? []), m]);
        return [...by].map(([gateway, ms]) => ({ gateway, matches: ms }));
    }
    return vsGateways.map((gateway) => ({ gateway, matches }));
}

/**
 * Services a summarised graph holds at most. A summarised service takes 50 characters or more (node
 * and edge), so Mermaid's 50,000-character limit is reached well before; building the rest would only
 * cost time (10,000 services must draw well under a second).
 */
const COMPACT_LIMIT = 1200;

/**
 * A rule is known by its match (or name), not its position: inserting a rule before it does not make
 * it another rule in a diff. Rules with the same match are told apart by their order among those.
 */
function routeKey(ns: string, vs: string, h: Spec, i: number, http: Spec[]): string {
    const sig = (x: Spec) => (typeof x.name === "string" ? `name=${x.name}` : JSON.stringify(x.match ?? []));
    const mine = sig(h);
    const nth = http.slice(0, i).filter((x) => sig(x) === mine).length;
    return `route:${ns}/${vs}#${mine}${nth ? `~${nth}` : ""}`;
}

export function trafficGraph(docs: readonly unknown[] | MeshIndex, o: GraphOptions = {}): Graph {
    const ix = docs instanceof MeshIndex ? docs : new MeshIndex(docs);
    const b = new Builder();
    const findings = findingsByResource(o.findings ?? []);
    const compact = !!o.compact;
    const clients = ix.workloads.filter((w) => w.client);
    const pol = podPolicies(ix);

    // Clients: every Gateway, and the in-mesh client (fortio, or any sidecar when there is none).
    for (const [k, g] of ix.gateways) {
        const n = b.node(`gw:${k}`, "gateway", gatewayLines(g));
        for (const f of findings.get(resourceOf(g)) ?? []) {
            n.lines.push(...findingLines(f));
            mark(n, "finding");
        }
    }
    const ambientClient = clients.length > 0 && clients.every((w) => ix.ambientNamespaces.has(w.namespace));
    const meshClient = () =>
        b.node(MESH, "client", clients.length ? [...clients.map((w) => `${w.name}${nsSuffix(w.namespace)} ×${w.replicas}`), ambientClient ? "client in the mesh (ambient: no sidecar)" : "client in the mesh"] : ["callers in the mesh", "(any sidecar)"]);
    /**
     * Ambient: the client's calls leave through the node's ztunnel (mTLS over HBONE, L4 policy); a
     * Service with a waypoint is entered there (its L7 policy), any other straight from ztunnel.
     * On sidecar the client's own proxy applies everything: routes are entered from the client.
     */
    const ztunnel = () => {
        const n = b.node(ZTUNNEL, "gateway", ["ztunnel (every node)", "mTLS (HBONE) · L4 policy"]);
        b.edge(meshClient().key, n.key, []);
        return n.key;
    };
    const waypointNode = (k: string) => {
        const wp = ix.waypoints.get(k)!;
        const serves = [...ix.services.values()].filter((s) => s.waypoint === k).map((s) => s.name);
        const n = b.node(`wp:${k}`, "gateway", [`waypoint ${k.split("/")[1]}${nsSuffix(k.split("/")[0])}`, `Gateway ${wp.spec?.gatewayClassName} · L7 policy`, ...(serves.length ? [`for ${serves.join(", ")}`] : [])]);
        b.edge(ztunnel(), n.key, ["HBONE"]);
        return n.key;
    };
    /** Where a call from the client in the mesh enters the traffic for `host`. */
    const meshEntry = (host: string): string => {
        const s = ix.services.get(host);
        const ns = s?.namespace ?? clients[0]?.namespace;
        if (!ambientClient && !(ns && ix.ambientNamespaces.has(ns))) return meshClient().key;
        return s?.waypoint ? waypointNode(s.waypoint) : ztunnel();
    };
    const gatewayKey = (name: string, vsNs: string, host?: string): string => {
        if (name === MESH) return host !== undefined ? meshEntry(host) : meshClient().key;
        const k = name.includes("/") ? name : `${vsNs}/${name}`;
        if (!ix.gateways.has(k)) b.node(`gw:${k}`, "gateway", [`Gateway ${k}`, "not declared"], { marks: ["finding"] });
        return `gw:${k}`;
    };
    const egressGateway = [...ix.gateways].find(([, g]) => g.spec?.selector?.istio === "egressgateway");

    // Which Services to draw: those with pods that are not only clients, and those something routes to.
    const all = drawnServices(ix);
    const allHosts = new Set(all.map((s) => s.host));
    const allExternals = [...ix.externals.keys()].filter((h) => !allHosts.has(h));
    const drawn = compact ? all.slice(0, COMPACT_LIMIT) : all;
    const drawnHosts = new Set(drawn.map((s) => s.host));
    const externals = compact ? allExternals.slice(0, Math.max(0, COMPACT_LIMIT - drawn.length)) : allExternals;
    const keptExternals = new Set(externals);
    /** Whether a host's nodes are built (a summarised graph leaves out hosts past its limit). */
    const kept = (host: string) => drawnHosts.has(host) || keptExternals.has(host) || (!allHosts.has(host) && !ix.externals.has(host));
    b.units.push(...drawn.map((s) => s.host), ...externals);

    // Per-pod policies that cover every pod of a Service go on its box; the rest on the pods.
    const onService = new Map<string, string[]>();
    const onPod = new Map<Workload, string[]>();
    const covers = (targets: Set<Workload>, s: Svc) => s.workloads.length > 0 && s.workloads.every((w) => targets.has(w));
    for (const s of drawn) {
        const lines: string[] = [];
        const mtls = pol.namespaceMtls.get(s.namespace) ?? pol.meshMtls;
        if (mtls) lines.push(mtls);
        for (const p of pol.perPod) {
            if (covers(p.targets, s)) lines.push(p.line);
            else for (const w of s.workloads) if (p.targets.has(w)) onPod.set(w, [...(onPod.get(w) ?? []), p.line]);
        }
        for (const a of pol.authz) if (s.workloads.some((w) => a.targets.has(w))) lines.push(authzText(a.ap).line);
        onService.set(s.host, lines);
    }

    const serviceKey = (host: string) => `svc:${host}`;
    const boxKey = (host: string) => `box:${host}`;
    const subsetKey = (host: string, subset: string) => `subset:${host}#${subset}`;

    // Services: a box holding the Service (its policies), its subsets and its Deployments; or (compact) one node.
    for (const s of drawn) {
        const drs = ix.destinationRules.get(s.host) ?? [];
        const title = `Service ${s.name}${nsSuffix(s.namespace)} ${s.ports.join(" ")}`.trimEnd();
        const policy: string[] = [];
        const bad: string[] = [];
        for (const dr of drs) {
            policy.push(`DestinationRule ${dr.metadata.name}`, ...trafficPolicyText(dr.spec?.trafficPolicy));
            for (const f of findings.get(resourceOf(dr)) ?? []) if (!SUBSET_PATH.test(f.path)) bad.push(...findingLines(f));
        }
        for (const f of findings.get(`Service ${s.namespace}/${s.name}`) ?? []) bad.push(...findingLines(f));
        policy.push(...(onService.get(s.host) ?? []));
        const subsets = drs.flatMap((dr) => ((dr.spec?.subsets ?? []) as Spec[]).map((sub, i) => ({ dr, sub, i })));
        if (compact) {
            const pods = s.workloads.reduce((n, w) => n + w.replicas, 0);
            const flags = [...new Set([...drs.flatMap((dr) => policyFlags(dr.spec?.trafficPolicy)), ...(onService.get(s.host) ?? []).map((l) => l.replace(/^(AuthorizationPolicy) .*$/, "authz").replace(/^(rate limit|mTLS \w+).*$/, "$1"))])];
            const n = b.node(serviceKey(s.host), "service", [title, `${subsets.length} subsets · ${s.workloads.length} Deployments · ${pods} pods`, ...(flags.length ? [flags.join(" · ")] : []), ...bad], { unit: s.host });
            if (bad.length) mark(n, "finding");
            continue;
        }
        const box = boxKey(s.host);
        b.groups.set(box, { key: box, lines: [s.host], marks: [], unit: s.host });
        const svc = b.node(serviceKey(s.host), "service", [title, ...policy, ...bad], { group: box, unit: s.host });
        if (bad.length) mark(svc, "finding");
        const inSubset = new Set<Workload>();
        for (const { dr, sub, i } of subsets) {
            const labels = (sub.labels ?? {}) as Record<string, string>;
            const n = b.node(subsetKey(s.host, sub.name), "subset", [`subset ${sub.name}`, Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(", "), ...trafficPolicyText(sub.trafficPolicy)].filter((l) => l !== ""), { group: box, unit: s.host });
            b.edge(svc.key, n.key, []);
            for (const f of findings.get(resourceOf(dr)) ?? []) {
                const m = SUBSET_PATH.exec(f.path);
                if (m && Number(m[1]) === i) {
                    n.lines.push(...findingLines(f));
                    mark(n, "finding");
                }
            }
            const pods = s.workloads.filter((w) => Object.entries(labels).every(([k, v]) => w.labels[k] === v));
            if (pods.length === 0) {
                n.lines.push("selects no Deployment");
                mark(n, "finding");
            }
            for (const w of pods) {
                inSubset.add(w);
                b.node(w.key, "workload", [...workloadLines(w), ...(onPod.get(w) ?? [])], { group: box, unit: s.host });
                b.edge(n.key, w.key, []);
            }
        }
        // Traffic to the plain host (no subset) reaches the pods no subset claims.
        for (const w of s.workloads) {
            if (inSubset.has(w)) continue;
            b.node(w.key, "workload", [...workloadLines(w), ...(onPod.get(w) ?? [])], { group: box, unit: s.host });
            b.edge(svc.key, w.key, []);
        }
        if (s.workloads.length === 0) {
            svc.lines.push("selects no Deployment");
            mark(svc, "finding");
        }
    }
    for (const h of externals) {
        const se = ix.externals.get(h)!;
        const ports = ((se.spec?.ports ?? []) as Spec[]).map((p) => `:${p.number} ${p.protocol ?? ""}`.trim());
        const drLines = (ix.destinationRules.get(h) ?? []).flatMap((dr) => [`DestinationRule ${dr.metadata.name}`, ...trafficPolicyText(dr.spec?.trafficPolicy)]);
        b.node(`ext:${h}`, "external", [`external ${h} ${ports.join(" ")}`.trimEnd(), `ServiceEntry ${se.metadata.name} · ${se.spec?.location ?? "MESH_EXTERNAL"}`, ...drLines], { unit: h });
    }

    /**
     * Where a destination host is drawn: a Service is entered at its Service node (the edges on to its
     * subsets are drawn with the box; a subset no DestinationRule declares is added, marked).
     */
    const target = (host: string, subset: string | undefined, unit: string): string => {
        const s = ix.services.get(host);
        if (s && allHosts.has(host)) {
            if (compact || subset === undefined || !drawnHosts.has(host)) return serviceKey(host);
            const k = subsetKey(host, subset);
            if (!b.nodes.has(k)) {
                b.node(k, "subset", [`subset ${subset}`, "not declared in a DestinationRule"], { group: boxKey(host), unit: host, marks: ["finding"] });
                b.edge(serviceKey(host), k, [], { style: "dashed", marks: ["finding"] });
            }
            return serviceKey(host);
        }
        if (ix.externals.has(host)) return `ext:${host}`;
        const first = host.split(".")[0];
        if (egressGateway && first.includes("egressgateway")) return `gw:${egressGateway[0]}`;
        return b.node(`host:${host}`, "external", [hostName(host), "no Service or ServiceEntry declares it"], { marks: ["finding"], unit }).key;
    };

    // Routes: each http rule of each VirtualService, entered from its gateways (or the mesh).
    const meshCovered = new Set<string>();
    /** Nodes a caller enters a host by: the mesh routes for it, else the host itself. */
    const entries = new Map<string, string[]>();
    for (const vs of ix.virtualServices) {
        const ns = nsOf(vs);
        const http = (vs.spec?.http ?? []) as Spec[];
        const hosts = (vs.spec?.hosts ?? []) as string[];
        const vsFindings = findings.get(resourceOf(vs)) ?? [];
        const bound = ((vs.spec?.gateways as string[] | undefined)?.length ? vs.spec!.gateways : [MESH]) as string[];
        if (bound.includes(MESH)) for (const h of hosts) meshCovered.add(fqdn(h, ns));
        http.forEach((h, i) => {
            const dests = (h.route ?? []) as Spec[];
            const unit = dests.length ? fqdn(String(dests[0].destination?.host ?? ""), ns) : fqdn(hosts[0] ?? "", ns);
            if (!kept(unit)) return;
            const ruleFindings = vsFindings.filter((f) => {
                const m = HTTP_PATH.exec(f.path);
                return m ? Number(m[1]) === i && m[2] === undefined : !f.path.startsWith("spec.http[");
            });
            const destFindings = (j: number) => vsFindings.filter((f) => {
                const m = HTTP_PATH.exec(f.path);
                return !!m && Number(m[1]) === i && m[2] !== undefined && Number(m[2]) === j;
            });
            // A destination's finding is `⚠ CODE` on its edge; what it says goes on the route, which has the room.
            const allDestFindings = dests.flatMap((_, j) => destFindings(j));
            const label = [`${vs.kind} ${vs.metadata.name}${nsSuffix(ns)}${http.length > 1 ? ` · rule ${i + 1}` : ""}`, ...httpRouteText(h), ...[...ruleFindings, ...allDestFindings].flatMap(findingLines)];
            const sources = routeSources(vs, h);
            if (compact) {
                // One edge per source and destination service, labelled with the rule's policies.
                dests.forEach((d, j) => {
                    const to = target(fqdn(String(d.destination?.host ?? ""), ns), undefined, unit);
                    const bad = ruleFindings.length > 0 || destFindings(j).length > 0;
                    const subject = `${vs.metadata.name}${dests.length > 1 && d.destination?.subset !== undefined ? ` ${d.destination.subset}` : ""}`;
                    const line = dests.length > 1 ? `${subject} ${d.weight ?? 0} %` : subject;
                    for (const src of sources) b.edge(gatewayKey(src.gateway, ns, fqdn(hosts[0] ?? "", ns)), to, [line], { subjects: [subject], ...(bad ? { style: "dashed", marks: ["finding"] } : {}) });
                });
                return;
            }
            const r = b.node(routeKey(ns, vs.metadata.name, h, i, http), "route", label, { unit });
            if (ruleFindings.length || allDestFindings.length) mark(r, "finding");
            for (const src of sources) {
                const matchLines = src.matches.map(matchText).filter((x) => x !== "");
                const lines = [src.gateway === MESH ? hosts.join(", ") : `hosts ${hosts.join(", ")}`, ...(matchLines.length ? [matchLines.join(" or ")] : [])];
                b.edge(gatewayKey(src.gateway, ns, fqdn(hosts[0] ?? "", ns)), r.key, lines, ruleFindings.length ? { style: "dashed", marks: ["finding"] } : {});
                if (src.gateway === MESH) for (const host of hosts) entries.set(fqdn(host, ns), [...new Set([...(entries.get(fqdn(host, ns)) ?? []), r.key])]);
            }
            // The split: one edge per destination host, a line per destination (`v1 90 %`), so two
            // routes to one Service are two edges side by side whose labels cannot cross.
            const split = new Map<string, { lines: string[]; subjects: string[]; dead: boolean[]; bad: boolean }>();
            dests.forEach((d, j) => {
                const host = fqdn(String(d.destination?.host ?? ""), ns);
                const subset = d.destination?.subset as string | undefined;
                const weight = typeof d.weight === "number" ? d.weight : dests.length === 1 ? 100 : 0;
                const df = destFindings(j);
                const to = target(host, subset, unit);
                const line = [`${subset !== undefined ? `${subset} ` : ""}${weight} %`, ...(d.destination?.port?.number !== undefined ? [`port ${d.destination.port.number}`] : []), ...responseHeadersText(d.headers), ...df.map((f) => `⚠ ${f.code}`)].join(" · ");
                let e = split.get(to);
                if (!e) split.set(to, (e = { lines: [], subjects: [], dead: [], bad: false }));
                e.lines.push(line);
                e.subjects.push(subset ?? hostName(host));
                e.dead.push(weight === 0 || df.length > 0);
                if (df.length) e.bad = true;
            });
            for (const [to, e] of split) {
                const bad = e.bad || ruleFindings.length > 0;
                // Dashed when nothing on it can carry traffic: every destination 0 % or unreachable, or the rule itself.
                const dashed = ruleFindings.length > 0 || e.dead.every(Boolean);
                b.edge(r.key, to, e.lines, { subjects: e.subjects, ...(dashed ? { style: "dashed" as const } : {}), ...(bad ? { marks: ["finding" as Mark] } : {}) });
            }
        });
    }

    // Hosts without a mesh VirtualService: sidecars call them directly (on ambient: through ztunnel, and their
    // waypoint if any); a version Service is reached through its route.
    for (const s of drawn) {
        if (meshCovered.has(s.host) || ix.routeBackends.has(s.host)) continue;
        b.edge(meshEntry(s.host), serviceKey(s.host), []);
        entries.set(s.host, [serviceKey(s.host)]);
    }
    for (const h of externals) {
        if (meshCovered.has(h)) continue;
        b.edge(meshClient().key, `ext:${h}`, []);
    }

    // Authorization: allowed callers get an edge to where they enter the host; the mesh client is
    // marked where an ALLOW policy leaves it out (its calls get 403).
    for (const a of pol.authz) {
        const action = String(a.ap.spec?.action ?? "ALLOW");
        if (action !== "ALLOW" && action !== "DENY") continue;
        const { principals } = authzText(a.ap);
        const hosts = drawn.filter((s) => s.workloads.some((w) => a.targets.has(w))).map((s) => s.host);
        const callers = new Map<string, string>(); // node key → principal
        for (const p of principals) {
            const ws = ix.byPrincipal(p);
            if (ws.length === 0) callers.set(b.node(`caller:${p}`, "client", [`caller ${p}`, "no Deployment here runs as it"]).key, p);
            for (const w of ws) callers.set(w.client ? meshClient().key : b.nodes.has(w.key) ? w.key : b.node(`caller:${p}`, "client", [`caller ${w.name}`, p]).key, p);
        }
        for (const host of hosts) {
            const into = entries.get(host) ?? [serviceKey(host)];
            for (const c of callers.keys()) {
                for (const t of into) b.edge(c, t, [`${action === "ALLOW" ? "allowed" : "denied"} by ${a.ap.metadata.name}`], action === "DENY" ? { style: "dashed", marks: ["denied"] } : {});
            }
            if (action === "ALLOW" && clients.length && b.nodes.has(MESH) && !callers.has(MESH)) {
                // ztunnel (a policy on the pods, ambient) closes the connection; a sidecar or waypoint answers 403.
                const atZtunnel = ambientClient && !a.ap.spec?.targetRefs;
                for (const t of into) b.edge(MESH, t, [atZtunnel ? `✗ connection closed by ztunnel: not allowed by ${a.ap.metadata.name}` : `✗ 403: not allowed by ${a.ap.metadata.name}`], { style: "dashed", marks: ["denied"] });
            }
        }
    }

    // Findings on Deployments and Services drawn as nodes.
    for (const n of b.nodes.values()) {
        if (n.shape !== "workload") continue;
        const [ns, name] = n.key.slice(3).split("/");
        for (const f of findings.get(`Deployment ${ns}/${name}`) ?? []) {
            n.lines.push(...findingLines(f));
            mark(n, "finding");
        }
    }

    return { nodes: [...b.nodes.values()], edges: [...b.edges.values()], groups: [...b.groups.values()], units: b.units, total: all.length + allExternals.length, compact };
}

/** Services worth drawing: those with pods that are not only clients, and those something routes to or configures. */
function drawnServices(ix: MeshIndex): Svc[] {
    const routed = new Set<string>();
    for (const vs of ix.virtualServices) for (const h of (vs.spec?.http ?? []) as Spec[]) for (const d of (h.route ?? []) as Spec[]) if (d.destination?.host) routed.add(fqdn(d.destination.host, nsOf(vs)));
    // A Service an HTTPRoute is attached to, and that nothing routes to, is only the name callers use: the route stands for it.
    return [...ix.services.values()].filter((s) => routed.has(s.host) || ix.destinationRules.has(s.host) || (s.workloads.some((w) => !w.client) && !ix.routeParents.has(s.host)));
}

/** How many Services a stack's objects draw: the size that decides whether the diagram is summarised. */
export function serviceCount(docs: readonly unknown[] | MeshIndex): number {
    return drawnServices(docs instanceof MeshIndex ? docs : new MeshIndex(docs)).length;
}
