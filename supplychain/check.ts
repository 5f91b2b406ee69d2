/**
 * Whether each artifact is still where its pin says: a Helm repository's index (fetched once per
 * repository) and the chart archive it lists, an OCI manifest (charts and images, with the registry's
 * anonymous token handshake), a download URL. Verdicts: found / missing / moved / error(why). An
 * artifact at a retired location (retired.ts) is moved before any request; its new place is then checked.
 */
import { Artifact, normalizeImage } from "./artifacts";
import { IndexEntry, indexEntries, sameChartVersion } from "./helmIndex";
import { CHART_MANIFEST_TYPES, IMAGE_MANIFEST_TYPES, manifest, ManifestOutcome, NetClient, Outcome, request } from "./http";
import { relocation } from "./retired";

export type Status = "found" | "missing" | "moved" | "error";

export interface Verdict {
    status: Status;
    detail: string;
    /** Where a moved artifact lives now. */
    now?: string;
    /** A server answered something for this artifact (false: every host it needed was unreachable). */
    reached: boolean;
    /** The error is the network's (DNS, refused, timeout), not the server's. */
    unreachable?: boolean;
    rateLimited?: boolean;
}

export interface Checked {
    artifact: Artifact;
    verdict: Verdict;
}

/** A Helm index is read whole; this bounds it (the largest public ones are tens of MiB). */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;

const found = (detail: string): Verdict => ({ status: "found", detail, reached: true });
const missing = (detail: string): Verdict => ({ status: "missing", detail, reached: true });
const error = (detail: string, more: Partial<Verdict> = {}): Verdict => ({ status: "error", detail, reached: true, ...more });

/** An answer that is neither found nor missing: rate limits, server failures, the network. */
function otherVerdict(o: Outcome | ManifestOutcome, what: string): Verdict {
    if (o.kind === "unreachable") return { status: "error", detail: `cannot reach ${o.host}: ${o.reason}`, reached: false, unreachable: true };
    if (o.kind === "failed") return error(o.reason);
    if (o.kind === "no-token") return error(o.reason);
    if (o.status === 429) {
        const after = o.headers.get("retry-after");
        return error(`rate limited by ${new URL(o.url).host} (HTTP 429${after ? `, retry after ${after} s` : ""}): this says nothing about the artifact; check again later`, { rateLimited: true });
    }
    if (o.status >= 500) return error(`${new URL(o.url).host} failed (HTTP ${o.status}) answering for ${what}`);
    return error(`unexpected HTTP ${o.status} from ${o.url}`);
}

/** A manifest or download answer: 2xx found; 404/410, or 401/403 after the anonymous handshake, missing. */
function presenceVerdict(o: Outcome | ManifestOutcome, what: string): Verdict {
    const v = presence(o, what);
    // A permanent redirect to another host: the pin names an old place, wherever the redirect ends.
    if (o.kind === "answer" && o.movedTo) return { ...v, status: "moved", now: o.movedTo, detail: `permanently redirected to ${o.movedTo} (there: ${v.status === "found" ? "found" : v.detail})` };
    return v;
}

function presence(o: Outcome | ManifestOutcome, what: string): Verdict {
    if (o.kind === "no-token") return /HTTP 40[13]/.test(o.reason) ? missing(`${o.reason}: not pullable anonymously (missing or private)`) : error(o.reason);
    if (o.kind !== "answer") return otherVerdict(o, what);
    if (o.status >= 200 && o.status < 300) return found(`${o.url} answers ${o.status}`);
    if (o.status === 404 || o.status === 410) return missing(`${o.url} answers ${o.status}: no ${what} there`);
    if (o.status === 401 || o.status === 403) return missing(`${o.url} answers ${o.status} to an anonymous request: ${what} is missing or private`);
    return otherVerdict(o, what);
}

/** `oci://ghcr.io/istio/release/charts` + `base` → registry and repository. */
function ociParts(location: string, name: string): { registry: string; repository: string } {
    const rest = location.replace(/^oci:\/\//, "");
    const slash = rest.indexOf("/");
    return slash < 0 ? { registry: rest, repository: name } : { registry: rest.slice(0, slash), repository: `${rest.slice(slash + 1)}/${name}` };
}

/**
 * A file's first byte: a GET (not HEAD: the signed URLs GitHub redirects release downloads to are
 * signed for GET) of one byte, its body dropped. 200 or 206 is there.
 */
function download(net: NetClient, url: string): Promise<Outcome> {
    return request(net, url, { method: "GET", headers: { Range: "bytes=0-0" } });
}

type IndexAnswer = { entries: (chart: string) => IndexEntry[] | undefined; url: string; movedTo?: string } | { verdict: Verdict };

export interface CheckOptions {
    /** Also ask for the chart archive an index lists (off in preflight: one request per repository). */
    archives: boolean;
}

export class Checker {
    private readonly indexes = new Map<string, Promise<IndexAnswer>>();

    constructor(
        private readonly net: NetClient,
        private readonly opts: CheckOptions = { archives: true },
    ) {}

    /** One GET of `<repo>/index.yaml` per repository, shared by its charts. */
    private index(repo: string): Promise<IndexAnswer> {
        let p = this.indexes.get(repo);
        if (!p) {
            p = (async (): Promise<IndexAnswer> => {
                const url = `${repo}/index.yaml`;
                const o = await request(this.net, url, { method: "GET", readBody: MAX_INDEX_BYTES });
                if (o.kind !== "answer") return { verdict: otherVerdict(o, "the chart index") };
                const movedTo = o.movedTo?.replace(/\/index\.yaml$/, "");
                if (o.status === 404 || o.status === 410) {
                    const v = missing(`${url} answers ${o.status}: no Helm repository there`);
                    return { verdict: movedTo ? { ...v, status: "moved", now: movedTo, detail: `the repository redirects permanently to ${movedTo}, which has no index either (HTTP ${o.status})` } : v };
                }
                if (o.status < 200 || o.status >= 300) return { verdict: otherVerdict(o, "the chart index") };
                const text = o.body ?? "";
                const cache = new Map<string, IndexEntry[] | undefined>();
                const entries = (chart: string) => {
                    if (!cache.has(chart)) cache.set(chart, indexEntries(text, chart));
                    return cache.get(chart);
                };
                return { entries, url: o.url, ...(movedTo ? { movedTo } : {}) };
            })().catch((e: unknown) => ({ verdict: error(`${repo}/index.yaml: ${e instanceof Error ? e.message : String(e)}`) }));
            this.indexes.set(repo, p);
        }
        return p;
    }

    /** A chart version in a repository (https index or OCI registry), wherever it is. */
    async chartAt(location: string, name: string, version: string): Promise<Verdict> {
        if (location.startsWith("oci://")) {
            const { registry, repository } = ociParts(location, name);
            // OCI tags cannot hold `+`: Helm pushes 1.0.0+build as 1.0.0_build.
            return presenceVerdict(await manifest(this.net, registry, repository, version.replace(/\+/g, "_"), CHART_MANIFEST_TYPES), `chart ${name} ${version}`);
        }
        const idx = await this.index(location);
        if ("verdict" in idx) return idx.verdict;
        let entries: IndexEntry[] | undefined;
        try {
            entries = idx.entries(name);
        } catch (e) {
            return error(`${idx.url} cannot be read: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
        }
        const moved = (v: Verdict): Verdict =>
            idx.movedTo ? { ...v, status: "moved", now: idx.movedTo, detail: `the repository redirects permanently to ${idx.movedTo} (there: ${v.status === "found" ? "found" : v.detail})` } : v;
        if (!entries) return moved(missing(`${idx.url} has no chart ${name}`));
        const entry = entries.find((e) => sameChartVersion(e.version, version));
        if (!entry) {
            const newest = entries.slice(0, 3).map((e) => e.version).join(", ");
            return moved(missing(`${idx.url} lists no ${name} ${version}${newest ? ` (its first entries: ${newest})` : ""}`));
        }
        const deprecated = entry.deprecated ? "; the repository marks it deprecated" : "";
        if (!this.opts.archives || entry.urls.length === 0) return moved(found(`listed in ${idx.url}${deprecated}`));
        // The archive the index points at (relative URLs are relative to the repository).
        const archive = new URL(entry.urls[0], `${location}/`).toString();
        // The repository's own move is already known from its index: the archive is only there or not.
        const v = presence(await download(this.net, archive), `archive of ${name} ${version}`);
        if (v.status === "found") return moved(found(`listed in ${idx.url}, archive ${archive} answers${deprecated}`));
        if (v.status === "missing") return moved(missing(`listed in ${idx.url}, but not its archive: ${v.detail}`));
        return moved(v);
    }

    async imageAt(name: string, reference: string): Promise<Verdict> {
        const n = normalizeImage(`${name}${reference.includes(":") ? "@" : ":"}${reference}`);
        if (!n) return error(`${name}:${reference} is not an image reference`);
        return presenceVerdict(await manifest(this.net, n.registry, n.repository, n.reference, IMAGE_MANIFEST_TYPES), `image ${n.ref}`);
    }

    private async at(a: Artifact, location: string, name: string): Promise<Verdict> {
        if (a.kind === "chart") return this.chartAt(location, name, a.version);
        if (a.kind === "image") return this.imageAt(name, a.version);
        const what = a.kind === "cli" ? `Pulumi CLI v${a.version}` : a.kind === "manifest" ? `${a.name} ${a.version}` : `plugin ${a.name} v${a.version}`;
        return presenceVerdict(await download(this.net, location), what);
    }

    /** The verdict for one artifact; never throws. */
    async check(a: Artifact): Promise<Verdict> {
        try {
            const r = relocation(a);
            if (!r) {
                return await this.at(a, a.location, a.name);
            }
            // Retired by name: moved whatever the old host answers today; is it where it lives now?
            const now = r.now[0];
            const there = await this.at(a, a.kind === "chart" ? now : a.location, a.kind === "chart" ? a.name : now);
            const where = a.kind === "chart" ? `${now} (chart ${a.name} ${a.version})` : `${now}${a.version.includes(":") ? "@" : ":"}${a.version}`;
            const thereText =
                there.status === "found" ? "found there" : there.status === "missing" ? `not there either: ${there.detail}` : `could not check there: ${there.detail}`;
            return { status: "moved", now: where, detail: `${r.retired.note}; now at ${where}${r.now.length > 1 ? ` (or ${r.now.slice(1).join(", ")})` : ""}: ${thereText}`, reached: there.reached, ...(there.unreachable ? { unreachable: true } : {}) };
        } catch (e) {
            return error(`istio-mesh failed checking it: ${e instanceof Error ? e.message : String(e)}`);
        }
    }
}

/** Runs `fn` over the items with at most `limit` at a time, in order of the results' arrival for `onDone`. */
export async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>, onDone?: (item: T, result: R, done: number) => void): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    let done = 0;
    const worker = async () => {
        for (;;) {
            const i = next++;
            if (i >= items.length) return;
            results[i] = await fn(items[i]);
            done++;
            onDone?.(items[i], results[i], done);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}

export interface CheckSummary {
    /**
     * 0 all found; 1 something missing or moved; 2 something could not be checked and nothing is known
     * missing, or no host answered at all (offline: even retirements known by name wait for a real check).
     */
    code: 0 | 1 | 2;
    counts: Record<Status, number>;
    /** No server answered at all: every host was unreachable. */
    offline: boolean;
}

export function summarize(checked: Checked[]): CheckSummary {
    const counts: Record<Status, number> = { found: 0, missing: 0, moved: 0, error: 0 };
    for (const c of checked) counts[c.verdict.status]++;
    const offline = checked.length > 0 && checked.every((c) => !c.verdict.reached) && checked.some((c) => c.verdict.unreachable);
    const code = offline ? 2 : counts.missing + counts.moved > 0 ? 1 : counts.error > 0 ? 2 : 0;
    return { code, counts, offline };
}
