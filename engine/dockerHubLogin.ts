/**
 * The user's own Docker Hub login, read the way the Docker CLI reads it (docker/cli
 * cli/config/configfile/file.go and credentials/, read 2026-12): `$DOCKER_CONFIG/config.json`
 * (default `~/.docker/config.json`); `credHelpers[server]`, else `credsStore`, names a helper
 * `docker-credential-<name>` that answers `get` with the server on stdin; else `auths[server].auth`,
 * base64 `user:password`. The dev stack's pull-through cache then pulls as the user (stacks/dev.ts).
 *
 * It reaches the program only through the engine's environment (HOST_LOGIN_ENV), never argv, a file or
 * the stack's config; the program marks the password secret. Anything unusual is a warning and an
 * anonymous cache, never a failure: the lab works without a login, only slower on a cold `up`.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { MeshConfig } from "../config/types";
import { HOST_LOGIN_ENV } from "../mesh/k3d/registryCache";

/** The key the Docker CLI files Docker Hub's login under (registry.IndexServer). */
export const DOCKER_HUB_SERVER = "https://index.docker.io/v1/";


/** A credential helper's user name for an identity token (docker/docker-credential-helpers, credentials.go). */
const TOKEN_USERNAME = "<token>";

export type DockerHubLogin =
    | { kind: "login"; username: string; password: string; source: string }
    | { kind: "anonymous"; reason: string; warning?: string };

export interface LoginReader {
    readFile: (file: string) => string | undefined;
    /** Runs `docker-credential-<helper> get` with `input` on stdin. */
    runHelper: (helper: string, input: string) => { status: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException };
}

export function realLoginReader(env: Record<string, string | undefined>): LoginReader {
    return {
        readFile: (file) => {
            try {
                return fs.readFileSync(file, "utf8");
            } catch {
                return undefined;
            }
        },
        runHelper: (helper, input) => {
            // The helper may ask a keychain or gpg-agent: a short deadline, and nothing of it on our terminal.
            const r = spawnSync(`docker-credential-${helper}`, ["get"], { input, env: env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 10000, stdio: ["pipe", "pipe", "pipe"] });
            return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ...(r.error ? { error: r.error as NodeJS.ErrnoException } : {}) };
        },
    };
}

/** Where the Docker CLI keeps its config: $DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigFile(env: Record<string, string | undefined>): string {
    const dir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), ".docker");
    return path.join(dir, "config.json");
}

const IDENTITY_TOKEN =
    "is an identity token (Docker Desktop's sign-in), which a registry in proxy mode cannot use; for a login, give the cache a personal access token: " +
    "istio-mesh:cluster.registryCache.username and .password (docs/cluster-registry-cache.md)";

/** The host's Docker Hub login, or why there is none. Never throws. */
export function readDockerHubLogin(env: Record<string, string | undefined>, reader: LoginReader = realLoginReader(env)): DockerHubLogin {
    const file = dockerConfigFile(env);
    const text = reader.readFile(file);
    if (text === undefined) return { kind: "anonymous", reason: `no Docker config at ${file}` };
    let doc: { auths?: Record<string, { auth?: string; identitytoken?: string }>; credsStore?: string; credHelpers?: Record<string, string> };
    try {
        doc = JSON.parse(text) ?? {};
    } catch (e) {
        return { kind: "anonymous", reason: `${file} is not JSON`, warning: `${file} cannot be read as JSON (${e instanceof Error ? e.message : String(e)})` };
    }
    const helper = doc.credHelpers?.[DOCKER_HUB_SERVER] || doc.credsStore;
    if (helper) return fromHelper(helper, doc.credHelpers?.[DOCKER_HUB_SERVER] ? "credHelpers" : "credsStore", reader);
    const entry = doc.auths?.[DOCKER_HUB_SERVER];
    if (!entry) return { kind: "anonymous", reason: `no Docker Hub login in ${file} (docker login)` };
    if (entry.identitytoken) return { kind: "anonymous", reason: "your docker login is an identity token", warning: `the Docker Hub login in ${file} ${IDENTITY_TOKEN}` };
    if (!entry.auth) return { kind: "anonymous", reason: `the Docker Hub entry in ${file} holds no login` };
    const plain = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = plain.indexOf(":");
    if (colon <= 0 || colon === plain.length - 1) return { kind: "anonymous", reason: "unreadable login", warning: `the Docker Hub login in ${file} is not base64 of <user>:<password>; run docker login again` };
    return { kind: "login", username: plain.slice(0, colon), password: plain.slice(colon + 1), source: "your docker login" };
}

function fromHelper(helper: string, key: string, reader: LoginReader): DockerHubLogin {
    const name = `docker-credential-${helper}`;
    if (!/^[A-Za-z0-9._-]+$/.test(helper)) return { kind: "anonymous", reason: "bad helper name", warning: `the Docker config's ${key} names ${JSON.stringify(helper)}, which is not a credential helper's name` };
    const r = reader.runHelper(helper, DOCKER_HUB_SERVER);
    if (r.error) {
        const why = r.error.code === "ENOENT" ? "is not on PATH" : r.error.code === "ETIMEDOUT" ? "did not answer within 10 s" : `could not run (${r.error.code ?? r.error.message})`;
        return { kind: "anonymous", reason: `${name} ${why}`, warning: `your Docker config's ${key} names ${name}, which ${why}` };
    }
    // "credentials not found in native keychain": not logged in, which is no problem.
    if (r.status !== 0) {
        const said = r.stdout.trim() || r.stderr.trim();
        if (/credentials not found/i.test(said)) return { kind: "anonymous", reason: `no Docker Hub login in ${name}` };
        return { kind: "anonymous", reason: `${name} failed`, warning: `${name} get failed (exit ${r.status}): ${said.split("\n")[0].slice(0, 200)}` };
    }
    let got: { Username?: string; Secret?: string };
    try {
        got = JSON.parse(r.stdout);
    } catch {
        return { kind: "anonymous", reason: `${name} answered no JSON`, warning: `${name} get answered something that is not JSON` };
    }
    if (!got.Username || !got.Secret) return { kind: "anonymous", reason: `no Docker Hub login in ${name}` };
    if (got.Username === TOKEN_USERNAME) return { kind: "anonymous", reason: "your docker login is an identity token", warning: `the Docker Hub login in ${name} ${IDENTITY_TOKEN}` };
    return { kind: "login", username: got.Username, password: got.Secret, source: `your docker login, through ${name}` };
}

/** Whether the host's login applies: a k3d stack whose cache runs, with no login of its own in the stack's config. */
export function cacheTakesHostLogin(cfg: MeshConfig): boolean {
    const c = cfg.cluster;
    return c.kind === "k3d" && c.registryCache !== undefined && c.registryCache.username === undefined;
}

/** The engine's environment for the program: the login, or nothing. */
export function hostLoginEnv(login: DockerHubLogin | undefined): Record<string, string> {
    return login?.kind === "login" ? { [HOST_LOGIN_ENV.username]: login.username, [HOST_LOGIN_ENV.password]: login.password } : {};
}

/** The host's login for this stack's cache; undefined where it does not apply (no cache, or the stack's config has its own login). */
export function hostLoginOf(cfg: MeshConfig, env: Record<string, string | undefined>, read: (env: Record<string, string | undefined>) => DockerHubLogin = readDockerHubLogin): DockerHubLogin | undefined {
    return cacheTakesHostLogin(cfg) ? read(env) : undefined;
}

/** What to say about it: a warning if something was wrong, then one line (the user name, never the password); nothing without one. */
export function hostLoginLines(login: DockerHubLogin | undefined): string {
    if (!login) return "";
    const warning = login.kind === "anonymous" && login.warning ? `istio-mesh: warning: ${login.warning}; the cache pulls anonymously.\n` : "";
    return `${warning}${loginLine(login)}\n`;
}

/** Both, said on `say`. */
export function hostLoginFor(cfg: MeshConfig, env: Record<string, string | undefined>, say: (line: string) => void, read: (env: Record<string, string | undefined>) => DockerHubLogin = readDockerHubLogin): DockerHubLogin | undefined {
    const login = hostLoginOf(cfg, env, read);
    const lines = hostLoginLines(login);
    if (lines) say(lines);
    return login;
}

/** "the cache pulls from Docker Hub as <user> (your docker login)", or that it is anonymous, and the limit that means. */
export function loginLine(login: DockerHubLogin): string {
    return login.kind === "login"
        ? `istio-mesh: the cache pulls from Docker Hub as ${login.username} (${login.source}): a free Personal account's limit is 100 pulls an hour, not the anonymous 10.`
        : `istio-mesh: the cache pulls from Docker Hub anonymously (${login.reason}): 10 pulls an hour per IP address; docker login (or istio-mesh:cluster.registryCache.username/password) raises it to 100.`;
}
