/**
 * The user's own Docker Hub login for the registry cache (engine/dockerHubLogin.ts): read as the Docker
 * CLI reads it from a fake $DOCKER_CONFIG and fake credential helpers on PATH (no Docker), passed to the
 * program only in the engine's environment, and the pinned-chart check `lab run` runs before its first
 * lesson (against the local fake registries, as tests/pins.test.ts drives up's preflight).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { labDeps } from "../commands/lab";
import { inventoryOfStack } from "../commands/pins";
import { defaultTools, Tools } from "../commands/stack";
import { PrerequisiteError } from "../cli/errors";
import { parseConfig } from "../config/parse";
import type { MeshConfig } from "../config/types";
import { DOCKER_HUB_SERVER, DockerHubLogin, hostLoginFor, loginLine, readDockerHubLogin } from "../engine/dockerHubLogin";
import type { EngineSettings, MeshEngine } from "../engine/engine";
import { labCommand } from "../lab/course";
import { HOST_LOGIN_ENV } from "../mesh/k3d/registryCache";
import { Lab } from "../program";
import { runUnderMocks } from "../render/mocks";
import { OVERRIDE_ENV } from "../supplychain/http";
import { coldUpNote } from "../supplychain/upNote";
import { FakeRegistries } from "./helpers/fakeRegistries";
import { parseArgs, run } from "./helpers/stackCommands";

const ROOT = path.resolve(__dirname, "..");
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const b64 = (s: string) => Buffer.from(s).toString("base64");

describe("the host's Docker Hub login, read as the Docker CLI reads it", () => {
    let dir: string;
    let bin: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockerhub-login-"));
        bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const configJson = (doc: unknown) => fs.writeFileSync(path.join(dir, "config.json"), typeof doc === "string" ? doc : JSON.stringify(doc));
    /** A docker-credential-<name> that records its stdin and answers `get` with `out` and `code`. */
    const helper = (name: string, out: string, code = 0) => {
        const f = path.join(bin, `docker-credential-${name}`);
        fs.writeFileSync(f, `#!/bin/sh\n[ "$1" = get ] || exit 9\ncat > "${dir}/stdin-${name}"\nprintf '%s\\n' '${out}'\nexit ${code}\n`, { mode: 0o755 });
    };
    const env = () => ({ DOCKER_CONFIG: dir, PATH: `${bin}:/usr/bin:/bin`, HOME: dir });
    const read = () => readDockerHubLogin(env());

    const rows: { name: string; setup: () => void; want: Record<string, string | RegExp | undefined> }[] = [
        { name: "no docker config: anonymous, no warning", setup: () => undefined, want: { kind: "anonymous", reason: /^no Docker config at .*config\.json$/, warning: undefined } },
        { name: "auths with base64 user:password: that login", setup: () => configJson({ auths: { [DOCKER_HUB_SERVER]: { auth: b64("alice:dckr_pat_a:b") } } }), want: { kind: "login", username: "alice", password: "dckr_pat_a:b", source: "your docker login" } },
        { name: "auths with an empty auth: anonymous, no warning", setup: () => configJson({ auths: { [DOCKER_HUB_SERVER]: { auth: "" } } }), want: { kind: "anonymous", reason: /holds no login/, warning: undefined } },
        { name: "auths for other registries only: anonymous", setup: () => configJson({ auths: { "ghcr.io": { auth: b64("a:b") } } }), want: { kind: "anonymous", reason: /no Docker Hub login in/, warning: undefined } },
        { name: "auths with an identity token: anonymous, with a warning naming the fix", setup: () => configJson({ auths: { [DOCKER_HUB_SERVER]: { identitytoken: "eyJ…" } } }), want: { kind: "anonymous", warning: /identity token .*registryCache\.username and \.password/ } },
        { name: "an auth that is not user:password: a warning", setup: () => configJson({ auths: { [DOCKER_HUB_SERVER]: { auth: b64("nocolon") } } }), want: { kind: "anonymous", warning: /not base64 of <user>:<password>/ } },
        { name: "a config that is not JSON: a warning", setup: () => configJson("{not json"), want: { kind: "anonymous", warning: /cannot be read as JSON/ } },
        {
            name: "credsStore: the helper's answer",
            setup: () => {
                configJson({ auths: { [DOCKER_HUB_SERVER]: {} }, credsStore: "fake" });
                helper("fake", '{"ServerURL":"https://index.docker.io/v1/","Username":"bob","Secret":"dckr_pat_b"}');
            },
            want: { kind: "login", username: "bob", password: "dckr_pat_b", source: "your docker login, through docker-credential-fake" },
        },
        {
            name: "credHelpers for Docker Hub wins over credsStore",
            setup: () => {
                configJson({ credsStore: "store", credHelpers: { [DOCKER_HUB_SERVER]: "hub" } });
                helper("store", '{"Username":"wrong","Secret":"x"}');
                helper("hub", '{"Username":"carol","Secret":"pat-c"}');
            },
            want: { kind: "login", username: "carol", password: "pat-c" },
        },
        { name: "a helper that is not on PATH: a warning, anonymous", setup: () => configJson({ credsStore: "desktop" }), want: { kind: "anonymous", warning: /names docker-credential-desktop, which is not on PATH/ } },
        { name: "a helper that fails: a warning with its message", setup: () => (configJson({ credsStore: "fake" }), helper("fake", "gpg: decryption failed", 1)), want: { kind: "anonymous", warning: /docker-credential-fake get failed \(exit 1\): gpg: decryption failed/ } },
        { name: "a helper with no login stored: anonymous, no warning", setup: () => (configJson({ credsStore: "fake" }), helper("fake", "credentials not found in native keychain", 1)), want: { kind: "anonymous", reason: /no Docker Hub login in docker-credential-fake/, warning: undefined } },
        { name: "a helper holding an identity token (<token>): a warning", setup: () => (configJson({ credsStore: "fake" }), helper("fake", '{"Username":"<token>","Secret":"refresh"}')), want: { kind: "anonymous", warning: /identity token/ } },
        { name: "a helper answering no JSON: a warning", setup: () => (configJson({ credsStore: "fake" }), helper("fake", "hello")), want: { kind: "anonymous", warning: /not JSON/ } },
    ];
    for (const r of rows) {
        it(r.name, () => {
            r.setup();
            const got = read();
            for (const [k, v] of Object.entries(r.want)) {
                const value = (got as Record<string, unknown>)[k];
                if (v instanceof RegExp) expect(value, k).to.match(v);
                else expect(value, k).to.equal(v);
            }
        });
    }

    it("the helper gets Docker Hub's server address on stdin, never in its arguments", () => {
        configJson({ credsStore: "fake" });
        helper("fake", '{"Username":"bob","Secret":"s"}');
        expect(read().kind).to.equal("login");
        expect(fs.readFileSync(path.join(dir, "stdin-fake"), "utf8")).to.equal(DOCKER_HUB_SERVER);
    });

    it("DOCKER_CONFIG unset: ~/.docker/config.json of HOME", () => {
        fs.mkdirSync(path.join(dir, ".docker"));
        fs.writeFileSync(path.join(dir, ".docker", "config.json"), JSON.stringify({ auths: { [DOCKER_HUB_SERVER]: { auth: b64("dave:pw") } } }));
        expect(readDockerHubLogin({ HOME: dir, PATH: "/bin" })).to.include({ kind: "login", username: "dave" });
    });

    describe("which login the cache uses, said in one line", () => {
        const k3d = (cluster: Record<string, unknown> = {}) => parseConfig({ cluster }, "dev", { secretKeys: ["istio-mesh:cluster"] });
        const alice: DockerHubLogin = { kind: "login", username: "alice", password: "dckr_pat_secret", source: "your docker login" };
        const said = (cfg: MeshConfig, login: DockerHubLogin) => {
            const lines: string[] = [];
            let asked = false;
            const got = hostLoginFor(cfg, {}, (l) => lines.push(l), () => ((asked = true), login));
            return { got, text: lines.join(""), asked };
        };
        it("a login: the user name and the 100-an-hour limit, never the password", () => {
            const r = said(k3d(), alice);
            expect(r.text).to.equal("istio-mesh: the cache pulls from Docker Hub as alice (your docker login): a free Personal account's limit is 100 pulls an hour, not the anonymous 10.\n");
            expect(r.text).to.not.include("dckr_pat_secret");
        });
        it("anonymous: why, and the 10-an-hour limit; a warning line first when something was wrong", () => {
            const r = said(k3d(), { kind: "anonymous", reason: "docker-credential-desktop is not on PATH", warning: "your Docker config's credsStore names docker-credential-desktop, which is not on PATH" });
            expect(r.text.split("\n")[0]).to.match(/^istio-mesh: warning: .*not on PATH; the cache pulls anonymously\.$/);
            expect(r.text.split("\n")[1]).to.match(/anonymously \(docker-credential-desktop is not on PATH\): 10 pulls an hour per IP address/);
        });
        it("the stack's own login wins: the host's is not even read", () => {
            const r = said(k3d({ registryCache: { username: "jdoe", password: "pat" } }), alice);
            expect(r).to.deep.equal({ got: undefined, text: "", asked: false });
        });
        it("no cache (turned off, a mirror, not k3d): nothing read, nothing said", () => {
            for (const cfg of [k3d({ registryCache: { enabled: false } }), k3d({ registryMirror: { url: "https://m.example.com" } }), parseConfig({ cluster: { kind: "kubeconfig", context: "x" }, images: { servicex: { image: "ghcr.io/e/s:1" } } }, "lab")]) {
                expect(said(cfg, alice)).to.deep.equal({ got: undefined, text: "", asked: false });
            }
        });
        it("the pull figure names the logged-in limit only with a login", () => {
            expect(coldUpNote(k3d(), "v5.9.0", ["docker.io"], true)).to.match(/from Docker Hub \(through the pull-through cache: docker\.io\) \(logged in: a free account's limit is 100 an hour\)/);
            expect(coldUpNote(k3d(), "v5.9.0", ["docker.io"], false)).to.match(/\(anonymous limit: 10 an hour per IP address\)/);
            expect(loginLine({ kind: "anonymous", reason: "x" })).to.include("raises it to 100");
        });
    });
});

describe("the host's login reaches the cache as a secret, through the engine's environment only", () => {
    const COMMAND = "command:local:Command";
    const creds = { username: "alice", password: "dckr_pat_host" };
    const cache = async (cfg: MeshConfig, login?: typeof creds) =>
        (await runUnderMocks(() => new Lab("istio-mesh", cfg), { machine: { dockerEndpoint: () => undefined, dockerHubLogin: () => login } })).resources.find((r) => r.type === COMMAND && r.name === "istio-mesh-cache-registry")!;

    it("the machine's login becomes the cache's, the password a secret and out of the script", async () => {
        const r = await cache(parseConfig({}, "dev"), creds);
        expect(r.inputs.environment[SECRET_SIG]).to.not.equal(undefined);
        expect(r.inputs.environment.value).to.deep.equal({ ISTIO_MESH_CACHE_USERNAME: "alice", ISTIO_MESH_CACHE_PASSWORD: "dckr_pat_host" });
        expect(r.inputs.create).to.include('--proxy-username "$ISTIO_MESH_CACHE_USERNAME" --proxy-password "$ISTIO_MESH_CACHE_PASSWORD"').and.not.include("dckr_pat_host");
    });
    it("the stack's own login wins over the machine's", async () => {
        const r = await cache(parseConfig({ cluster: { registryCache: { username: "jdoe", password: "pat-stack" } } }, "dev", { secretKeys: ["istio-mesh:cluster"] }), creds);
        expect(r.inputs.environment.value).to.deep.equal({ ISTIO_MESH_CACHE_USERNAME: "jdoe", ISTIO_MESH_CACHE_PASSWORD: "pat-stack" });
    });
    it("render (OFFLINE) never sees a login, whatever the environment holds", async () => {
        const saved = { ...process.env };
        process.env[HOST_LOGIN_ENV.username] = "alice";
        process.env[HOST_LOGIN_ENV.password] = "dckr_pat_host";
        try {
            const r = (await runUnderMocks(() => new Lab("istio-mesh", parseConfig({}, "dev")))).resources.find((x) => x.type === COMMAND && x.name === "istio-mesh-cache-registry")!;
            expect(r.inputs.environment).to.equal(undefined);
        } finally {
            delete process.env[HOST_LOGIN_ENV.username];
            delete process.env[HOST_LOGIN_ENV.password];
            Object.assign(process.env, saved);
        }
    });

    describe("up, preview and down hand it to the engine", () => {
        let root: string;
        let dockerDir: string;
        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "login-up-"));
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config: {}\n");
            dockerDir = fs.mkdtempSync(path.join(os.tmpdir(), "login-docker-"));
            fs.writeFileSync(path.join(dockerDir, "config.json"), JSON.stringify({ auths: { [DOCKER_HUB_SERVER]: { auth: b64("alice:dckr_pat_host") } } }));
        });
        afterEach(() => {
            fs.rmSync(root, { recursive: true, force: true });
            fs.rmSync(dockerDir, { recursive: true, force: true });
        });
        async function runIt(argv: string[]): Promise<{ err: string; out: string; envVars?: Record<string, string> }> {
            let err = "";
            let out = "";
            let envVars: Record<string, string> | undefined;
            const engine = async (s: EngineSettings): Promise<MeshEngine> => {
                envVars = s.envVars;
                return { up: async () => ({ summary: {}, outputs: {} }), preview: async () => ({ summary: {} }), destroy: async () => ({ summary: {} }) };
            };
            const tools: Tools = { ...defaultTools, preflight: async () => undefined, pulumiCli: async () => undefined, k3dClusters: async () => [{ name: "istio-mesh", running: true } as never] };
            const env = { PULUMI_CONFIG_PASSPHRASE: "x", DOCKER_CONFIG: dockerDir, PATH: "/bin", PULUMI_BACKEND_URL: `file://${root}/state` };
            fs.mkdirSync(path.join(root, "state", ".pulumi", "stacks", "istio-mesh"), { recursive: true });
            fs.writeFileSync(path.join(root, "state", ".pulumi", "stacks", "istio-mesh", "dev.json"), "{}");
            await run(parseArgs(argv), env, { out: (t) => (out += t), err: (t) => (err += t) }, engine, root, tools);
            return { err, out, envVars };
        }
        it("up: the login in the engine's environment, said by name, the figure at the logged-in limit; never the password on the terminal", async () => {
            const r = await runIt(["up"]);
            expect(r.envVars).to.include({ [HOST_LOGIN_ENV.username]: "alice", [HOST_LOGIN_ENV.password]: "dckr_pat_host" });
            expect(r.err).to.include("istio-mesh: the cache pulls from Docker Hub as alice (your docker login)");
            expect(r.err).to.match(/pulls up to \d+ images? from Docker Hub \(through the pull-through cache: docker\.io\) \(logged in: a free account's limit is 100 an hour\)/);
            expect(r.err + r.out).to.not.include("dckr_pat_host");
        });
        it("preview passes the same login (so it shows no change up would not make)", async () => {
            const r = await runIt(["preview"]);
            expect(r.envVars).to.include({ [HOST_LOGIN_ENV.username]: "alice" });
        });
        it("down: no login in its environment", async () => {
            const r = await runIt(["down"]);
            expect(r.envVars, "down reached the engine").to.have.property("PULUMI_BACKEND_URL");
            expect(r.envVars).to.not.have.property(HOST_LOGIN_ENV.password);
            expect(r.err).to.not.include("the cache pulls from Docker Hub");
        });
    });
});

describe("lab run: the pinned charts before the first lesson (preflight's check, as up runs it)", () => {
    let world: FakeRegistries;
    beforeEach(async () => (world = await new FakeRegistries().start()));
    afterEach(async () => world.stop());

    async function labRun(): Promise<{ code: number; err: string; engineStarted: boolean }> {
        let err = "";
        let engineStarted = false;
        const io = { out: () => undefined, err: (t: string) => void (err += t) };
        const deps = {
            ...labDeps({ io, env: { [OVERRIDE_ENV]: world.override, PATH: "/bin" }, projectRoot: ROOT }),
            reachable: async () => undefined,
            engine: async () => {
                engineStarted = true;
                throw new PrerequisiteError("the engine was reached");
            },
        };
        const code = await labCommand("run", {}, io, deps);
        return { code, err, engineStarted };
    }

    it("a chart version its repository no longer lists: exit 2 naming the chart and the fix; no lesson, no engine", async () => {
        world.serve(inventoryOfStack(ROOT, "dev", { plugins: [], platform: { os: "linux", arch: "amd64" } }).artifacts);
        for (const charts of world.helm.values()) if (charts.has("kiali-server")) charts.set("kiali-server", ["2.25.0"]);
        const r = await labRun();
        expect(r.code).to.equal(2);
        expect(r.err).to.match(/^lab: npm run lab -- run --stack dev: a prerequisite is missing; no lesson was applied:\n {2}- chart kiali-server 2\.26\.0 .*is not in its repository https:\/\/kiali\.org\/helm-charts: .*move the pin in config\/versions\.ts/m);
        expect(r.engineStarted).to.equal(false);
    });

    it("every chart listed: on to the engine", async () => {
        world.serve(inventoryOfStack(ROOT, "dev", { plugins: [], platform: { os: "linux", arch: "amd64" } }).artifacts);
        const r = await labRun();
        expect(r.engineStarted).to.equal(true);
        expect(r.err).to.include("the engine was reached").and.not.include("not in its repository");
        expect(world.log.length).to.be.greaterThan(0);
    });
});
