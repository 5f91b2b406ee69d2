/**
 * Every host the pins check asks, played by one HTTP server on 127.0.0.1 with recorded-style answers:
 * Helm repositories (`index.yaml` as `helm repo index` writes it, archives), OCI registries with the
 * anonymous Bearer token handshake as Docker Hub and ghcr.io answer it (401 + WWW-Authenticate, a
 * token service, the retry), download servers (206 to a one-byte Range). Requests arrive as
 * `/<public host>/<path>` (ISTIO_MESH_PINS_REGISTRY_OVERRIDE=*=<base>). Per-URL behaviours inject
 * 429, 301 to another host, 401 without a challenge, a server that never answers.
 */
import * as http from "http";
import type { AddressInfo, Socket } from "net";
import type { Artifact } from "../../supplychain/artifacts";
import { normalizeImage } from "../../supplychain/artifacts";
import { relocation } from "../../supplychain/retired";

export type Behaviour =
    | { kind: "status"; status: number; headers?: Record<string, string>; body?: string }
    /** A redirect: 301/308 permanent, 302/307 temporary. */
    | { kind: "redirect"; status: 301 | 302 | 307 | 308; to: string }
    /** Accepts the connection and never answers. */
    | { kind: "hang" };

interface Registry {
    /** Bearer: 401 + challenge without a token (Docker Hub, ghcr.io); none: anonymous answers (quay.io). */
    realm?: string;
    service?: string;
    /** The token service refuses (e.g. ghcr.io for a package that does not exist). */
    tokenStatus?: number;
    repos: Map<string, Set<string>>;
}

/** Registries as the real ones present themselves to an anonymous client. */
const KNOWN_AUTH: Record<string, { realm: string; service: string }> = {
    "registry-1.docker.io": { realm: "https://auth.docker.io/token", service: "registry.docker.io" },
    "ghcr.io": { realm: "https://ghcr.io/token", service: "ghcr.io" },
    "registry.example.org": { realm: "https://auth.example.org/token", service: "registry.example.org" },
};

const apiHost = (registry: string) => (registry === "docker.io" ? "registry-1.docker.io" : registry);

export class FakeRegistries {
    readonly helm = new Map<string, Map<string, string[]>>();
    /** Archive URLs per repository: `relative` (name-version.tgz) or an absolute base (GitHub releases style). */
    readonly archiveBase = new Map<string, string>();
    readonly registries = new Map<string, Registry>();
    readonly files = new Set<string>();
    readonly behaviours = new Map<string, Behaviour>();
    /** `METHOD https://host/path` of every request, in order. */
    readonly log: string[] = [];
    private server?: http.Server;
    private readonly sockets = new Set<Socket>();
    base = "";

    async start(): Promise<this> {
        this.server = http.createServer((req, res) => this.answer(req, res));
        this.server.on("connection", (s) => {
            this.sockets.add(s);
            s.on("close", () => this.sockets.delete(s));
        });
        await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
        this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    async stop(): Promise<void> {
        for (const s of this.sockets) s.destroy();
        await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
    }

    /** The override that sends every host here. */
    get override(): string {
        return `*=${this.base}`;
    }

    chart(repo: string, name: string, ...versions: string[]): this {
        const charts = this.helm.get(repo) ?? new Map<string, string[]>();
        charts.set(name, [...(charts.get(name) ?? []), ...versions]);
        this.helm.set(repo, charts);
        const base = this.archiveBase.get(repo) ?? repo;
        for (const v of versions) this.files.add(`${base}/${name}-${v}.tgz`);
        return this;
    }

    image(registry: string, repository: string, ...tags: string[]): this {
        const host = apiHost(registry);
        const r = this.registries.get(host) ?? { ...(KNOWN_AUTH[host] ?? {}), repos: new Map() };
        const set = r.repos.get(repository) ?? new Set<string>();
        for (const t of tags) set.add(t);
        r.repos.set(repository, set);
        this.registries.set(host, r);
        return this;
    }

    /** A behaviour for one URL, or for every URL under a prefix written with a trailing `*`. */
    on(url: string, b: Behaviour): this {
        this.behaviours.set(url, b);
        return this;
    }

    /** Serve every artifact of an inventory where it lives (a retired one at its new place). */
    serve(artifacts: Artifact[]): this {
        for (const a of artifacts) {
            const moved = relocation(a)?.now[0];
            if (a.kind === "chart") {
                const loc = moved ?? a.location;
                if (loc.startsWith("oci://")) {
                    const [host, ...path] = loc.slice("oci://".length).split("/");
                    this.image(host, [...path, a.name].join("/"), a.version);
                } else this.chart(loc, a.name, a.version);
            } else if (a.kind === "image") {
                const n = normalizeImage(`${moved ?? a.name}:${a.version}`)!;
                this.image(n.registry, n.repository, n.reference);
            } else this.files.add(a.location);
        }
        return this;
    }

    private indexYaml(repo: string, charts: Map<string, string[]>): string {
        // As `helm repo index` writes it (go-yaml: list items at the key's indentation).
        const base = this.archiveBase.get(repo);
        const lines = ["apiVersion: v1", "entries:"];
        for (const [name, versions] of [...charts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
            lines.push(`  ${name}:`);
            for (const v of [...versions].reverse()) {
                lines.push(`  - apiVersion: v2`, `    created: "2026-11-02T10:00:00Z"`, `    digest: 3c76a163${"0".repeat(56)}`, `    name: ${name}`, `    urls:`, `    - ${base ? `${base}/` : ""}${name}-${v}.tgz`, `    version: ${v}`);
            }
        }
        lines.push(`generated: "2026-11-02T10:00:00Z"`, "");
        return lines.join("\n");
    }

    private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
        const raw = new URL(req.url ?? "/", "http://x");
        const [, host, ...rest] = raw.pathname.split("/");
        const path = `/${rest.join("/")}`;
        const url = `https://${host}${path}`;
        this.log.push(`${req.method} ${url}`);
        const send = (status: number, headers: Record<string, string> = {}, body = "") => {
            res.writeHead(status, headers);
            res.end(req.method === "HEAD" ? undefined : body);
        };
        const prefixed = [...this.behaviours.entries()].find(([k]) => k.endsWith("*") && url.startsWith(k.slice(0, -1)));
        const b = this.behaviours.get(url) ?? prefixed?.[1];
        if (b) {
            if (b.kind === "hang") return; // the socket stays open until the client gives up
            // `to` ending in `*` under a prefix: the rest of the path follows (a whole repository moved).
            if (b.kind === "redirect") return send(b.status, { Location: b.to.endsWith("*") && prefixed ? `${b.to.slice(0, -1)}${url.slice(prefixed[0].length - 1)}` : b.to });
            return send(b.status, b.headers ?? {}, b.body ?? "");
        }
        // Helm repository index.
        if (path.endsWith("/index.yaml")) {
            const repo = url.slice(0, -"/index.yaml".length);
            const charts = this.helm.get(repo);
            if (charts) return send(200, { "Content-Type": "application/x-yaml" }, this.indexYaml(repo, charts));
        }
        // A registry's token service (any realm the registries name).
        for (const r of this.registries.values()) {
            if (r.realm && url === r.realm) {
                if (r.tokenStatus) return send(r.tokenStatus, { "Content-Type": "application/json" }, `{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}`);
                const scope = raw.searchParams.get("scope") ?? "";
                return send(200, { "Content-Type": "application/json" }, JSON.stringify({ token: `tok ${scope}`, expires_in: 300 }));
            }
        }
        // OCI distribution: manifests.
        const reg = this.registries.get(host);
        const m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
        if (reg && m) {
            const [, repository, reference] = m;
            if (reg.realm && req.headers.authorization !== `Bearer tok repository:${repository}:pull`) {
                return send(401, { "Content-Type": "application/json", "WWW-Authenticate": `Bearer realm="${reg.realm}",service="${reg.service}",scope="repository:${repository}:pull"` }, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`);
            }
            if (reg.repos.get(repository)?.has(reference)) {
                return send(200, { "Content-Type": "application/vnd.oci.image.index.v1+json", "Docker-Content-Digest": `sha256:${"a".repeat(64)}` }, "{}");
            }
            return send(404, { "Content-Type": "application/json" }, `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}`);
        }
        // Plain files: a Range request gets its first byte.
        if (this.files.has(url)) return req.headers.range === "bytes=0-0" ? send(206, { "Content-Range": "bytes 0-0/1000" }, "x") : send(200, {}, "x".repeat(1000));
        return send(404, {}, "Not Found");
    }
}
