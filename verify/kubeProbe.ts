/**
 * The MeshProbe over a real cluster, with @kubernetes/client-node (no kubectl): exec `fortio curl` and
 * `fortio load -json -` in the fortio pod (inside the mesh, so its sidecar applies the policies) or in
 * verify's extra clients (fortio-outside without a sidecar, fortio-stranger with an unlisted identity),
 * `pilot-agent request GET stats` in the fortio pod's sidecar, `pilot-discovery request GET
 * /debug/syncz` in istiod (localhost is the one caller istiod's debug endpoints let in without a
 * token), and plain HTTP from this machine to the ingress gateway. Thin on purpose: every decision is
 * in checks.ts / verdicts.ts / convergence.ts. Not run by the unit tests (it needs a cluster).
 */
import * as http from "http";
import * as https from "https";
import { Writable } from "stream";
import { parseFortioCurl, parseFortioJson } from "./fortio";
import { OUTSIDE_CLIENT, STRANGER_CLIENT } from "../mesh/kubernetes/verifyClients";
import type { Client } from "./checks";
import type { HttpAnswer, MeshProbe, ProxySync, Transport } from "./run";
import { deploymentOf, listeningPorts, PodCapture } from "./ambient";

/** Where the course's fortio image keeps the binary (`kubectl exec … -- /usr/bin/fortio load …`). */
const FORTIO = "/usr/bin/fortio";

function collector(): { stream: Writable; text: () => string } {
    const chunks: Buffer[] = [];
    const stream = new Writable({
        write(chunk, _enc, done) {
            chunks.push(Buffer.from(chunk));
            done();
        },
    });
    return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

export function httpGet(url: string, headers: Record<string, string>, timeoutMs = 15000): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
        const mod = url.startsWith("https:") ? https : http;
        const req = mod.get(url, { headers, timeout: timeoutMs }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c) => chunks.push(Buffer.from(c)));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
        });
        req.on("timeout", () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs / 1000}s`)));
        req.on("error", reject);
    });
}

const headerArgs = (headers: Record<string, string>) => Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);

/** Pod label of each client. */
const CLIENT_LABEL: Record<Client, string> = { mesh: "app=fortio", outside: `app=${OUTSIDE_CLIENT.labels.app}`, stranger: `app=${STRANGER_CLIENT.labels.app}` };

export interface KubeProbeOptions {
    /** The kube context to use (verify resolves it from the stack; required). */
    context: string;
    namespace: string;
    /** Namespace of istiod (sync status). */
    istioNamespace?: string;
    /** A kubeconfig's YAML (stack output) instead of the ambient KUBECONFIG. */
    kubeconfig?: string;
    /** The stack's data plane: on ambient the fortio pod has no sidecar, and verify reads the pods' capture. */
    dataplane?: "sidecar" | "ambient";
}

export async function kubeProbe(o: KubeProbeOptions): Promise<MeshProbe> {
    // ESM-only package: loaded when verify runs, so nothing else pays for it.
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    if (o.kubeconfig) kc.loadFromString(o.kubeconfig);
    else kc.loadFromDefault();
    // With no kubeconfig file at all, client-node invents one context named "loaded-context" (localhost:8080).
    const names = kc.getContexts().map((c) => c.name).filter((n) => n !== "loaded-context");
    if (!names.includes(o.context)) {
        throw new Error(`kube context "${o.context}" is not in your kubeconfig (${names.length ? `have: ${names.join(", ")}` : "it has no contexts, or there is none"}). Run \`npm run up\` first, or pass --context <name>.`);
    }
    kc.setCurrentContext(o.context);
    const server = kc.getCurrentCluster()?.server ?? "(no server in the kubeconfig)";
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const exec = new k8s.Exec(kc);
    const pods = new Map<string, string>();

    async function podOf(namespace: string, label: string, what: string): Promise<string> {
        const key = `${namespace}/${label}`;
        const known = pods.get(key);
        if (known) return known;
        const list = await core.listNamespacedPod({ namespace, labelSelector: label });
        const running = list.items.find((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp && p.metadata?.name);
        if (!running) throw new Error(`no running pod labelled ${label} in namespace ${namespace} (${what}): deploy it with the stack (npm run up) and run verify again`);
        pods.set(key, running.metadata!.name!);
        return running.metadata!.name!;
    }

    async function run(namespace: string, pod: string, container: string, command: string[]): Promise<{ stdout: string; stderr: string; exitCode?: number }> {
        const out = collector();
        const err = collector();
        let exitCode: number | undefined;
        // Done when the socket closes: the status frame can arrive before the last output frames.
        await new Promise<void>((resolve, reject) => {
            exec.exec(namespace, pod, container, command, out.stream, err.stream, null, false, (st) => {
                exitCode = st.status === "Success" ? 0 : Number(st.details?.causes?.find((c) => c.reason === "ExitCode")?.message ?? 1);
            })
                .then((ws) => ws.on("close", () => resolve()))
                .catch(reject);
        });
        return { stdout: out.text(), stderr: err.text(), exitCode };
    }

    const fortio = async (from: Client, command: string[]) => run(o.namespace, await podOf(o.namespace, CLIENT_LABEL[from], from === "mesh" ? "the fortio client" : `verify's ${from} client`), "fortio", command);

    async function send(from: Client, url: string, headers: Record<string, string>): Promise<Transport> {
        // Headers on stdout with the body (fortio ≥ 1.22 sends them to stderr); a long timeout: servicex's failing pod takes 5 s.
        const r = await fortio(from, [FORTIO, "curl", "-curl-stdout-headers", "-timeout", "15s", "-loglevel", "Warning", ...headerArgs(headers), url]);
        try {
            const a = parseFortioCurl(r.stdout);
            return { status: a.status, body: a.body };
        } catch {
            return { error: (r.stderr || r.stdout || `fortio curl exited ${r.exitCode ?? "?"} with no output`).trim() };
        }
    }

    return {
        async preflight() {
            try {
                await core.listNamespacedPod({ namespace: o.namespace, limit: 1 });
            } catch (e) {
                return { ok: false, server, problem: `the API server does not answer: ${e instanceof Error ? e.message : String(e)}` };
            }
            const list = await core.listNamespacedPod({ namespace: o.namespace, labelSelector: CLIENT_LABEL.mesh });
            const pod = list.items.find((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp);
            if (!pod) return { ok: false, server, problem: `no Running pod labelled ${CLIENT_LABEL.mesh} in namespace ${o.namespace}: the in-mesh checks drive the fortio client (fortio-deploy)` };
            // Ambient: no sidecar to wait for; whether the pod is redirected to ztunnel is a check of its own (capture).
            if (o.dataplane === "ambient") return { ok: true, server };
            const proxy = pod.status?.containerStatuses?.find((c) => c.name === "istio-proxy");
            const native = pod.status?.initContainerStatuses?.find((c) => c.name === "istio-proxy"); // native sidecar (Kubernetes ≥ 1.29)
            if (!(proxy?.ready || native?.ready)) return { ok: false, server, problem: `the fortio pod ${pod.metadata?.name} has no ready istio-proxy sidecar: is namespace ${o.namespace} labelled for injection, and was the pod created after istiod?` };
            return { ok: true, server };
        },
        async curl(url, headers) {
            const t = await send("mesh", url, headers);
            if (t.status === undefined) throw new Error(`fortio curl ${url}: no answer (${t.error})`);
            return { status: t.status, body: t.body ?? "" };
        },
        send,
        async load(url, l) {
            const amount = l.calls > 0 ? ["-n", String(l.calls)] : ["-t", `${l.durationSeconds ?? 5}s`];
            const r = await fortio("mesh", [FORTIO, "load", "-c", String(l.connections), "-qps", String(l.qps ?? 0), ...amount, "-timeout", `${l.timeoutSeconds}s`, "-allow-initial-errors", "-loglevel", "Warning", "-json", "-", ...headerArgs(l.headers), url]);
            return parseFortioJson(r.stdout);
        },
        ingress: (url, headers) => httpGet(url, headers),
        async proxyStats(filter, at) {
            // A waypoint's pods carry its Gateway's name (istiod's waypoint template).
            const pod = at ? await podOf(o.namespace, `gateway.networking.k8s.io/gateway-name=${at.waypoint}`, `waypoint ${at.waypoint}`) : await podOf(o.namespace, CLIENT_LABEL.mesh, "the fortio client");
            const r = await run(o.namespace, pod, "istio-proxy", ["pilot-agent", "request", "GET", "stats"]);
            const stats: Record<string, number> = {};
            for (const line of r.stdout.split("\n")) {
                const m = line.match(/^(\S+): (\d+)$/);
                if (m && m[1].includes(filter)) stats[m[1]] = Number(m[2]);
            }
            return stats;
        },
        async capture(namespace) {
            const ns = await core.readNamespace({ name: namespace });
            const list = await core.listNamespacedPod({ namespace });
            const pods: PodCapture[] = [];
            for (const p of list.items) {
                const labels = p.metadata?.labels ?? {};
                const name = p.metadata?.name;
                // Out of ambient on purpose: verify's outside client, and the waypoints (istiod labels them none).
                if (!name || p.status?.phase !== "Running" || p.metadata?.deletionTimestamp || labels["istio.io/dataplane-mode"] === "none") continue;
                const container = p.spec?.containers?.[0]?.name ?? "";
                let listening: number[] | undefined;
                let inspectError: string | undefined;
                try {
                    const r = await run(namespace, name, container, ["cat", "/proc/net/tcp", "/proc/net/tcp6"]);
                    if (r.exitCode === 0 && r.stdout.includes("local_address")) listening = listeningPorts(r.stdout);
                    else inspectError = (r.stderr || `cat exited ${r.exitCode ?? "?"}`).trim();
                } catch (e) {
                    inspectError = e instanceof Error ? e.message : String(e);
                }
                pods.push({ name, workload: deploymentOf(name, labels["pod-template-hash"]), redirection: p.metadata?.annotations?.["ambient.istio.io/redirection"], ...(listening ? { listening } : {}), ...(inspectError ? { inspectError } : {}) });
            }
            return { namespace, namespaceLabels: ns.metadata?.labels ?? {}, pods };
        },
        async syncStatus() {
            const ns = o.istioNamespace ?? "istio-system";
            const pod = await podOf(ns, "app=istiod", "istiod");
            const r = await run(ns, pod, "discovery", ["pilot-discovery", "request", "GET", "/debug/syncz"]);
            return parseSyncz(r.stdout);
        },
    };
}

/** istiod's `/debug/syncz` JSON (a list of SyncStatus: proxy, cluster_sent/acked, listener_…, route_…, endpoint_…). */
export function parseSyncz(text: string): ProxySync[] {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        throw new Error(`istiod's /debug/syncz did not answer JSON (first 200 characters: ${JSON.stringify(text.slice(0, 200))})`);
    }
    if (!Array.isArray(doc)) throw new Error("istiod's /debug/syncz: expected a list of proxies");
    const types = ["cluster", "listener", "route", "endpoint"];
    return doc.map((p: Record<string, unknown>) => {
        const str = (v: unknown) => (typeof v === "string" ? v : undefined);
        // ztunnel's (delta) xDS types (workload addresses, authorizations) are only in `resources`, by type
        // URL (pilot/pkg/xds/debug.go Syncz, 1.30); an Envoy's four types are the fields above.
        const resources = p.proxy_type === "ztunnel" ? Object.entries((p.resources ?? {}) as Record<string, { sent?: string; acked?: string }>) : [];
        const short = (url: string) => url.slice(url.lastIndexOf("/") + 1);
        return {
            proxy: String(p.proxy ?? "?"),
            ...(str(p.proxy_type) ? { type: str(p.proxy_type) } : {}),
            sent: { ...Object.fromEntries(types.map((t) => [t, str(p[`${t}_sent`])])), ...Object.fromEntries(resources.map(([u, r]) => [short(u), str(r.sent)])) },
            acked: { ...Object.fromEntries(types.map((t) => [t, str(p[`${t}_acked`])])), ...Object.fromEntries(resources.map(([u, r]) => [short(u), str(r.acked)])) },
        };
    });
}
