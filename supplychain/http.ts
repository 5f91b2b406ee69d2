/**
 * The few HTTP exchanges the checks make, over an injected `fetch` (tests give the real one pointed at
 * a local server): one request with a deadline, redirects followed by hand so a permanent move to
 * another host is seen, the OCI registry token handshake, and bodies read up to a bound. Every URL
 * is written as the public one (`https://ghcr.io/v2/…`) and sent where ISTIO_MESH_PINS_REGISTRY_OVERRIDE
 * routes its host (a mirror, or 127.0.0.1 in tests).
 */

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export const OVERRIDE_ENV = "ISTIO_MESH_PINS_REGISTRY_OVERRIDE";

/**
 * Where requests for a host go instead: `host=<base URL>` entries, comma-separated. `*=<base URL>`
 * takes every other host and keeps the host as the first path segment (`https://ghcr.io/v2/x` →
 * `<base>/ghcr.io/v2/x`), so one local server can stand in for all of them.
 */
export interface Routes {
    byHost: Map<string, string>;
    any?: string;
}

/** Docker Hub's registry API is served from registry-1.docker.io; its name in image references is docker.io. */
const HOST_ALIASES: Record<string, string> = { "docker.io": "registry-1.docker.io", "index.docker.io": "registry-1.docker.io" };

export function parseRoutes(text: string | undefined): Routes | { problem: string } {
    const routes: Routes = { byHost: new Map() };
    for (const part of (text ?? "").split(",").map((p) => p.trim()).filter(Boolean)) {
        const eq = part.indexOf("=");
        const host = eq > 0 ? part.slice(0, eq).trim().toLowerCase() : "";
        const base = eq > 0 ? part.slice(eq + 1).trim().replace(/\/+$/, "") : "";
        if (!host || !/^https?:\/\/[^/\s]+/i.test(base)) {
            return { problem: `${OVERRIDE_ENV}: ${JSON.stringify(part)} is not <host>=<http(s) base URL> (e.g. registry-1.docker.io=https://mirror.example.com, or *=http://127.0.0.1:5000)` };
        }
        if (host === "*") routes.any = base;
        else routes.byHost.set(HOST_ALIASES[host] ?? host, base);
    }
    return routes;
}

export const NO_ROUTES: Routes = { byHost: new Map() };

/** The URL a request for `url` is really sent to. */
export function routedUrl(routes: Routes, url: string): string {
    const u = new URL(url);
    const base = routes.byHost.get(u.host.toLowerCase());
    if (base) return `${base}${u.pathname}${u.search}`;
    if (routes.any) return `${routes.any}/${u.host}${u.pathname}${u.search}`;
    return url;
}

/** A Location the routed server answered, as the public URL it stands for. */
export function publicUrl(routes: Routes, url: string): string {
    if (routes.any && url.startsWith(`${routes.any}/`)) {
        const rest = url.slice(routes.any.length + 1);
        return `https://${rest}`;
    }
    for (const [host, base] of routes.byHost) if (url === base || url.startsWith(`${base}/`)) return `https://${host}${url.slice(base.length)}`;
    return url;
}

export interface NetClient {
    fetch: Fetch;
    routes: Routes;
    /** Deadline of each request, body included. */
    timeoutMs: number;
}

export type Outcome =
    /** The server answered (after any redirects); `movedTo` is the first permanent redirect to another host. */
    | { kind: "answer"; status: number; headers: Headers; url: string; movedTo?: string; body?: string }
    /** DNS, connection refused or reset, no route, no answer in time: the host could not be asked. */
    | { kind: "unreachable"; host: string; reason: string }
    /** It answered with something unusable (TLS failure, redirect loop, a body too large). */
    | { kind: "failed"; reason: string };

const NETWORK_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ENETUNREACH", "EHOSTUNREACH", "ENETDOWN", "EHOSTDOWN", "ETIMEDOUT", "EPIPE", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** Why a fetch threw: the network (unreachable) or anything else. */
export function thrownReason(e: unknown, timeoutMs: number): { unreachable: boolean; reason: string } {
    const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
    if (err?.name === "TimeoutError" || err?.name === "AbortError" || err?.cause?.name === "TimeoutError") return { unreachable: true, reason: `no answer within ${timeoutMs / 1000} s` };
    const code = err?.cause?.code;
    if (code && NETWORK_CODES.has(code)) return { unreachable: true, reason: `${code}${err.cause?.message && !err.cause.message.includes(code) ? ` (${err.cause.message})` : ""}` };
    if (code) return { unreachable: false, reason: `${code}: ${err.cause?.message ?? err.message ?? ""}`.trim() };
    // Refused by fetch itself (e.g. "bad port"): the URL's fault, not the network's.
    if (err?.cause?.message) return { unreachable: false, reason: `${err.message ?? "fetch failed"}: ${err.cause.message}` };
    // `fetch failed` with no cause is what a fetch without a network (or a test harness without one) says.
    if (err?.name === "TypeError" && /fetch failed/i.test(err.message ?? "")) return { unreachable: true, reason: err.message ?? "fetch failed" };
    return { unreachable: false, reason: err?.message ?? String(e) };
}

async function readCapped(res: Response, maxBytes: number): Promise<string | undefined> {
    const length = Number(res.headers.get("content-length") ?? "NaN");
    if (Number.isFinite(length) && length > maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        return undefined;
    }
    if (!res.body) return "";
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
            await reader.cancel().catch(() => undefined);
            return undefined;
        }
        chunks.push(value);
    }
    return Buffer.concat(chunks).toString("utf8");
}

export interface RequestOptions {
    method: "GET" | "HEAD";
    headers?: Record<string, string>;
    /** Read the body of a 2xx answer, up to this many bytes. */
    readBody?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** One request (with its redirects), never throwing: every failure is an Outcome. */
export async function request(c: NetClient, url: string, o: RequestOptions): Promise<Outcome> {
    let current = url;
    let movedTo: string | undefined;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const host = new URL(current).host;
        const signal = AbortSignal.timeout(c.timeoutMs);
        let res: Response;
        try {
            res = await c.fetch(routedUrl(c.routes, current), { method: o.method, headers: o.headers ?? {}, redirect: "manual", signal });
        } catch (e) {
            const t = thrownReason(e, c.timeoutMs);
            return t.unreachable ? { kind: "unreachable", host, reason: t.reason } : { kind: "failed", reason: `${host}: ${t.reason}` };
        }
        const location = res.headers.get("location");
        if (REDIRECTS.has(res.status) && location) {
            await res.body?.cancel().catch(() => undefined);
            // An absolute Location may point into a routed base; a relative one is relative to the server that sent it:
            // the public host (a stand-in under `*` plays that host) or a host's own mirror (mapped back).
            const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
            const mirrored = c.routes.byHost.has(new URL(current).host.toLowerCase());
            const next = absolute
                ? publicUrl(c.routes, location)
                : mirrored
                  ? publicUrl(c.routes, new URL(location, routedUrl(c.routes, current)).toString())
                  : new URL(location, current).toString();
            if ((res.status === 301 || res.status === 308) && movedTo === undefined && new URL(next).host !== new URL(url).host) movedTo = next;
            current = next;
            continue;
        }
        let body: string | undefined;
        try {
            if (o.readBody !== undefined && res.status >= 200 && res.status < 300) {
                body = await readCapped(res, o.readBody);
                if (body === undefined) return { kind: "failed", reason: `${current}: the answer is larger than ${Math.round(o.readBody / 1024 / 1024)} MiB` };
            } else await res.body?.cancel().catch(() => undefined);
        } catch (e) {
            const t = thrownReason(e, c.timeoutMs);
            return t.unreachable ? { kind: "unreachable", host, reason: t.reason } : { kind: "failed", reason: `${host}: ${t.reason}` };
        }
        return { kind: "answer", status: res.status, headers: res.headers, url: current, ...(movedTo ? { movedTo } : {}), ...(body !== undefined ? { body } : {}) };
    }
    return { kind: "failed", reason: `${url}: more than ${MAX_REDIRECTS} redirects` };
}

/** `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"`. */
export function bearerChallenge(header: string | null): { realm: string; service?: string; scope?: string } | undefined {
    if (!header || !/^\s*bearer\s/i.test(header)) return undefined;
    const params: Record<string, string> = {};
    for (const m of header.replace(/^\s*bearer\s+/i, "").matchAll(/([a-z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/gi)) params[m[1].toLowerCase()] = m[2] ?? m[3] ?? "";
    if (!params.realm) return undefined;
    return { realm: params.realm, ...(params.service ? { service: params.service } : {}), ...(params.scope ? { scope: params.scope } : {}) };
}

/** The Accept header of a manifest request: an image index or manifest in Docker's or OCI's media types. */
export const IMAGE_MANIFEST_TYPES = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
].join(", ");
/** A Helm chart in an OCI registry is an image manifest with the chart's config type. */
export const CHART_MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json";

/** The API host of a registry as image references name it (`docker.io` → `registry-1.docker.io`). */
export function registryApiHost(registry: string): string {
    return HOST_ALIASES[registry.toLowerCase()] ?? registry;
}

export type ManifestOutcome = Outcome | { kind: "no-token"; reason: string };

/**
 * HEAD `/v2/<repository>/manifests/<reference>` as a container runtime asks it, anonymously: a 401
 * with a Bearer challenge gets a token from the realm (no credentials) and one retry. A registry that
 * refuses HEAD is asked with GET. Docker Hub does not count a HEAD against its pull limit.
 */
export async function manifest(c: NetClient, registry: string, repository: string, reference: string, accept: string): Promise<ManifestOutcome> {
    const url = `https://${registryApiHost(registry)}/v2/${repository}/manifests/${reference}`;
    const headers: Record<string, string> = { Accept: accept };
    let r = await request(c, url, { method: "HEAD", headers });
    if (r.kind === "answer" && (r.status === 405 || r.status === 501)) r = await request(c, url, { method: "GET", headers });
    if (r.kind !== "answer" || r.status !== 401) return r;
    const challenge = bearerChallenge(r.headers.get("www-authenticate"));
    if (!challenge) return r;
    const tokenUrl = new URL(challenge.realm);
    if (challenge.service) tokenUrl.searchParams.set("service", challenge.service);
    tokenUrl.searchParams.set("scope", challenge.scope ?? `repository:${repository}:pull`);
    const t = await request(c, tokenUrl.toString(), { method: "GET", readBody: 1024 * 1024 });
    if (t.kind !== "answer") return t;
    if (t.status < 200 || t.status >= 300) return { kind: "no-token", reason: `the token service ${tokenUrl.host} refused an anonymous token (HTTP ${t.status})` };
    let token: string | undefined;
    try {
        const doc = JSON.parse(t.body ?? "") as { token?: unknown; access_token?: unknown };
        token = typeof doc.token === "string" ? doc.token : typeof doc.access_token === "string" ? doc.access_token : undefined;
    } catch {
        token = undefined;
    }
    if (!token) return { kind: "no-token", reason: `the token service ${tokenUrl.host} answered no token` };
    return request(c, url, { method: "HEAD", headers: { ...headers, Authorization: `Bearer ${token}` } });
}
