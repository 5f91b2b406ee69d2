/**
 * npm run gateway-api-crds: only bytes matching the pinned sha256 and size are ever written under
 * vendor/gateway-api/; downloads are tried against a local server on 127.0.0.1 (never the network).
 */
import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { createServer, Server } from "http";
import type { AddressInfo } from "net";
import { tmpdir } from "os";
import * as path from "path";
import { manifestPath, sha256 } from "../analysis/gatewayApi/manifest";
import { OperationError, PrerequisiteError, UsageError } from "../cli/errors";
import type { Context } from "../cli/run";
import { GATEWAY_API_CRDS } from "../config/versions";
import { channelOf, download, fetchPinnedManifests, gatewayApiCrdsCommand, writeVerified } from "../commands/gatewayApiCrds";
import { CliArgs, defaultTools, gatedStack, Tools } from "../commands/stack";
import type { MeshConfig } from "../config/types";
import type { Finding } from "../review/comment";

const parsed = (values: Record<string, string | boolean>) => ({ values, positionals: [] });

describe("gateway-api-crds (vendoring the pinned Gateway API manifests)", () => {
    let dir: string;
    let out: string;
    let ctx: Context;
    beforeEach(() => {
        dir = mkdtempSync(path.join(tmpdir(), "gwcrds-"));
        out = "";
        ctx = { io: { out: (t) => (out += t), err: () => undefined }, env: {}, projectRoot: dir };
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const content = Buffer.from("# a manifest\n");
    const lock = { sha256: sha256(content), bytes: content.length };

    it("writes bytes that match the lock, and nothing that does not", () => {
        const dest = path.join(dir, "vendor", "x.yaml");
        expect(() => writeVerified(Buffer.from("# another\n"), lock, dest, "the download")).to.throw(OperationError, /the download is not the pinned manifest: .*Nothing was written/);
        expect(existsSync(dest)).to.equal(false);
        writeVerified(content, lock, dest, "the download");
        expect(readFileSync(dest, "utf8")).to.equal("# a manifest\n");
    });

    describe("download (a local server)", () => {
        let server: Server;
        let base: string;
        before(async () => {
            server = createServer((req, res) => {
                if (req.url === "/release") {
                    res.writeHead(302, { location: "/asset" }).end(); // GitHub redirects release downloads
                } else if (req.url === "/asset") res.writeHead(200).end(content);
                else res.writeHead(404).end();
            });
            await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
            base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        });
        after(() => server.close());

        it("follows the redirect and returns the bytes", async () => expect(Buffer.from(await download(`${base}/release`)).equals(content)).to.equal(true));
        it("an HTTP error is a missing prerequisite (exit 2), with the --from way round it", async () => {
            const e = await download(`${base}/nope`).catch((x) => x);
            expect(e).to.be.instanceOf(PrerequisiteError);
            expect(e.message).to.match(/HTTP 404.*--from <file>/);
        });
        it("an unreachable host too", async () => {
            const e = await download("http://127.0.0.1:9/x").catch((x) => x);
            expect(e).to.be.instanceOf(PrerequisiteError);
            expect(e.message).to.match(/cannot download http:\/\/127\.0\.0\.1:9\/x/);
        });
        it("the command refuses a download that is not the pinned manifest and writes nothing", async () => {
            const served: typeof fetch = (_url, init) => fetch(`${base}/release`, init);
            const e = await gatewayApiCrdsCommand(parsed({ channel: "standard" }), ctx, served).catch((x) => x);
            expect(e).to.be.instanceOf(OperationError);
            expect(e.message).to.match(/standard-install\.yaml is not the pinned manifest: it has 13 bytes, the pinned manifest 1024333/);
            expect(existsSync(manifestPath("standard", dir))).to.equal(false);
        });
    });

    it("--from: refuses a file that is not a pinned manifest, writes nothing", async () => {
        writeFileSync(path.join(dir, "dl.yaml"), "# not it\n");
        const e = await gatewayApiCrdsCommand(parsed({ from: "dl.yaml" }), ctx).catch((x) => x);
        expect(e).to.be.instanceOf(OperationError);
        expect(e.message).to.match(/dl\.yaml \(as the standard channel\) is not the pinned manifest/);
        expect(existsSync(manifestPath("standard", dir))).to.equal(false);
    });

    it("--check: names each missing or wrong manifest (exit 1)", async () => {
        const e = await gatewayApiCrdsCommand(parsed({ check: true }), ctx).catch((x) => x);
        expect(e).to.be.instanceOf(OperationError);
        expect(e.message).to.match(/vendor\/gateway-api\/v1\.5\.1\/standard-install\.yaml is missing/).and.match(/experimental-install\.yaml is missing/);
    });

    it("usage errors: an unknown channel, --check with --from", async () => {
        expect(await gatewayApiCrdsCommand(parsed({ channel: "beta" }), ctx).catch((x) => x)).to.be.instanceOf(UsageError);
        expect(await gatewayApiCrdsCommand(parsed({ check: true, from: "x" }), ctx).catch((x) => x)).to.be.instanceOf(UsageError);
    });

    it("with the vendored manifests of this checkout: --from recognises the channel by digest, --check passes", async function () {
        const real = manifestPath("experimental");
        if (!existsSync(real)) this.skip();
        const bytes = readFileSync(real);
        expect(channelOf(bytes)).to.equal("experimental");
        expect(await gatewayApiCrdsCommand(parsed({ from: real }), ctx)).to.equal(0);
        expect(sha256(readFileSync(manifestPath("experimental", dir)))).to.equal(GATEWAY_API_CRDS.manifests.experimental.sha256);
        writeVerified(readFileSync(manifestPath("standard")), GATEWAY_API_CRDS.manifests.standard, manifestPath("standard", dir), "standard");
        out = "";
        expect(await gatewayApiCrdsCommand(parsed({ check: true }), ctx)).to.equal(0);
        expect(out).to.match(/ok {2}vendor\/gateway-api\/v1\.5\.1\/standard-install\.yaml/);
    });
});

describe("up and preview of a Gateway API stack fetch the pinned CRD manifests once, then gate again", () => {
    const unserved = { code: "GWAPI000", severity: "error", resource: "HTTPRoute default/nginx-vs", path: "", message: "cannot be validated", fix: "npm run gateway-api-crds" };
    const cfg = { stack: "dev" } as unknown as MeshConfig;
    /** A gate that answers GWAPI000 until the manifests are "fetched", and the fetch it records. */
    function tools() {
        const calls: string[] = [];
        let fetched = false;
        const t: Tools = {
            ...defaultTools,
            gate: async () => {
                calls.push("gate");
                return { config: cfg, findings: fetched ? [] : [unserved as Finding] };
            },
            fetchGatewayApiCrds: async () => {
                calls.push("fetch");
                fetched = true;
            },
        };
        return { t, calls };
    }
    const args = (command: "up" | "preview" | "diff" | "verify"): CliArgs => ({ command, stack: "dev", flags: {} });
    const root = path.resolve(__dirname, "..");

    for (const command of ["up", "preview"] as const) {
        it(`${command}: fetches, then the gate's second answer is the one used`, async () => {
            const { t, calls } = tools();
            const r = await gatedStack(args(command), root, t, {});
            expect(calls).to.deep.equal(["gate", "fetch", "gate"]);
            expect(r.findings).to.deep.equal([]);
        });
    }
    for (const command of ["diff", "verify"] as const) {
        it(`${command}: fetches nothing (offline commands), the finding names npm run gateway-api-crds`, async () => {
            const { t, calls } = tools();
            const r = await gatedStack(args(command), root, t, {});
            expect(calls).to.deep.equal(["gate"]);
            expect(r.findings.map((f) => f.code)).to.deep.equal(["GWAPI000"]);
        });
    }
    it("a stack the gate can validate fetches nothing", async () => {
        const calls: string[] = [];
        const t: Tools = { ...defaultTools, gate: async () => (calls.push("gate"), { config: cfg, findings: [] }), fetchGatewayApiCrds: async () => void calls.push("fetch") };
        await gatedStack(args("up"), root, t, {});
        expect(calls).to.deep.equal(["gate"]);
    });
    it("fetchPinnedManifests writes only the pinned bytes: a wrong download is refused and nothing is written", async () => {
        const dir = mkdtempSync(path.join(tmpdir(), "gwfetch-"));
        try {
            const wrong: typeof fetch = async () => new Response("# not the manifest\n");
            const logged: string[] = [];
            const e = await fetchPinnedManifests(dir, (l) => logged.push(l), wrong).catch((x) => x);
            expect(e).to.be.instanceOf(OperationError);
            expect(logged[0]).to.match(/fetching the Gateway API v1\.5\.1 \w+ CRDs .*https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v1\.5\.1\//);
            for (const c of ["standard", "experimental"] as const) expect(existsSync(manifestPath(c, dir))).to.equal(false);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
