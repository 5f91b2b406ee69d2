/**
 * The Docker Hub pull-through cache of the k3d nodes (and the user's own mirror): config, the k3d
 * config's `registries:`, the cache's script run for real against fake docker/k3d, the resources under
 * mocks, the preflight's port check. Refusals are rows of the bad-input corpus (tests/fixtures/bad/corpus.ts);
 * the passing side of each rule is here.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { checkStack } from "../analysis/gate";
import { registryCachePortProblems } from "../preflight/registryCache";
import type { System } from "../preflight/preflight";
import { parseConfig } from "../config/parse";
import { ConfigError } from "../config/reader";
import type { K3dClusterConfig, MeshConfig } from "../config/types";
import { DEFAULT_VERSIONS } from "../config/versions";
import { k3dConfig, k3dConfigYaml, k3dCreateScript } from "../mesh/k3d/K3dConfig";
import { cachedRegistries, cacheEnvironment, mirrorEnvironment, registryCacheEnsureScript, registryCacheKeptNotice } from "../mesh/k3d/registryCache";
import { Lab } from "../program";
import { Registered, runUnderMocks } from "../render/mocks";
import { stackText } from "./fixtures/bad/corpus";
import { DependsOnRecorder } from "./helpers/ordering";
import { render } from "./helpers/render";

const k3d = (raw: Record<string, unknown> = {}, opts: { secretKeys?: string[]; secretPaths?: string[] } = {}): K3dClusterConfig => {
    const c = parseConfig(raw, "dev", opts).cluster;
    expect(c.kind).to.equal("k3d");
    return c as K3dClusterConfig;
};
/** A stack file's `istio-mesh:cluster`, read as the gate reads it (secure values known per path). */
const gate = (cluster: string) => checkStack(stackText(`cluster: ${cluster}`), "dev", { file: "good.yaml" });
const SECURE = "{secure: v1:c2VjcmV0}";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

describe("registry cache: config", () => {
    it("on by default for k3d: istio-mesh-cache on 127.0.0.1:5111, volume istio-mesh-cache, no login", () => {
        expect(k3d().registryCache).to.deep.equal({ name: "istio-mesh-cache", hostPort: 5111, volume: "istio-mesh-cache" });
        expect(k3d().registryMirror).to.equal(undefined);
    });

    it("not on other cluster kinds", () => {
        const c = parseConfig({ cluster: { kind: "eks" } }, "cloud").cluster;
        expect(c).to.not.have.property("registryCache");
        expect(cachedRegistries({ cluster: c })).to.deep.equal([]);
    });

    // The passing row of each rule whose failing rows are in the corpus (section "cluster").
    const GOOD: [string, string, (c: K3dClusterConfig) => unknown, unknown][] = [
        ["enabled: false turns it off", "{registryCache: {enabled: false}}", (c) => c.registryCache, undefined],
        ["enabled as the string pulumi config set writes", "{registryCache: {enabled: 'false'}}", (c) => c.registryCache, undefined],
        ["enabled: true alone is the default", "{registryCache: {enabled: true}}", (c) => c.registryCache?.name, "istio-mesh-cache"],
        ["a name of 59 characters (k3d-<name> is 63)", `{registryCache: {name: ${"c".repeat(59)}}}`, (c) => c.registryCache?.name, "c".repeat(59)],
        ["a name with k3d inside it", "{registryCache: {name: my-k3d-cache}}", (c) => c.registryCache?.name, "my-k3d-cache"],
        ["a host port of one's own", "{registryCache: {hostPort: 5500}}", (c) => c.registryCache?.hostPort, 5500],
        ["a port apart from moved API and ingress ports", "{apiPort: 5111, ingress: {hostPort: 8080}, registryCache: {hostPort: 5112}}", (c) => [c.apiPort, c.registryCache?.hostPort], [5111, 5112]],
        ["a volume name with dots and underscores", "{registryCache: {volume: my_cache.v2}}", (c) => c.registryCache?.volume, "my_cache.v2"],
        ["a login whose token is a secret", `{registryCache: {username: jdoe, password: ${SECURE}}}`, (c) => [c.registryCache?.username, c.registryCache?.password], ["jdoe", "[secret]"]],
        ["a mirror by https URL with port and path", "{registryMirror: {url: 'https://mirror.example.com:5000/dockerhub/'}}", (c) => [c.registryMirror?.url, c.registryMirror?.host, c.registryCache], ["https://mirror.example.com:5000/dockerhub", "mirror.example.com:5000", undefined]],
        ["a mirror on this machine as the nodes see it", "{registryMirror: {url: 'http://host.k3d.internal:5000'}}", (c) => c.registryMirror?.host, "host.k3d.internal:5000"],
        ["a mirror by IP address", "{registryMirror: {url: 'https://10.0.0.5'}}", (c) => c.registryMirror?.host, "10.0.0.5"],
        ["a mirror with a login whose password is a secret", `{registryMirror: {url: 'https://mirror.example.com', username: ci-bot, password: ${SECURE}}}`, (c) => c.registryMirror?.username, "ci-bot"],
        ["a mirror with the cache explicitly off", "{registryMirror: {url: 'https://mirror.example.com'}, registryCache: {enabled: false}}", (c) => [c.registryMirror?.host, c.registryCache], ["mirror.example.com", undefined]],
    ];
    for (const [name, cluster, get, want] of GOOD) {
        it(`accepts ${name}`, async () => {
            const { config } = await gate(cluster);
            expect(get(config.cluster as K3dClusterConfig)).to.deep.equal(want);
        });
    }

    describe("the passwords must be Pulumi secrets", () => {
        const plain = { registryCache: { username: "jdoe", password: "dckr_pat_plain-text-token" } };
        const refused = (f: () => unknown): string => {
            try {
                f();
            } catch (e) {
                expect(e).to.be.instanceOf(ConfigError);
                return (e as Error).message;
            }
            throw new Error("accepted");
        };

        it("in plain text in a stack file: refused, with the command that stores it encrypted, never the value", () => {
            const msg = refused(() => parseConfig({ cluster: plain }, "dev", { secretKeys: [], secretPaths: [] }));
            expect(msg).to.include("istio-mesh:cluster.registryCache.password: is in plain text in the stack file; it must be a Pulumi secret");
            expect(msg).to.include("pulumi config set --secret --path 'istio-mesh:cluster.registryCache.password' <value>");
            expect(msg).to.not.include("dckr_pat_plain-text-token");
        });

        it("the stack file reader knows the path: a secure password passes even though another cluster key is plain", () => {
            expect(k3d({ cluster: plain }, { secretKeys: ["istio-mesh:cluster"], secretPaths: ["istio-mesh:cluster.registryCache.password"] }).registryCache?.username).to.equal("jdoe");
            const msg = refused(() => parseConfig({ cluster: plain }, "dev", { secretKeys: ["istio-mesh:cluster"], secretPaths: ["istio-mesh:cluster.registryCache.username"] }));
            expect(msg).to.include("istio-mesh:cluster.registryCache.password: is in plain text");
        });

        it("the engine knows only the key: istio-mesh:cluster marked secret passes, unmarked is refused", () => {
            expect(k3d({ cluster: plain }, { secretKeys: ["istio-mesh:cluster"] }).registryCache?.password).to.equal("dckr_pat_plain-text-token");
            expect(refused(() => parseConfig({ cluster: plain }, "dev", { secretKeys: [] }))).to.include("registryCache.password: is in plain text");
        });

        it("the mirror's password too", () => {
            const msg = refused(() => parseConfig({ cluster: { registryMirror: { url: "https://m.example.com", username: "u", password: "mirror-pass-123" } } }, "dev", { secretKeys: [] }));
            expect(msg).to.include("istio-mesh:cluster.registryMirror.password: is in plain text").and.not.include("mirror-pass-123");
        });

        it("the older credentials stay warnings (a registry password of kubeconfig mode)", () => {
            const cfg = parseConfig({ cluster: { kind: "kubeconfig", context: "a", registry: { server: "ghcr.io", repository: "me/s", username: "u", password: "p-123" } } }, "lab", { secretKeys: [] });
            expect(cfg.warnings.map((w) => w.path)).to.include("istio-mesh:cluster.registry.password");
        });

        it("a mirror over plain http with a login: accepted with a warning", async () => {
            const { config } = await gate(`{registryMirror: {url: 'http://mirror.lan:5000', username: u, password: ${SECURE}}}`);
            expect(config.warnings.map((w) => `${w.path}: ${w.message}`).join("\n")).to.include("istio-mesh:cluster.registryMirror.url: is plain http");
        });
    });
});

describe("registry cache: the k3d config", () => {
    const yamlOf = (c: K3dClusterConfig) => yaml.load(k3dConfigYaml(c, DEFAULT_VERSIONS)) as any;

    it("the nodes use the cache by container name and internal port; docker.io is mirrored to it", () => {
        const k = yamlOf(k3d());
        expect(k.registries.use).to.deep.equal(["k3d-istio-mesh-cache:5000"]);
        expect(yaml.load(k.registries.config)).to.deep.equal({ mirrors: { "docker.io": { endpoint: ["http://k3d-istio-mesh-cache:5000"] } } });
    });

    it("the host port is not what the nodes use: changing it leaves the cluster's config alone", () => {
        expect(k3dConfigYaml(k3d({ cluster: { registryCache: { hostPort: 5999 } } }), DEFAULT_VERSIONS)).to.equal(k3dConfigYaml(k3d(), DEFAULT_VERSIONS));
    });

    it("another name: both the use entry and the endpoint follow it", () => {
        const k = yamlOf(k3d({ cluster: { registryCache: { name: "hub" } } }));
        expect(k.registries.use).to.deep.equal(["k3d-hub:5000"]);
        expect(k.registries.config).to.include('"http://k3d-hub:5000"');
    });

    it("cache off, no mirror: no registries block at all (the nodes pull Docker Hub directly)", () => {
        const c = k3d({ cluster: { registryCache: { enabled: false } } });
        expect(k3dConfig(c, DEFAULT_VERSIONS)).to.not.have.property("registries");
        expect(cachedRegistries({ cluster: c })).to.deep.equal([]);
    });

    it("a mirror without a login: docker.io's endpoint is its URL; no use entry, no configs", () => {
        const k = yamlOf(k3d({ cluster: { registryMirror: { url: "https://mirror.example.com:5000" } } }));
        expect(k.registries.use).to.equal(undefined);
        expect(yaml.load(k.registries.config)).to.deep.equal({ mirrors: { "docker.io": { endpoint: ["https://mirror.example.com:5000"] } } });
    });

    it("cachedRegistries: docker.io through the cache or a mirror", () => {
        expect(cachedRegistries({ cluster: k3d() })).to.deep.equal(["docker.io"]);
        expect(cachedRegistries({ cluster: k3d({ cluster: { registryMirror: { url: "https://m.example.com" } } }) })).to.deep.equal(["docker.io"]);
    });

    describe("a mirror's login: through k3d's $VAR expansion, never in the config text", () => {
        // Go's os.ExpandEnv as k3d applies it to the whole config before reading it: ${VAR} and $VAR, one pass.
        const expandEnv = (s: string, env: Record<string, string>) => s.replace(/\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z0-9_]+)/g, (_, a, b) => env[a ?? b] ?? "");
        const nasty = `p@ss: "w$rd\\ #1'\t{x}\u00e9`;
        const c = k3d({ cluster: { registryMirror: { url: "https://mirror.example.com:5000", username: `ci:bot"$USER\\`, password: nasty } } }, { secretKeys: ["istio-mesh:cluster"] });
        const text = k3dConfigYaml(c, DEFAULT_VERSIONS);

        it("the text k3d reads holds ${VAR}s and no other $", () => {
            expect(text).to.not.include("w$rd");
            expect(text.match(/\$[^{]/g)).to.equal(null);
            expect(text.match(/\$\{[A-Z_]+\}/g)).to.deep.equal(["${ISTIO_MESH_MIRROR_USERNAME}", "${ISTIO_MESH_MIRROR_PASSWORD}"]);
        });

        it("expanded from the command's environment, every character survives both YAML readings", () => {
            const expanded = yaml.load(expandEnv(text, mirrorEnvironment(c.registryMirror!))) as any;
            const registries = yaml.load(expanded.registries.config) as any;
            expect(registries.configs).to.deep.equal({ "mirror.example.com:5000": { auth: { username: `ci:bot"$USER\\`, password: nasty } } });
            expect(registries.mirrors["docker.io"].endpoint).to.deep.equal(["https://mirror.example.com:5000"]);
        });
    });
});

describe("registry cache: the script, run for real against fake docker and k3d", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "registry-cache-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const cache = k3d().registryCache!;
    const IMG = DEFAULT_VERSIONS.registryCacheImage;
    const SAME = `image=${IMG} port=5000/tcp=127.0.0.1:5111 volume=istio-mesh-cache:/var/lib/registry`;
    const PROXY_ENV = "PATH=/bin\nREGISTRY_PROXY_REMOTEURL=https://registry-1.docker.io\n";

    /** The docker container state the fake answers from: absent, or role/settings/env/networks. */
    interface Machine {
        container?: { role?: string; settings?: string; env?: string; networks?: string };
        network?: boolean;
        image?: boolean;
    }
    /** Each call of the fakes is one line: the tool and its arguments joined by " | " (so quoting shows). */
    function setUp(m: Machine): void {
        const w = (f: string, s: string) => fs.writeFileSync(path.join(dir, f), s);
        if (m.container) {
            w("exists", "");
            w("role", m.container.role ?? "registry");
            w("settings", m.container.settings ?? SAME);
            w("env", m.container.env ?? PROXY_ENV);
            w("networks", m.container.networks ?? "bridge ");
        }
        if (m.network) w("network", "");
        if (m.image) w("image", "");
        const log = `printf '%s' "$(basename "$0")" >> ${dir}/calls; for a in "$@"; do printf ' | %s' "$a" >> ${dir}/calls; done; echo >> ${dir}/calls`;
        const docker = [
            "#!/bin/sh",
            log,
            `D=${dir}`,
            'case "$*" in',
            '  info*) exit 0 ;;',
            '  "image inspect"*) [ -e $D/image ] ;;',
            '  pull*) exit 0 ;;',
            '  "network inspect"*) [ -e $D/network ] ;;',
            '  "network connect"*) exit 0 ;;',
            '  start*) exit 0 ;;',
            '  *k3d.role*) cat $D/role ;;',
            '  *Config.Env*) cat $D/env ;;',
            '  *PortBindings*) cat $D/settings ;;',
            '  *NetworkSettings*) cat $D/networks ;;',
            '  "container inspect"*) [ -e $D/exists ] ;;',
            '  *) echo "unexpected docker $*" >&2; exit 3 ;;',
            "esac",
        ].join("\n");
        // `registry create` reads stdin as a careless tool might: the cluster's config must still reach `cluster create`.
        const k3dFake = ["#!/bin/sh", log, 'case "$*" in', '  "cluster create"*) cat > ' + dir + "/stdin ;;", '  "registry create"*) cat > /dev/null ;;', "esac", "exit 0"].join("\n");
        fs.writeFileSync(path.join(dir, "docker"), docker, { mode: 0o755 });
        fs.writeFileSync(path.join(dir, "k3d"), k3dFake, { mode: 0o755 });
    }
    const run = (script: string, env: Record<string, string> = {}, input?: string) =>
        spawnSync("/bin/sh", ["-c", script], { env: { PATH: `${dir}:/usr/bin:/bin`, ...env }, encoding: "utf8", input });
    const calls = (tool?: string) => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : []).filter((l) => !tool || l.startsWith(`${tool} `));
    const ensure = (c = cache) => registryCacheEnsureScript(c, "istio-mesh", IMG);
    const CREATE = `k3d | registry | create | istio-mesh-cache | --image | ${IMG} | --port | 127.0.0.1:5111 | --volume | istio-mesh-cache:/var/lib/registry | --proxy-remote-url | https://registry-1.docker.io`;

    it("none yet: pulls the image with the docker CLI (the host's login), then k3d registry create with the pinned image, loopback port, named volume", () => {
        setUp({});
        const r = run(ensure());
        expect(r.status, r.stderr).to.equal(0);
        expect(calls("docker")).to.include(`docker | pull | ${IMG}`);
        expect(calls("k3d")).to.deep.equal([`${CREATE} | --no-help`]);
    });

    it("the image already on the host: no pull", () => {
        setUp({ image: true });
        expect(run(ensure()).status).to.equal(0);
        expect(calls("docker").filter((l) => l.startsWith("docker | pull"))).to.deep.equal([]);
    });

    it("with a login: username and token reach k3d from the environment; the script holds neither", () => {
        setUp({});
        const c = { ...cache, username: "jdoe", password: "dckr_pat_s3cr3t$x" };
        const script = ensure(c);
        expect(script).to.not.include("dckr_pat").and.not.include("jdoe");
        const r = run(script, cacheEnvironment(c));
        expect(r.status, r.stderr).to.equal(0);
        // k3d v5.9.0 takes the password only as a flag: it is on k3d's command line while create runs.
        expect(calls("k3d")).to.deep.equal([`${CREATE} | --proxy-username | jdoe | --proxy-password | dckr_pat_s3cr3t$x | --no-help`]);
        expect(r.stdout + r.stderr).to.not.include("dckr_pat");
    });

    it("already there as configured: reused (started if stopped), no k3d call — k3d refuses a second create", () => {
        setUp({ container: {} });
        const r = run(ensure());
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout).to.include("reusing the registry cache k3d-istio-mesh-cache (volume istio-mesh-cache)");
        expect(calls("k3d")).to.deep.equal([]);
        expect(calls("docker")).to.include("docker | start | k3d-istio-mesh-cache");
    });

    it("already there with the same login: reused; the comparison puts no value on a command line", () => {
        setUp({ container: { env: `${PROXY_ENV}REGISTRY_PROXY_USERNAME=jdoe\nREGISTRY_PROXY_PASSWORD=tok-1\n` } });
        const c = { ...cache, username: "jdoe", password: "tok-1" };
        expect(run(ensure(c), cacheEnvironment(c)).status).to.equal(0);
        expect(calls("k3d")).to.deep.equal([]);
        expect(calls().join("\n")).to.not.include("tok-1");
    });

    const drift: [string, Machine["container"]][] = [
        ["another host port", { settings: SAME.replace("5111", "5000") }],
        ["another image", { settings: SAME.replace("2.8.3", "2") }],
        ["another volume", { settings: SAME.replace("volume=istio-mesh-cache", "volume=old") }],
        ["a login the stack no longer has", { env: `${PROXY_ENV}REGISTRY_PROXY_USERNAME=jdoe\nREGISTRY_PROXY_PASSWORD=old\n` }],
    ];
    for (const [what, container] of drift) {
        it(`ours with ${what}: deleted and created again (the volume stays)`, () => {
            setUp({ container });
            const r = run(ensure());
            expect(r.status, r.stderr).to.equal(0);
            expect(r.stderr).to.include("has other settings than the stack's").and.include("its volume istio-mesh-cache, and the images in it, stay");
            expect(calls("k3d")).to.deep.equal(["k3d | registry | delete | k3d-istio-mesh-cache", `${CREATE} | --no-help`]);
        });
    }

    it("a rotated token: the cache is created again with it", () => {
        setUp({ container: { env: `${PROXY_ENV}REGISTRY_PROXY_USERNAME=jdoe\nREGISTRY_PROXY_PASSWORD=old\n` } });
        const c = { ...cache, username: "jdoe", password: "new" };
        expect(run(ensure(c), cacheEnvironment(c)).status).to.equal(0);
        expect(calls("k3d")).to.deep.equal(["k3d | registry | delete | k3d-istio-mesh-cache", `${CREATE} | --proxy-username | jdoe | --proxy-password | new | --no-help`]);
    });

    const foreign: [string, Machine["container"]][] = [
        ["a plain k3d registry (no proxy)", { env: "PATH=/bin\n" }],
        ["a proxy of another registry", { env: "REGISTRY_PROXY_REMOTEURL=https://ghcr.io\n" }],
        ["not a k3d registry at all", { role: "server" }],
    ];
    for (const [what, container] of foreign) {
        it(`the name taken by ${what}: refused, nothing deleted or started`, () => {
            setUp({ container });
            const r = run(ensure());
            expect(r.status).to.equal(1);
            expect(r.stderr).to.include("k3d-istio-mesh-cache exists but is not a k3d pull-through cache of Docker Hub; nothing was changed").and.include("istio-mesh:cluster.registryCache.name");
            expect(calls("k3d")).to.deep.equal([]);
            expect(calls("docker").filter((l) => / \| (start|rm|network \| connect)/.test(l))).to.deep.equal([]);
        });
    }

    it("re-created under a running cluster: connected to its network again; already there: left alone", () => {
        setUp({ container: { settings: SAME.replace("5111", "5000") }, network: true });
        expect(run(ensure()).status).to.equal(0);
        expect(calls("docker")).to.include("docker | network | connect | k3d-istio-mesh | k3d-istio-mesh-cache");
        fs.rmSync(path.join(dir, "calls"));
        setUp({ container: { networks: "bridge k3d-istio-mesh " }, network: true });
        expect(run(ensure()).status).to.equal(0);
        expect(calls("docker").filter((l) => l.includes("network | connect"))).to.deep.equal([]);
    });

    it("before k3d cluster create: the cache is made sure of first, and the config on stdin still reaches k3d whole", () => {
        setUp({});
        const input = k3dConfigYaml(k3d(), DEFAULT_VERSIONS);
        const r = run(k3dCreateScript(ensure()), {}, input);
        expect(r.status, r.stderr).to.equal(0);
        expect(calls("k3d")).to.deep.equal([`${CREATE} | --no-help`, "k3d | cluster | create | --config | -"]);
        expect(fs.readFileSync(path.join(dir, "stdin"), "utf8")).to.equal(input);
    });

    it("a refused cache stops the cluster's creation", () => {
        setUp({ container: { env: "PATH=/bin\n" } });
        const r = run(k3dCreateScript(ensure()), {}, "x");
        expect(r.status).to.equal(1);
        expect(calls("k3d")).to.deep.equal([]);
    });
});

describe("registry cache: resources under mocks", () => {
    const recorder = new DependsOnRecorder();
    const options = new Map<string, { retainOnDelete?: boolean; parent?: string }>();
    const record: pulumi.ResourceTransformation = (a) => {
        options.set(`${a.type}::${a.name}`, { retainOnDelete: a.opts.retainOnDelete, parent: a.opts.parent ? DependsOnRecorder.key(a.opts.parent) : undefined });
        return undefined;
    };
    const COMMAND = "command:local:Command";
    const labWith = async (cfg: MeshConfig) => (await runUnderMocks(() => new Lab("istio-mesh", cfg, { transformations: [recorder.transformation, record] }))).resources;
    const one = (rs: Registered[], type: string, name: string) => {
        const r = rs.filter((x) => x.type === type && x.name === name);
        expect(r, `${type} ${name}`).to.have.length(1);
        return r[0];
    };
    let resources: Registered[];
    before(async () => (resources = await labWith(parseConfig({}, "dev"))));

    it("its own command in its own component (istio-mesh:cluster:K3dRegistryCache), beside the cluster", () => {
        one(resources, COMMAND, "istio-mesh-cache-registry");
        expect(options.get(`${COMMAND}::istio-mesh-cache-registry`)?.parent).to.equal("istio-mesh:cluster:K3dRegistryCache::istio-mesh-cache");
        expect(options.get("istio-mesh:cluster:K3dRegistryCache::istio-mesh-cache")?.parent).to.equal("istio-mesh:index:Lab::istio-mesh");
    });

    it("down forgets it without deleting it (retainOnDelete); the cluster itself is deleted as before", () => {
        expect(options.get(`${COMMAND}::istio-mesh-cache-registry`)?.retainOnDelete).to.equal(true);
        expect(options.get(`${COMMAND}::istio-mesh-cluster`)?.retainOnDelete).to.not.equal(true);
        expect(one(resources, COMMAND, "istio-mesh-cache-registry").inputs.delete).to.equal(undefined);
    });

    it("the cluster waits for it, and makes sure of it again right before k3d cluster create", () => {
        expect(recorder.dependsOn(COMMAND, "istio-mesh-cluster")).to.include(`${COMMAND}::istio-mesh-cache-registry`);
        const create: string = one(resources, COMMAND, "istio-mesh-cluster").inputs.create;
        expect(create.indexOf("k3d registry create 'istio-mesh-cache'")).to.be.greaterThan(create.indexOf("docker info"));
        expect(create.indexOf("k3d registry create")).to.be.lessThan(create.indexOf("k3d cluster create --config -"));
        expect(one(resources, COMMAND, "istio-mesh-cache-registry").inputs.create).to.include(registryCacheEnsureScript(k3d().registryCache!, "istio-mesh", DEFAULT_VERSIONS.registryCacheImage));
    });

    it("without a login, no environment; with one, the token is a secret input of both commands", async () => {
        expect(one(resources, COMMAND, "istio-mesh-cache-registry").inputs.environment).to.equal(undefined);
        const rs = await labWith(parseConfig({ cluster: { registryCache: { username: "jdoe", password: "dckr_pat_x1" } } }, "dev"));
        for (const name of ["istio-mesh-cache-registry", "istio-mesh-cluster"]) {
            // The secret makes the whole map secret on the wire (and in the state).
            const env = one(rs, COMMAND, name).inputs.environment;
            expect(env[SECRET_SIG], name).to.not.equal(undefined);
            expect(env.value, name).to.deep.equal({ ISTIO_MESH_CACHE_USERNAME: "jdoe", ISTIO_MESH_CACHE_PASSWORD: "dckr_pat_x1" });
            expect(one(rs, COMMAND, name).inputs.create, name).to.not.include("dckr_pat_x1");
        }
    });

    it("with a mirror: no cache resource; the cluster gets the mirror's login as JSON in its environment, the password secret", async () => {
        const rs = await labWith(parseConfig({ cluster: { registryMirror: { url: "https://m.example.com", username: "u", password: "pw-1" } } }, "dev"));
        expect(rs.filter((r) => r.type === "istio-mesh:cluster:K3dRegistryCache")).to.deep.equal([]);
        const c = one(rs, COMMAND, "istio-mesh-cluster").inputs;
        expect(c.environment[SECRET_SIG]).to.not.equal(undefined);
        expect(c.environment.value).to.deep.equal({ ISTIO_MESH_MIRROR_USERNAME: '"u"', ISTIO_MESH_MIRROR_PASSWORD: '"pw-1"' });
        expect(c.stdin).to.not.include("pw-1");
        expect(recorder.dependsOn(COMMAND, "istio-mesh-cluster")).to.deep.equal([`${COMMAND}::istio-mesh-prerequisites`]);
    });

    it("turned off: no cache resource, the cluster as before", async () => {
        const rs = await labWith(parseConfig({ cluster: { registryCache: { enabled: false } } }, "dev"));
        expect(rs.filter((r) => r.name.endsWith("-registry") || r.type === "istio-mesh:cluster:K3dRegistryCache")).to.deep.equal([]);
        expect(one(rs, COMMAND, "istio-mesh-cluster").inputs.create).to.not.include("registry");
    });

    it("down's notice says what was kept and how to remove it", () => {
        expect(registryCacheKeptNotice({ cluster: k3d() })).to.equal(
            "istio-mesh: the registry cache k3d-istio-mesh-cache and its volume istio-mesh-cache were kept, so the next up pulls nothing Docker Hub already sent. To remove them: k3d registry delete k3d-istio-mesh-cache && docker volume rm istio-mesh-cache\n",
        );
        expect(registryCacheKeptNotice({ cluster: k3d({ cluster: { registryCache: { enabled: false } } }) })).to.equal(undefined);
    });
});

describe("registry cache: npm run render -- dev", function () {
    this.timeout(60000);
    it("shows the cache's command (k3d registry create, pinned image) and the cluster config using it", () => {
        const r = render(["dev"]);
        expect(r.status, r.stderr).to.equal(0);
        const docs = yaml.loadAll(r.stdout) as any[];
        const cache = docs.find((d) => d.type === "command:local:Command" && d.name === "istio-mesh-cache-registry");
        expect(cache, "the cache's command is rendered").to.not.equal(undefined);
        expect(cache.inputs.create).to.include(`k3d registry create 'istio-mesh-cache' --image '${DEFAULT_VERSIONS.registryCacheImage}' --port '127.0.0.1:5111'`);
        const k3dCfg = yaml.load(docs.find((d) => d.name === "istio-mesh-cluster").inputs.stdin) as any;
        expect(k3dCfg.registries.use).to.deep.equal(["k3d-istio-mesh-cache:5000"]);
        // Rendered before the cluster: the order the engine registers them in.
        expect(docs.indexOf(cache)).to.be.lessThan(docs.findIndex((d) => d.name === "istio-mesh-cluster"));
    });
});

describe("registry cache: the preflight's port check", () => {
    const machine = (o: { exists?: string; busy?: string[] }): System & { asked: string[] } => {
        const asked: string[] = [];
        return {
            asked,
            env: {},
            homeDir: "/home/u",
            which: () => "/usr/bin/x",
            exec: (c, args) => {
                asked.push(`${c} ${args.join(" ")}`);
                return o.exists !== undefined ? { status: 0, stdout: o.exists, stderr: "" } : { status: 1, stdout: "", stderr: "Error: No such container" };
            },
            portBusy: async (host, port) => ((o.busy ?? []).includes(`${host}:${port}`) ? "in use" : undefined),
            exists: () => false,
            kubeApi: async () => ({ ok: true, server: "x" }),
        };
    };
    const cfg = parseConfig({}, "dev");
    const rows: [string, Parameters<typeof machine>[0], MeshConfig, RegExp | ""][] = [
        ["no cache yet, port free", {}, cfg, ""],
        ["no cache yet, port taken", { busy: ["127.0.0.1:5111"] }, cfg, /^port 127\.0\.0\.1:5111 \(istio-mesh:cluster\.registryCache\.hostPort, for the Docker Hub registry cache\) is in use.*pulumi config set --path 'istio-mesh:cluster\.registryCache\.hostPort' <port>$/],
        ["the cache itself holds the port", { exists: "5111 ", busy: ["127.0.0.1:5111"] }, cfg, ""],
        ["a cache on another port, the new one taken", { exists: "5000 ", busy: ["127.0.0.1:5111"] }, cfg, /port 127\.0\.0\.1:5111/],
        ["cache off: not checked", { busy: ["127.0.0.1:5111"] }, parseConfig({ cluster: { registryCache: { enabled: false } } }, "dev"), ""],
    ];
    for (const [name, m, c, want] of rows) {
        it(`${name}: ${want === "" ? "passes" : "stops"}`, async () => {
            const p = await registryCachePortProblems(c, machine(m));
            if (want === "") expect(p).to.deep.equal([]);
            else expect(p.join("\n")).to.match(want);
        });
    }

    it("asks docker for the cache container by its k3d name", async () => {
        const sys = machine({});
        await registryCachePortProblems(cfg, sys);
        expect(sys.asked[0]).to.match(/^docker container inspect -f .*PortBindings.* k3d-istio-mesh-cache$/);
    });
});
