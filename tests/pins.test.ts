/**
 * The pins checks over real HTTP, offline: one local server (tests/helpers/fakeRegistries.ts) plays
 * every Helm repository, OCI registry (with Docker Hub's and ghcr.io's anonymous token handshake),
 * token service and download server, with recorded-style answers: found, 404, 401 without a token,
 * 429, 301 to another host, a server that never answers. Drives the Checker, the real `pins` command
 * (through cli/run's dispatch, and once as a child process with no network) and preflight's chart check.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { defaultTools, Tools } from "../commands/stack";
import type { MeshEngine } from "../engine/engine";
import { K3D_SUPPORTED, preflight, System } from "../preflight/preflight";
import { commands } from "../cli/main";
import { parseArgs, run } from "./helpers/stackCommands";
import { PrerequisiteError } from "../cli/errors";
import { dispatch } from "../cli/run";
import { Artifact, normalizeImage } from "../supplychain/artifacts";
import { Checked, Checker, summarize, Verdict } from "../supplychain/check";
import { inventoryOfStack } from "../commands/pins";
import { Fetch, OVERRIDE_ENV, parseRoutes, Routes } from "../supplychain/http";
import { mergeInventories } from "../supplychain/inventory";
import { checkPinnedArtifacts } from "../supplychain/preflightCheck";
import { relocation } from "../supplychain/retired";
import { installedToolPins } from "../supplychain/toolPins";
import { config } from "./helpers/config";
import { FakeRegistries } from "./helpers/fakeRegistries";

const ROOT = path.resolve(__dirname, "..");
const realFetch: Fetch = (url, init) => globalThis.fetch(url, init);
const REPO = "https://charts.example.org/stable";

const chart = (name: string, version: string, location = REPO): Artifact => ({ kind: "chart", name, version, location, why: "the test's chart", stacks: ["dev"] });
function image(ref: string): Artifact {
    const n = normalizeImage(ref)!;
    return { kind: "image", name: `${n.registry}/${n.repository}`, version: n.reference, location: n.registry, why: "the test's image", stacks: ["dev"], image: { registry: n.registry, repository: n.repository, reference: n.reference, puller: "cluster", pods: 1 } };
}
const download = (url: string): Artifact => ({ kind: "plugin", name: "kubernetes", version: "4.34.2", location: url, why: "the test's plugin", stacks: ["dev"] });

/** A port nothing listens on: connections are refused, as with no network. */
async function closedPort(): Promise<number> {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    return port;
}

describe("pins: the checks over HTTP (a local server plays every host)", function () {
    this.timeout(15000);
    let world: FakeRegistries;
    beforeEach(async () => (world = await new FakeRegistries().start()));
    afterEach(async () => world.stop());

    const checker = (timeoutMs = 1000, archives = true) => new Checker({ fetch: realFetch, routes: parseRoutes(world.override) as Routes, timeoutMs }, { archives });

    describe("one artifact, one verdict", () => {
        const rows: { name: string; setup: (w: FakeRegistries) => void; artifact: Artifact; status: Verdict["status"]; detail: RegExp; now?: string; timeoutMs?: number; more?: (v: Verdict, w: FakeRegistries) => void }[] = [
            { name: "a chart in its repository's index, its archive there", setup: (w) => w.chart(REPO, "base", "1.30.4", "1.30.5"), artifact: chart("base", "1.30.5"), status: "found", detail: /listed in https:\/\/charts\.example\.org\/stable\/index\.yaml, archive https:\/\/charts\.example\.org\/stable\/base-1\.30\.5\.tgz answers/ },
            { name: "a chart version the index does not list", setup: (w) => w.chart(REPO, "base", "1.30.4"), artifact: chart("base", "1.30.5"), status: "missing", detail: /lists no base 1\.30\.5 \(its first entries: 1\.30\.4\)/ },
            { name: "a chart the index does not have", setup: (w) => w.chart(REPO, "gateway", "1.30.5"), artifact: chart("base", "1.30.5"), status: "missing", detail: /has no chart base/ },
            { name: "no index at all (404)", setup: () => undefined, artifact: chart("base", "1.30.5"), status: "missing", detail: /index\.yaml answers 404: no Helm repository there/ },
            {
                name: "listed, but its archive is gone",
                setup: (w) => {
                    w.chart(REPO, "base", "1.30.5");
                    w.files.delete(`${REPO}/base-1.30.5.tgz`);
                },
                artifact: chart("base", "1.30.5"),
                status: "missing",
                detail: /listed in .*index\.yaml, but not its archive: https:\/\/charts\.example\.org\/stable\/base-1\.30\.5\.tgz answers 404/,
            },
            {
                name: "the archive on another host (GitHub releases style) behind a temporary redirect",
                setup: (w) => {
                    w.archiveBase.set(REPO, "https://github.example/releases/download");
                    w.chart(REPO, "prometheus", "28.13.0");
                    w.files.delete("https://github.example/releases/download/prometheus-28.13.0.tgz");
                    w.files.add("https://objects.example/signed/prometheus-28.13.0.tgz");
                    w.on("https://github.example/releases/download/prometheus-28.13.0.tgz", { kind: "redirect", status: 302, to: "https://objects.example/signed/prometheus-28.13.0.tgz" });
                },
                artifact: chart("prometheus", "28.13.0"),
                status: "found",
                detail: /archive https:\/\/github\.example\/releases\/download\/prometheus-28\.13\.0\.tgz answers/,
            },
            {
                name: "the repository redirects permanently to another host (301): moved, and found there",
                setup: (w) => {
                    w.on(`${REPO}/*`, { kind: "redirect", status: 301, to: "https://charts.example.net/stable/*" });
                    w.chart("https://charts.example.net/stable", "base", "1.30.5");
                },
                artifact: chart("base", "1.30.5"),
                status: "moved",
                now: "https://charts.example.net/stable",
                detail: /the repository redirects permanently to https:\/\/charts\.example\.net\/stable \(there: found\)/,
            },
            {
                name: "a temporary redirect (302) to another host is followed, not a move",
                setup: (w) => {
                    w.on(`${REPO}/*`, { kind: "redirect", status: 302, to: "https://cdn.example.net/stable/*" });
                    w.chart("https://cdn.example.net/stable", "base", "1.30.5");
                },
                artifact: chart("base", "1.30.5"),
                status: "found",
                detail: /listed in https:\/\/cdn\.example\.net\/stable\/index\.yaml/,
            },
            {
                name: "a relative permanent redirect stays on the host: followed, not a move",
                setup: (w) => {
                    w.on(`${REPO}/index.yaml`, { kind: "redirect", status: 301, to: "/stable-v2/index.yaml" });
                    w.chart("https://charts.example.org/stable-v2", "base", "1.30.5");
                    w.files.add(`${REPO}/base-1.30.5.tgz`);
                },
                artifact: chart("base", "1.30.5"),
                status: "found",
                detail: /listed in https:\/\/charts\.example\.org\/stable-v2\/index\.yaml/,
            },
            {
                name: "the repository rate-limits (429): an error that says so, never missing",
                setup: (w) => w.on(`${REPO}/index.yaml`, { kind: "status", status: 429, headers: { "Retry-After": "30" } }),
                artifact: chart("base", "1.30.5"),
                status: "error",
                detail: /rate limited by charts\.example\.org \(HTTP 429, retry after 30 s\): this says nothing about the artifact/,
                more: (v) => expect(v.rateLimited).to.equal(true),
            },
            { name: "the repository fails (503)", setup: (w) => w.on(`${REPO}/index.yaml`, { kind: "status", status: 503 }), artifact: chart("base", "1.30.5"), status: "error", detail: /charts\.example\.org failed \(HTTP 503\)/ },
            {
                name: "the repository never answers: bounded by the deadline",
                setup: (w) => w.on(`${REPO}/index.yaml`, { kind: "hang" }),
                artifact: chart("base", "1.30.5"),
                status: "error",
                timeoutMs: 300,
                detail: /cannot reach charts\.example\.org: no answer within 0\.3 s/,
                more: (v) => expect([v.unreachable, v.reached]).to.deep.equal([true, false]),
            },
            {
                name: "a Docker Hub image: 401 without a token, the anonymous token, the retry",
                setup: (w) => w.image("docker.io", "library/nginx", "1.30.4-alpine"),
                artifact: image("nginx:1.30.4-alpine"),
                status: "found",
                detail: /registry-1\.docker\.io\/v2\/library\/nginx\/manifests\/1\.30\.4-alpine answers 200/,
                more: (_v, w) =>
                    expect(w.log).to.deep.equal([
                        "HEAD https://registry-1.docker.io/v2/library/nginx/manifests/1.30.4-alpine",
                        "GET https://auth.docker.io/token",
                        "HEAD https://registry-1.docker.io/v2/library/nginx/manifests/1.30.4-alpine",
                    ]),
            },
            { name: "a tag the registry does not have (404)", setup: (w) => w.image("docker.io", "fortio/fortio", "1.60.2"), artifact: image("docker.io/fortio/fortio:1.60.3"), status: "missing", detail: /manifests\/1\.60\.3 answers 404: no image docker\.io\/fortio\/fortio:1\.60\.3 there/ },
            {
                name: "the token service refuses an anonymous token (a private or unknown ghcr.io package)",
                setup: (w) => {
                    w.image("ghcr.io", "me/private", "1.0.0");
                    w.registries.get("ghcr.io")!.tokenStatus = 403;
                },
                artifact: image("ghcr.io/me/private:1.0.0"),
                status: "missing",
                detail: /the token service ghcr\.io refused an anonymous token \(HTTP 403\): not pullable anonymously \(missing or private\)/,
            },
            {
                name: "401 with no Bearer challenge to answer",
                setup: (w) => w.on("https://quay.io/v2/me/app/manifests/1.0.0", { kind: "status", status: 401 }),
                artifact: image("quay.io/me/app:1.0.0"),
                status: "missing",
                detail: /answers 401 to an anonymous request: image quay\.io\/me\/app:1\.0\.0 is missing or private/,
            },
            { name: "a registry that answers anonymously (quay.io)", setup: (w) => w.image("quay.io", "kiali/kiali", "v2.26.0"), artifact: image("quay.io/kiali/kiali:v2.26.0"), status: "found", detail: /answers 200/ },
            {
                name: "Docker Hub rate-limits the manifest (429)",
                setup: (w) => w.on("https://registry-1.docker.io/v2/*", { kind: "status", status: 429 }),
                artifact: image("nginx:1.30.4-alpine"),
                status: "error",
                detail: /rate limited by registry-1\.docker\.io \(HTTP 429\)/,
            },
            {
                name: "a manifest redirected permanently to another registry: moved, found there",
                setup: (w) => {
                    w.on("https://quay.io/v2/me/app/manifests/1.0.0", { kind: "redirect", status: 301, to: "https://mirror.example.net/v2/me/app/manifests/1.0.0" });
                    w.image("mirror.example.net", "me/app", "1.0.0");
                },
                artifact: image("quay.io/me/app:1.0.0"),
                status: "moved",
                now: "https://mirror.example.net/v2/me/app/manifests/1.0.0",
                detail: /permanently redirected to https:\/\/mirror\.example\.net\/v2\/me\/app\/manifests\/1\.0\.0 \(there: found\)/,
            },
            { name: "an OCI chart (ghcr.io, with the handshake)", setup: (w) => w.image("ghcr.io", "istio/release/charts/base", "1.30.5"), artifact: chart("base", "1.30.5", "oci://ghcr.io/istio/release/charts"), status: "found", detail: /ghcr\.io\/v2\/istio\/release\/charts\/base\/manifests\/1\.30\.5 answers 200/ },
            { name: "an OCI chart version with +build is the tag with _", setup: (w) => w.image("ghcr.io", "me/charts/app", "1.0.0_b7"), artifact: chart("app", "1.0.0+b7", "oci://ghcr.io/me/charts"), status: "found", detail: /manifests\/1\.0\.0_b7 answers 200/ },
            {
                name: "a chart at Istio's retired bucket: moved before any request there, found where it lives now",
                setup: (w) => w.chart("https://blob.istio.io/istio-release/charts", "base", "1.30.5"),
                artifact: chart("base", "1.30.5", "https://istio-release.storage.googleapis.com/charts"),
                status: "moved",
                now: "https://blob.istio.io/istio-release/charts (chart base 1.30.5)",
                detail: /retired its Google Cloud Storage bucket.*now at https:\/\/blob\.istio\.io\/istio-release\/charts \(chart base 1\.30\.5\) \(or oci:\/\/ghcr\.io\/istio\/release\/charts\): found there/,
                more: (_v, w) => expect(w.log.some((l) => l.includes("googleapis"))).to.equal(false),
            },
            { name: "retired, and not at the new place either", setup: () => undefined, artifact: chart("base", "1.30.9", "https://istio-release.storage.googleapis.com/charts"), status: "moved", detail: /not there either: .*index\.yaml answers 404/ },
            { name: "an image at the retired registry.istio.io: moved to docker.io/istio", setup: (w) => w.image("docker.io", "istio/pilot", "1.30.5"), artifact: image("registry.istio.io/release/pilot:1.30.5"), status: "moved", now: "docker.io/istio/pilot:1.30.5", detail: /now at docker\.io\/istio\/pilot:1\.30\.5: found there/ },
            {
                name: "a download: one byte of it (206)",
                setup: (w) => w.files.add("https://get.pulumi.com/releases/plugins/pulumi-resource-kubernetes-v4.34.2-linux-amd64.tar.gz"),
                artifact: download("https://get.pulumi.com/releases/plugins/pulumi-resource-kubernetes-v4.34.2-linux-amd64.tar.gz"),
                status: "found",
                detail: /answers 206/,
            },
            {
                name: "a download S3 refuses (403, as for a key that does not exist)",
                setup: (w) => w.on("https://get.pulumi.com/releases/plugins/*", { kind: "status", status: 403, body: "<Error><Code>AccessDenied</Code></Error>" }),
                artifact: download("https://get.pulumi.com/releases/plugins/pulumi-resource-kubernetes-v9.9.9-linux-amd64.tar.gz"),
                status: "missing",
                detail: /answers 403 to an anonymous request: plugin kubernetes v4\.34\.2 is missing or private/,
            },
        ];
        for (const r of rows) {
            it(`${r.name}: ${r.status}`, async () => {
                r.setup(world);
                const started = Date.now();
                const v = await checker(r.timeoutMs).check(r.artifact);
                expect(v.status, v.detail).to.equal(r.status);
                expect(v.detail).to.match(r.detail);
                if (r.now) expect(v.now).to.equal(r.now);
                r.more?.(v, world);
                expect(Date.now() - started, "bounded").to.be.lessThan(2000);
            });
        }

        it("connection refused: unreachable, not missing", async () => {
            const port = await closedPort();
            const c = new Checker({ fetch: realFetch, routes: parseRoutes(`*=http://127.0.0.1:${port}`) as Routes, timeoutMs: 1000 });
            const v = await c.check(chart("base", "1.30.5"));
            expect(v).to.include({ status: "error", unreachable: true, reached: false });
            expect(v.detail).to.match(/cannot reach charts\.example\.org: ECONNREFUSED/);
        });

        it("one index request per repository, whatever the number of its charts", async () => {
            world.chart(REPO, "base", "1.30.5").chart(REPO, "istiod", "1.30.5").chart(REPO, "gateway", "1.30.5");
            const c = checker(1000, false);
            const vs = await Promise.all(["base", "istiod", "gateway"].map((n) => c.check(chart(n, "1.30.5"))));
            expect(vs.map((v) => v.status)).to.deep.equal(["found", "found", "found"]);
            expect(world.log).to.deep.equal([`GET ${REPO}/index.yaml`]);
        });
    });

    describe("exit codes from the verdicts", () => {
        const v = (status: Verdict["status"], more: Partial<Verdict> = {}): Checked => ({ artifact: chart("base", "1"), verdict: { status, detail: "", reached: true, ...more } });
        const rows: { name: string; checked: Checked[]; code: number; offline: boolean }[] = [
            { name: "all found", checked: [v("found"), v("found")], code: 0, offline: false },
            { name: "one missing", checked: [v("found"), v("missing"), v("error")], code: 1, offline: false },
            { name: "one moved", checked: [v("found"), v("moved")], code: 1, offline: false },
            { name: "could not check one, nothing missing", checked: [v("found"), v("error", { rateLimited: true })], code: 2, offline: false },
            { name: "no host answered: offline, even with a retirement known by name", checked: [v("error", { reached: false, unreachable: true }), v("moved", { reached: false, unreachable: true })], code: 2, offline: true },
        ];
        for (const r of rows) it(`${r.name}: exit ${r.code}`, () => expect(summarize(r.checked)).to.deep.include({ code: r.code, offline: r.offline }));
    });

    describe("npm run pins (the real command through cli/run, every host here)", () => {
        const tools = installedToolPins(ROOT, K3D_SUPPORTED.tested);
        const inventory = () => mergeInventories(["dev", "cloud"].map((s) => inventoryOfStack(ROOT, s, tools))).artifacts;
        async function pins(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
            let out = "";
            let err = "";
            const code = await dispatch(commands, ["pins", ...args], { io: { out: (t) => (out += t), err: (t) => (err += t) }, env: { [OVERRIDE_ENV]: world.override, ...env }, projectRoot: ROOT });
            return { code, out, err };
        }
        /** What the verdicts must be when every artifact is served where it lives now. */
        const expected = (a: Artifact) => (relocation(a) ? "moved" : "found");

        it("everything where it lives: found, or (for a retired location the pins still name) moved and found there", async () => {
            const artifacts = inventory();
            world.serve(artifacts);
            const r = await pins(["dev", "cloud", "--json"]);
            const doc = JSON.parse(r.out) as { summary: { exitCode: number }; artifacts: (Artifact & { status: string; detail: string })[] };
            expect(doc.artifacts.map((a) => `${a.kind} ${a.name} ${a.version}: ${a.status}`)).to.deep.equal(artifacts.map((a) => `${a.kind} ${a.name} ${a.version}: ${expected(a)}`));
            for (const a of doc.artifacts.filter((x) => x.status === "moved")) expect(a.detail).to.match(/found there$/);
            const anyMoved = artifacts.some((a) => relocation(a));
            expect(r.code, r.err).to.equal(anyMoved ? 1 : 0);
            expect(doc.summary.exitCode).to.equal(r.code);
            // Progress: one line per artifact on stderr, then the verdict line.
            expect(r.err.match(/^pins: \[ *\d+\/\d+\] /gm)).to.have.length(artifacts.length);
            expect(r.err).to.include(`pins: ${artifacts.length} artifacts of stacks dev, cloud: ${artifacts.length - doc.artifacts.filter((a) => a.status === "moved").length} found`);
        });

        it("a pinned image tag that is gone: its row says missing and why the lab needs it; exit 1", async () => {
            world.serve(inventory());
            world.registries.get("registry-1.docker.io")!.repos.get("fortio/fortio")!.clear();
            const r = await pins(["dev"]);
            expect(r.code).to.equal(1);
            const lines = r.out.split("\n");
            const row = lines.findIndex((l) => /^missing +image +docker\.io\/fortio\/fortio:1\.60\.3 /.test(l));
            expect(row, r.out).to.be.greaterThan(0);
            expect(lines[row + 1]).to.match(/^ {4}https:\/\/registry-1\.docker\.io\/v2\/fortio\/fortio\/manifests\/1\.60\.3 answers 404/);
            expect(lines[row + 2]).to.match(/^ {4}needed for: a workload of the lab \(fortio in namespace default\)/);
        });

        it("Docker Hub rate-limits everything: those rows are errors (rate limited), never missing", async () => {
            const artifacts = inventory();
            world.serve(artifacts).on("https://registry-1.docker.io/v2/*", { kind: "status", status: 429, headers: { "Retry-After": "3600" } });
            const r = await pins(["dev", "--json"]);
            const doc = JSON.parse(r.out) as { artifacts: (Artifact & { status: string; detail: string })[] };
            const hub = doc.artifacts.filter((a) => a.kind === "image" && a.name.startsWith("docker.io/") && !relocation(a));
            expect(hub.length).to.be.greaterThan(5);
            for (const a of hub) expect([a.status, a.detail]).to.match(/error|rate limited by registry-1\.docker\.io \(HTTP 429, retry after 3600 s\)/);
            expect(hub.every((a) => a.status === "error" && /rate limited/.test(a.detail))).to.equal(true);
            const anyMoved = doc.artifacts.some((a) => a.status === "moved");
            expect(r.code).to.equal(anyMoved ? 1 : 2);
            if (!anyMoved) expect(r.err.trim().split("\n").pop()).to.match(/^pins: could not check \d+ artifacts: rate limited by registry-1\.docker\.io/);
        });

        it("a registry that never answers: its rows time out after --timeout, the rest is checked", async () => {
            world.serve(inventory()).on("https://quay.io/*", { kind: "hang" });
            const started = Date.now();
            const r = await pins(["dev", "--json", "--timeout", "1", "--concurrency", "32"]);
            expect(Date.now() - started).to.be.lessThan(5000);
            const doc = JSON.parse(r.out) as { artifacts: (Artifact & { status: string; detail: string })[] };
            const quay = doc.artifacts.filter((a) => a.location === "quay.io");
            expect(quay.length).to.be.greaterThan(0);
            for (const a of quay) expect(a.detail).to.equal("cannot reach quay.io: no answer within 1 s");
            expect(doc.artifacts.filter((a) => a.location !== "quay.io").every((a) => a.status !== "error")).to.equal(true);
        });

        it("--list prints the inventory and asks nothing", async () => {
            const r = await pins(["dev", "--list"]);
            expect(r.code).to.equal(0);
            expect(r.out.split("\n")[0]).to.match(/^KIND +ARTIFACT +WHERE +STACKS +WHY$/);
            expect(r.out).to.match(/^chart +istiod /m).and.match(/^plugin +kubernetes /m);
            expect(world.log).to.deep.equal([]);
        });

        it("usage errors exit 2 before any request: a bad override, --concurrency 0, an unknown stack, a misspelt flag", async () => {
            expect((await pins(["dev"], { [OVERRIDE_ENV]: "127.0.0.1" })).err).to.match(/ISTIO_MESH_PINS_REGISTRY_OVERRIDE: "127\.0\.0\.1" is not <host>=<http\(s\) base URL>/);
            for (const args of [["dev"], ["--concurrency", "0"], ["staging"], ["--jsno"]]) {
                const r = await pins(args, args[0] === "dev" ? { [OVERRIDE_ENV]: "127.0.0.1" } : {});
                expect(r.code, `${args.join(" ")}: ${r.err}`).to.equal(2);
            }
            expect((await pins(["staging"])).err).to.match(/no stack "staging"/);
            expect(world.log).to.deep.equal([]);
        });

        it("--help answers without reading a stack or asking anything", async () => {
            const r = await pins(["--help"]);
            expect(r.code).to.equal(0);
            expect(r.out).to.include("usage: npm run pins -- [<stack>…] [options]").and.include("ISTIO_MESH_PINS_REGISTRY_OVERRIDE");
            expect(world.log).to.deep.equal([]);
        });
    });

    describe("preflight: the pinned charts before up/preview (one request per repository, short deadline)", () => {
        const netTo = (base: string, timeoutMs = 1000) => ({ fetch: realFetch, env: { [OVERRIDE_ENV]: `*=${base}` }, timeoutMs });
        const rows: { name: string; setup: (w: FakeRegistries) => void; artifacts: Artifact[]; problems: RegExp[]; warnings: RegExp[]; timeoutMs?: number; requests?: number }[] = [
            { name: "every chart listed", setup: (w) => w.chart(REPO, "base", "1.30.5").chart(REPO, "istiod", "1.30.5"), artifacts: [chart("base", "1.30.5"), chart("istiod", "1.30.5")], problems: [], warnings: [], requests: 1 },
            {
                name: "a chart version the repository does not list: refused, naming it and the fix",
                setup: (w) => w.chart(REPO, "base", "1.30.4"),
                artifacts: [chart("base", "1.30.5")],
                problems: [/^chart base 1\.30\.5 \(the test's chart\) is not in its repository https:\/\/charts\.example\.org\/stable: .*lists no base 1\.30\.5.*Pin a version the repository lists: move the pin in config\/versions\.ts/],
                warnings: [],
            },
            { name: "a repository with no index (404): refused", setup: () => undefined, artifacts: [chart("base", "1.30.5")], problems: [/is not in its repository .*answers 404/], warnings: [] },
            {
                name: "a chart at a retired host: refused without asking it, naming where it lives now",
                setup: () => undefined,
                artifacts: [chart("base", "1.30.5", "https://istio-release.storage.googleapis.com/charts")],
                problems: [/^chart base 1\.30\.5 \(the test's chart\) is pinned at https:\/\/istio-release\.storage\.googleapis\.com\/charts, which is retired: .*It lives now at https:\/\/blob\.istio\.io\/istio-release\/charts or oci:\/\/ghcr\.io\/istio\/release\/charts/],
                warnings: [],
                requests: 0,
            },
            { name: "an image at a retired registry: refused (by name, no request)", setup: () => undefined, artifacts: [image("registry.istio.io/release/proxyv2:1.30.5")], problems: [/image registry\.istio\.io\/release\/proxyv2:1\.30\.5 .*lives now at docker\.io\/istio\/proxyv2/], warnings: [], requests: 0 },
            { name: "rate limited (429): a warning, and on", setup: (w) => w.on(`${REPO}/index.yaml`, { kind: "status", status: 429 }), artifacts: [chart("base", "1.30.5")], problems: [], warnings: [/could not check the pinned charts \(rate limited by charts\.example\.org \(HTTP 429\).*continuing/] },
            { name: "no answer in time: a warning within the deadline", setup: (w) => w.on(`${REPO}/index.yaml`, { kind: "hang" }), artifacts: [chart("base", "1.30.5")], problems: [], warnings: [/could not check the pinned charts \(cannot reach charts\.example\.org: no answer within 0\.3 s\); continuing/], timeoutMs: 300 },
            {
                name: "moved by a permanent redirect Helm follows: a warning",
                setup: (w) => {
                    w.on(`${REPO}/index.yaml`, { kind: "redirect", status: 301, to: "https://charts.example.net/stable/index.yaml" });
                    w.chart("https://charts.example.net/stable", "base", "1.30.5");
                },
                artifacts: [chart("base", "1.30.5")],
                problems: [],
                warnings: [/chart base 1\.30\.5: the repository redirects permanently to https:\/\/charts\.example\.net\/stable \(there: found\); Helm follows the redirect/],
            },
        ];
        for (const r of rows) {
            it(`${r.name}`, async () => {
                r.setup(world);
                const got = await checkPinnedArtifacts(r.artifacts, netTo(world.base, r.timeoutMs));
                expect(got.problems).to.have.length(r.problems.length);
                r.problems.forEach((p, i) => expect(got.problems[i]).to.match(p));
                expect(got.warnings).to.have.length(r.warnings.length);
                r.warnings.forEach((w, i) => expect(got.warnings[i]).to.match(w));
                if (r.requests !== undefined) expect(world.log).to.have.length(r.requests);
            });
        }

        it("no network at all: one warning line, no problem", async () => {
            const port = await closedPort();
            const got = await checkPinnedArtifacts([chart("base", "1.30.5"), chart("kiali-server", "2.26.0", "https://kiali.org/helm-charts")], netTo(`http://127.0.0.1:${port}`));
            expect(got.problems).to.deep.equal([]);
            expect(got.warnings).to.have.length(1);
            expect(got.warnings[0]).to.match(/could not check the pinned charts \(cannot reach charts\.example\.org: ECONNREFUSED; cannot reach kiali\.org: ECONNREFUSED\); continuing/);
        });

        /** A machine with docker, k3d and free ports whose HTTP goes to the local server. */
        function machine(env: Record<string, string>, tools = ["docker", "k3d"]): System & { warnings: string[] } {
            const warnings: string[] = [];
            return {
                warnings,
                env,
                homeDir: "/home/u",
                which: (c) => (tools.includes(c) ? `/usr/bin/${c}` : undefined),
                exec: (_c, args) => (args[0] === "version" ? { status: 0, stdout: "k3d version v5.9.0", stderr: "" } : args[0] === "cluster" ? { status: 1, stdout: "", stderr: "No nodes found" } : { status: 0, stdout: "28.2.2\n", stderr: "" }),
                portBusy: async () => undefined,
                exists: () => false,
                kubeApi: async () => ({ ok: true, server: "https://10.0.0.1" }),
                fetch: realFetch,
                warn: (l) => warnings.push(l),
            };
        }

        it("up refuses a stack whose chart version is gone, before anything is created", async () => {
            const cfg = config();
            world.serve(inventoryOfStack(ROOT, "dev", { plugins: [], platform: { os: "linux", arch: "amd64" } }).artifacts);
            for (const charts of world.helm.values()) if (charts.has("kiali-server")) charts.set("kiali-server", ["2.25.0"]);
            let error: unknown;
            try {
                await preflight(cfg, "up", machine({ [OVERRIDE_ENV]: world.override }));
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(PrerequisiteError);
            expect((error as Error).message).to.match(/nothing was created/).and.match(/chart kiali-server 2\.26\.0 \(the kiali addon \(istio-mesh:addons\.kiali\)\) is not in its repository https:\/\/kiali\.org\/helm-charts: .*lists no kiali-server 2\.26\.0 \(its first entries: 2\.25\.0\)/);
        });

        it("a machine that is not ready (no docker): the repositories are not asked", async () => {
            world.serve(inventoryOfStack(ROOT, "dev", { plugins: [], platform: { os: "linux", arch: "amd64" } }).artifacts);
            await preflight(config(), "up", machine({ [OVERRIDE_ENV]: world.override }, ["k3d"])).catch((e: Error) => expect(e.message).to.include("'docker' is not installed"));
            expect(world.log).to.deep.equal([]);
        });

        it("down does not run the program: nothing asked", async () => {
            await preflight(config(), "down", machine({ [OVERRIDE_ENV]: world.override })).catch(() => undefined);
            expect(world.log).to.deep.equal([]);
        });
    });

    describe("up prints the pull figure before it starts", () => {
        let root: string;
        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "pins-up-"));
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config: {}\n");
            fs.writeFileSync(path.join(root, "Pulumi.lab.yaml"), "config:\n  istio-mesh:cluster: {kind: kubeconfig, context: lab}\n  istio-mesh:images: {servicex: {image: ghcr.io/example/servicex:1.0.0}}\n");
        });
        afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
        const engine = async (): Promise<MeshEngine> => ({ up: async () => ({ summary: {}, outputs: {} }), preview: async () => ({ summary: {} }), destroy: async () => ({ summary: {} }) });

        async function runIt(argv: string[]): Promise<{ err: string; atPreflight: string }> {
            let err = "";
            let atPreflight = "";
            const tools: Tools = { ...defaultTools, preflight: async () => void (atPreflight = err), pulumiCli: async () => undefined };
            await run(parseArgs(argv), { PULUMI_CONFIG_PASSPHRASE: "x" }, { out: () => undefined, err: (t) => (err += t) }, engine, root, tools);
            return { err, atPreflight };
        }

        it("on a k3d stack: up to how many images from Docker Hub against the anonymous limit, before the preflight", async () => {
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  istio-mesh:cluster: {registryCache: {enabled: false}}\n");
            const r = await runIt(["up"]);
            expect(r.atPreflight).to.match(/^istio-mesh: a cold up of stack "dev" \(a new cluster of 3 nodes\) pulls up to \d+ images from Docker Hub \(anonymous limit: 10 an hour per IP address\) and \d+ from other registries \(ghcr\.io 2, /m);
        });
        it("with the registry cache (the dev default), Docker Hub's images count once, through the cache", async () => {
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  istio-mesh:cluster: {registryCache: {enabled: false}}\n");
            const uncached = Number(/pulls up to (\d+) images from Docker Hub/.exec((await runIt(["up"])).err)?.[1] ?? "NaN");
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config: {}\n");
            const r = await runIt(["up"]);
            expect(r.atPreflight).to.match(/pulls up to \d+ images from Docker Hub \(through the pull-through cache: docker\.io\) \(anonymous limit/);
            const cached = Number(/pulls up to (\d+) images from Docker Hub/.exec(r.err)?.[1]);
            expect(cached).to.be.lessThan(uncached);
        });
        it("not on preview, nor off k3d", async () => {
            expect((await runIt(["preview"])).err).to.not.include("a cold up");
            expect((await runIt(["up", "--stack", "lab"])).err).to.not.include("a cold up");
        });
    });

    it("the real entry point as a child process with no network: exit 2, cannot check", async () => {
        const port = await closedPort();
        const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            execFile(
                process.execPath,
                ["--import", "tsx", path.join(ROOT, "cli", "main.ts"), "pins", "dev", "--timeout", "1"],
                { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: ROOT, [OVERRIDE_ENV]: `*=http://127.0.0.1:${port}` }, timeout: 30000 },
                (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
            );
        });
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr.trim().split("\n").pop()).to.match(/^pins: cannot check: no network \(no host answered; e\.g\. cannot reach [^ ]+: ECONNREFUSED/);
        expect(r.stdout).to.match(/^STATUS +KIND +ARTIFACT +WHERE +STACKS$/m);
        expect(r.stdout).to.not.match(/^found /m);
    });
});
