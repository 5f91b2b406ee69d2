/**
 * npm run gateway-api-crds [-- --channel standard|experimental] [--from <file>] [--check]
 *
 * Puts the official Gateway API release manifests the gate validates against (config/versions.ts
 * GATEWAY_API_CRDS) at vendor/gateway-api/<version>/<channel>-install.yaml (git-ignored: fetched once
 * per checkout, like the charts `up` downloads): the checkout then validates Gateway API objects
 * offline. Every byte is checked against the pinned sha256 and size before it is written;
 * nothing unverified ever lands there. `--from` takes a copy downloaded elsewhere (a machine that
 * cannot reach github.com); `--check` only verifies what is vendored.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import * as path from "path";
import type * as Manifest from "../analysis/gatewayApi/manifest";
import type { ManifestLock } from "../analysis/gatewayApi/manifest";
import type { Parsed } from "../cli/commandLine";
import { booleanOption, stringOption } from "../cli/commandLine";
import { OperationError, PrerequisiteError, UsageError } from "../cli/errors";
import type { Command, Context } from "../cli/run";
import type * as Versions from "../config/versions";
import type { GatewayApiChannel } from "../config/versions";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const manifest = () => require("../analysis/gatewayApi/manifest") as typeof Manifest;
const crds = () => (require("../config/versions") as typeof Versions).GATEWAY_API_CRDS;
const allChannels = () => Object.keys(crds().manifests) as GatewayApiChannel[];

export const gatewayApiCrds: Command = {
    spec: {
        name: "gateway-api-crds",
        summary: "Fetches the official Gateway API CRD manifests the gate validates Gateway API objects against into vendor/gateway-api/<version>/ (git-ignored), each checked against the sha256 pinned in config/versions.ts before it is written.",
        options: {
            channel: { type: "string", value: "<standard|experimental>", description: "only this channel (default: both)" },
            from: { type: "string", value: "<file>", path: true, description: "take a manifest downloaded elsewhere instead of downloading (its digest says which channel it is)" },
            check: { type: "boolean", description: "only verify the vendored manifests against the pins; no network" },
        },
        notes: ["examples:", "  npm run gateway-api-crds                  (downloads from github.com)", "  npm run gateway-api-crds -- --from ~/Downloads/standard-install.yaml", "  npm run gateway-api-crds -- --check"],
    },
    run: (p, ctx) => gatewayApiCrdsCommand(p, ctx),
};

/** Writes `bytes` to `dest` only if they are the pinned manifest; a partial write never shows (rename). */
export function writeVerified(bytes: Uint8Array, lock: ManifestLock, dest: string, what: string): void {
    const problem = manifest().lockProblem(bytes, lock);
    if (problem) throw new OperationError(`${what} is not the pinned manifest: ${problem}. Nothing was written.`);
    mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.tmp-${process.pid}`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, dest);
}

/** GETs `url` (redirects followed, as GitHub's release downloads need). */
export async function download(url: string, fetchImpl: typeof fetch = fetch): Promise<Uint8Array> {
    let res: Response;
    try {
        res = await fetchImpl(url, { redirect: "follow", signal: AbortSignal.timeout(60_000) });
    } catch (e) {
        const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
        throw new PrerequisiteError(`cannot download ${url} (${cause}). On a machine that can, download it and run: npm run gateway-api-crds -- --from <file>`);
    }
    if (!res.ok) throw new PrerequisiteError(`cannot download ${url}: HTTP ${res.status}. Download it elsewhere and run: npm run gateway-api-crds -- --from <file>`);
    return new Uint8Array(await res.arrayBuffer());
}

/** The channel whose pinned manifest `bytes` are, if any (so --from needs no --channel). */
export const channelOf = (bytes: Uint8Array): GatewayApiChannel | undefined => {
    const digest = manifest().sha256(bytes);
    return allChannels().find((c) => crds().manifests[c].sha256 === digest && crds().manifests[c].bytes === bytes.length);
};

/**
 * `up`/`preview` of a Gateway API stack in a checkout that has not fetched the manifests yet: the
 * pinned ones (every channel), verified before they are written. Missing network: a PrerequisiteError
 * naming `--from`.
 */
export async function fetchPinnedManifests(projectRoot: string, log: (line: string) => void, fetchImpl: typeof fetch = fetch): Promise<void> {
    const { manifestPath } = manifest();
    const GATEWAY_API_CRDS = crds();
    for (const c of allChannels()) {
        const lock = GATEWAY_API_CRDS.manifests[c];
        const dest = manifestPath(c, projectRoot);
        if (existsSync(dest)) continue;
        log(`istio-mesh: fetching the Gateway API ${GATEWAY_API_CRDS.version} ${c} CRDs the gate checks this stack against (once per checkout): ${lock.url}`);
        writeVerified(await download(lock.url, fetchImpl), lock, dest, lock.url);
    }
}

export async function gatewayApiCrdsCommand(p: Parsed, ctx: Context, fetchImpl: typeof fetch = fetch): Promise<number> {
    const { lockProblem, manifestPath } = manifest();
    const GATEWAY_API_CRDS = crds();
    const CHANNELS = allChannels();
    const channelArg = stringOption(p, "channel");
    if (channelArg !== undefined && !CHANNELS.includes(channelArg as GatewayApiChannel)) throw new UsageError(`npm run gateway-api-crds: --channel ${channelArg}: expected one of ${CHANNELS.join(", ")}`);
    const channels = channelArg ? [channelArg as GatewayApiChannel] : CHANNELS;
    const from = stringOption(p, "from");
    const rel = (f: string) => path.relative(ctx.projectRoot, f);

    if (booleanOption(p, "check")) {
        if (from) throw new UsageError("npm run gateway-api-crds: --check verifies what is vendored; it takes no --from");
        const problems: string[] = [];
        for (const c of channels) {
            const file = manifestPath(c, ctx.projectRoot);
            let bytes: Buffer;
            try {
                bytes = readFileSync(file);
            } catch {
                problems.push(`${rel(file)} is missing`);
                continue;
            }
            const problem = lockProblem(bytes, GATEWAY_API_CRDS.manifests[c]);
            if (problem) problems.push(`${rel(file)}: ${problem}`);
            else ctx.io.out(`ok  ${rel(file)} (sha256 ${GATEWAY_API_CRDS.manifests[c].sha256})\n`);
        }
        if (problems.length) throw new OperationError(`the vendored Gateway API CRDs are not the pinned ones:\n${problems.map((x) => `  - ${x}`).join("\n")}\nrun: npm run gateway-api-crds`);
        return 0;
    }

    if (from) {
        let bytes: Buffer;
        try {
            bytes = readFileSync(path.resolve(ctx.projectRoot, from));
        } catch (e) {
            throw new PrerequisiteError(`cannot read ${from}: ${e instanceof Error ? e.message : String(e)}`);
        }
        const c = channelArg ? (channelArg as GatewayApiChannel) : (channelOf(bytes) ?? "standard");
        const dest = manifestPath(c, ctx.projectRoot);
        writeVerified(bytes, GATEWAY_API_CRDS.manifests[c], dest, `${from} (as the ${c} channel)`);
        ctx.io.out(`wrote ${rel(dest)} (sha256 ${GATEWAY_API_CRDS.manifests[c].sha256}, verified)\n`);
        return 0;
    }

    for (const c of channels) {
        const lock = GATEWAY_API_CRDS.manifests[c];
        const dest = manifestPath(c, ctx.projectRoot);
        writeVerified(await download(lock.url, fetchImpl), lock, dest, lock.url);
        ctx.io.out(`wrote ${rel(dest)} (sha256 ${lock.sha256}, verified)\n`);
    }
    ctx.io.out("this checkout now validates Gateway API objects offline (vendor/gateway-api/ is git-ignored: each checkout fetches its own).\n");
    return 0;
}

