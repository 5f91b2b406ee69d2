/**
 * The MeshProbe over a real cluster, with @kubernetes/client-node (no kubectl): exec `fortio curl` and
 * `fortio load -json -` in the fortio pod (inside the mesh, so its sidecar applies the policies), plain
 * HTTP from this machine to the ingress gateway, and the API server's service proxy as a client outside
 * the mesh. Thin on purpose: every decision is in checks.ts / verdicts.ts. Not run by the unit tests.
 */
import * as http from "http";
import * as https from "https";
import { Writable } from "stream";
import { parseFortioCurl, parseFortioJson } from "./fortio";
import type { HttpAnswer, MeshProbe } from "./run";

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

export async function kubeProbe(o: { context?: string; namespace: string }): Promise<MeshProbe> {
    // ESM-only package: loaded when verify runs, so nothing else pays for it.
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    kc.loadFromDefault();
    if (o.context) {
        const names = kc.getContexts().map((c) => c.name);
        if (!names.includes(o.context)) {
            throw new Error(`kube context "${o.context}" is not in your kubeconfig (have: ${names.join(", ") || "none"}). Run \`npm run up\` first, or pass --context <name>.`);
        }
        kc.setCurrentContext(o.context);
    }
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const exec = new k8s.Exec(kc);
    let fortioPod: string | undefined;

    async function pod(): Promise<string> {
        if (fortioPod) return fortioPod;
        const pods = await core.listNamespacedPod({ namespace: o.namespace, labelSelector: "app=fortio" });
        const running = pods.items.find((p) => p.status?.phase === "Running" && p.metadata?.name);
        if (!running) {
            throw new Error(`no running pod labelled app=fortio in namespace ${o.namespace}: the in-mesh checks drive the fortio client; deploy it with the stack (fortio-deploy) and run verify again`);
        }
        return (fortioPod = running.metadata!.name!);
    }

    async function run(command: string[]): Promise<{ stdout: string; stderr: string }> {
        const out = collector();
        const err = collector();
        const name = await pod();
        // Done when the socket closes: the status frame can arrive before the last output frames.
        await new Promise<void>((resolve, reject) => {
            exec.exec(o.namespace, name, "fortio", command, out.stream, err.stream, null, false)
                .then((ws) => ws.on("close", () => resolve()))
                .catch(reject);
        });
        return { stdout: out.text(), stderr: err.text() };
    }

    return {
        async curl(url, headers) {
            const r = await run([FORTIO, "curl", "-loglevel", "Warning", ...headerArgs(headers), url]);
            return parseFortioCurl(r.stdout || r.stderr);
        },
        async load(url, l) {
            const r = await run([FORTIO, "load", "-c", String(l.connections), "-qps", "0", "-n", String(l.calls), "-timeout", `${l.timeoutSeconds}s`, "-allow-initial-errors", "-loglevel", "Warning", "-json", "-", ...headerArgs(l.headers), url]);
            return parseFortioJson(r.stdout);
        },
        ingress: (url, headers) => httpGet(url, headers),
        async plainText(namespace, service, port) {
            try {
                await core.connectGetNamespacedServiceProxy({ name: `${service}:${port}`, namespace });
                return { status: 200 };
            } catch (e) {
                const code = (e as { code?: number }).code;
                return typeof code === "number" ? { status: code } : { error: e instanceof Error ? e.message : String(e) };
            }
        },
    };
}
