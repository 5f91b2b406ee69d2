/**
 * What `up`, `preview` and `down` need on this machine, checked before anything is created (no state
 * directory, no CLI download, no image build): per cluster kind, the tools on PATH, the daemons and
 * API servers answering, the host ports free. Every problem says what to install or start. The checks
 * are pure over a `System`; `realSystem()` is the only part that looks at the machine.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { PrerequisiteError } from "../cli/errors";
import type { MeshConfig } from "../config/types";
import type { Fetch } from "../supplychain/http";
import { pinnedArtifactsPreflight } from "../supplychain/preflightCheck";
import { registryCachePortProblems } from "./registryCache";
import type { ExecResult, KubeApiAnswer, System } from "./system";

export type { ExecResult, KubeApiAnswer, System };

export type PreflightCommand = "up" | "preview" | "down";

/** k3d reads this project's `k3d.io/v1alpha5` config from 5.5 on; the e2e workflow runs v5.9.0. */
export const K3D_SUPPORTED = { min: [5, 5, 0] as const, belowMajor: 6, tested: "v5.9.0" };

const DOCKER_INSTALL = "install Docker Engine or Docker Desktop: https://docs.docker.com/get-docker/";
const K3D_INSTALL = "install k3d v5 (https://k3d.io/#installation), e.g. curl -s https://raw.githubusercontent.com/k3d-io/k3d/main/install.sh | TAG=v5.9.0 bash";

function firstLine(s: string): string {
    return s.trim().split("\n")[0] ?? "";
}

function checkDocker(sys: System): string[] {
    if (!sys.which("docker")) return [`'docker' is not installed (not on PATH): ${DOCKER_INSTALL}`];
    const r = sys.exec("docker", ["info", "--format", "{{.ServerVersion}}"], 15000);
    if (r.error || r.status !== 0 || !r.stdout.trim()) {
        const why = r.error ?? (firstLine(r.stderr) || `exit ${r.status}`);
        return [`the Docker daemon does not answer ('docker info': ${why}): start Docker (Docker Desktop, or 'sudo systemctl start docker'), and check that this user may use it`];
    }
    return [];
}

export function k3dVersionProblem(output: string): string | undefined {
    const m = output.match(/k3d version v?(\d+)\.(\d+)\.(\d+)/);
    if (!m) return `'k3d version' printed no version this program understands (${JSON.stringify(firstLine(output))}): ${K3D_INSTALL}`;
    const v = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [a, b, c] = K3D_SUPPORTED.min;
    const tooOld = v[0] < a || (v[0] === a && (v[1] < b || (v[1] === b && v[2] < c)));
    if (tooOld || v[0] >= K3D_SUPPORTED.belowMajor) {
        return `k3d v${v.join(".")} is not supported: this program needs k3d ${a}.${b}.${c} or later 5.x (tested: ${K3D_SUPPORTED.tested}); ${K3D_INSTALL}`;
    }
    return undefined;
}

function checkK3d(sys: System): string[] {
    if (!sys.which("k3d")) return [`'k3d' is not installed (not on PATH): ${K3D_INSTALL}`];
    const r = sys.exec("k3d", ["version"], 15000);
    if (r.error || r.status !== 0) return [`'k3d version' failed (${r.error ?? (firstLine(r.stderr) || `exit ${r.status}`)}): ${K3D_INSTALL}`];
    const p = k3dVersionProblem(r.stdout);
    return p ? [p] : [];
}

/** Whether k3d already runs this cluster (then its own load balancer holds the host ports). */
function k3dClusterExists(sys: System, name: string): boolean {
    const r = sys.exec("k3d", ["cluster", "get", name, "--no-headers"], 15000);
    return !r.error && r.status === 0;
}

async function checkPorts(cfg: MeshConfig, sys: System): Promise<string[]> {
    if (cfg.cluster.kind !== "k3d") return [];
    const c = cfg.cluster;
    const problems: string[] = [];
    const wanted = [
        { host: "127.0.0.1", port: c.apiPort, key: "istio-mesh:cluster.apiPort", what: "the Kubernetes API" },
        { host: c.ingress.bindAddress, port: c.ingress.hostPort, key: "istio-mesh:cluster.ingress.hostPort", what: "the ingress gateway" },
    ];
    for (const w of wanted) {
        const busy = await sys.portBusy(w.host, w.port);
        if (busy) {
            problems.push(
                `port ${w.host}:${w.port} (${w.key}, for ${w.what}) is ${busy} on this machine: stop what listens there (e.g. 'lsof -i :${w.port}'), ` +
                    `or choose another port with pulumi config set --path '${w.key}' <port>`,
            );
        }
    }
    return problems;
}

/** Where the AWS SDK would find credentials; only their presence is checked (no network). */
function checkAws(sys: System): string[] {
    const e = sys.env;
    if (e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY) return [];
    if (e.AWS_PROFILE || e.AWS_WEB_IDENTITY_TOKEN_FILE || e.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || e.AWS_CONTAINER_CREDENTIALS_FULL_URI) return [];
    const files = [e.AWS_SHARED_CREDENTIALS_FILE ?? path.join(sys.homeDir, ".aws", "credentials"), e.AWS_CONFIG_FILE ?? path.join(sys.homeDir, ".aws", "config")];
    if (files.some((f) => sys.exists(f))) return [];
    return [
        "no AWS credentials found (no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, web identity or ~/.aws/credentials): " +
            "run 'aws configure' or 'aws sso login', or export the credentials of an account that may create EKS clusters",
    ];
}

async function checkKubeconfig(cfg: MeshConfig, command: PreflightCommand, sys: System): Promise<string[]> {
    if (cfg.cluster.kind !== "kubeconfig") return [];
    const c = cfg.cluster;
    // A kubeconfig given as a secret cannot be read offline by `render`; here the engine will decrypt it, so only the context is checked.
    if (c.kubeconfig !== undefined && c.context === undefined) return [];
    // The user said the cluster is gone for good: its objects leave the state without a call (pulumi-kubernetes deleteUnreachable).
    if (command === "down" && sys.env.PULUMI_K8S_DELETE_UNREACHABLE === "true") return [];
    const a = await sys.kubeApi(c.context, undefined);
    if (a.ok) return [];
    // down would fail on every object's delete; a cluster deleted for good can only be forgotten.
    const gone =
        command === "down"
            ? `; if that cluster is gone for good, forget what the state holds for it with: PULUMI_K8S_DELETE_UNREACHABLE=true npm run down -- --stack ${cfg.stack}`
            : `; once it answers again, and if it is a new cluster under the same context, run npm run ${command} -- --stack ${cfg.stack} --refresh so what is missing there is created again`;
    return [`the cluster of kube context ${c.context ? `"${c.context}"` : "(current)"}${a.server ? ` (${a.server})` : ""} does not answer: ${a.error}. Check 'kubectl --context ${c.context ?? "<context>"} get ns', or set istio-mesh:cluster.context${gone}`];
}

/**
 * No chart or image is pinned at a retired location, and the pinned charts are where their
 * repositories say: one request per repository (supplychain/preflightCheck.ts). Problems refuse the
 * command; a repository that cannot be asked is a warning only.
 */
async function checkPinnedCharts(cfg: MeshConfig, sys: System, fetch: Fetch): Promise<string[]> {
    const r = await pinnedArtifactsPreflight(cfg, { fetch, env: sys.env });
    for (const w of r.warnings) sys.warn?.(w);
    return r.problems;
}

/**
 * `lab run`'s part of the preflight: only the pinned charts (each lesson is an `up` that resolves them
 * again; the cluster is already there). The same check and message as `up`'s; throws a PrerequisiteError.
 */
export async function pinnedChartsPreflight(cfg: MeshConfig, sys: System): Promise<void> {
    if (!sys.fetch) return;
    const problems = await checkPinnedCharts(cfg, sys, sys.fetch);
    if (problems.length) throw refused(`npm run lab -- run --stack ${cfg.stack}`, "no lesson was applied", problems);
}

function refused(usage: string, outcome: string, problems: string[]): PrerequisiteError {
    return new PrerequisiteError(
        `${usage}: ${problems.length === 1 ? "a prerequisite is" : `${problems.length} prerequisites are`} missing; ${outcome}:\n` +
            problems.map((p) => `  - ${p}`).join("\n"),
    );
}

/** Every prerequisite of the command for this stack's cluster kind; throws one PrerequisiteError listing them all. */
export async function preflight(cfg: MeshConfig, command: PreflightCommand, sys: System): Promise<void> {
    const problems: string[] = [];
    switch (cfg.cluster.kind) {
        case "k3d": {
            problems.push(...checkDocker(sys));
            const k3d = checkK3d(sys);
            problems.push(...k3d);
            // Ports matter only when `up` is about to create the cluster; a running one holds them itself.
            if (command === "up" && problems.length === 0 && !k3dClusterExists(sys, cfg.cluster.name)) problems.push(...(await checkPorts(cfg, sys)));
            // The registry cache outlives the cluster: its port is checked on its own (preflight/registryCache.ts).
            if (command === "up" && problems.length === 0) problems.push(...(await registryCachePortProblems(cfg, sys)));
            break;
        }
        case "eks":
            problems.push(...checkAws(sys));
            break;
        case "kubeconfig":
            problems.push(...(await checkKubeconfig(cfg, command, sys)));
            break;
    }
    // Building the servicex image needs a Docker daemon on every cluster kind.
    const builds = Object.values(cfg.images).some((img) => img.kind === "build" && cfg.workloads.some((w) => w.appImage === img.app));
    if (command !== "down" && builds && cfg.cluster.kind !== "k3d") problems.push(...checkDocker(sys).map((p) => `${p} (the servicex image is built locally: istio-mesh:images.servicex.build)`));
    // Last, once this machine is otherwise ready: the pinned charts and images (`down` does not run the program).
    if (command !== "down" && problems.length === 0 && sys.fetch) problems.push(...(await checkPinnedCharts(cfg, sys, sys.fetch)));
    if (problems.length) throw refused(`npm run ${command} -- --stack ${cfg.stack}`, "nothing was created", problems);
}

/** PATH lookup as a shell does it. */
function whichOn(envPath: string | undefined, command: string): string | undefined {
    for (const dir of (envPath ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const f = path.join(dir, command);
        try {
            fs.accessSync(f, fs.constants.X_OK);
            if (fs.statSync(f).isFile()) return f;
        } catch {
            // not here
        }
    }
    return undefined;
}

function portBusy(host: string, port: number): Promise<string | undefined> {
    return new Promise((resolve) => {
        const s = net.createServer();
        s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "EADDRINUSE" ? "in use" : e.code === "EACCES" ? "not permitted for this user" : e.code === "EADDRNOTAVAIL" ? "not an address of this machine" : `unusable (${e.code})`));
        s.listen({ host, port, exclusive: true }, () => s.close(() => resolve(undefined)));
    });
}

async function kubeApi(context: string | undefined, kubeconfig: string | undefined): Promise<KubeApiAnswer> {
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    try {
        if (kubeconfig !== undefined) kc.loadFromString(kubeconfig);
        else kc.loadFromDefault();
    } catch (e) {
        return { ok: false, error: `the kubeconfig cannot be read: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (context !== undefined) {
        if (!kc.getContexts().some((c) => c.name === context)) {
            return { ok: false, error: `no context "${context}" in the kubeconfig (contexts: ${kc.getContexts().map((c) => c.name).filter((n) => n !== "loaded-context").join(", ") || "none"})` };
        }
        kc.setCurrentContext(context);
    }
    const server = kc.getCurrentCluster()?.server;
    if (!server) return { ok: false, error: "the kubeconfig has no current context or cluster" };
    const api = kc.makeApiClient(k8s.VersionApi);
    let timer: NodeJS.Timeout | undefined;
    try {
        await Promise.race([api.getCode(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("no answer within 10 s")), 10000)))]);
        return { ok: true, server };
    } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        return { ok: false, server, error: firstLine(msg) };
    } finally {
        clearTimeout(timer);
    }
}

export function realSystem(env: Record<string, string | undefined>, warn: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): System {
    return {
        env,
        which: (c) => whichOn(env.PATH, c),
        exec: (command, args, timeoutMs) => {
            const r = spawnSync(command, args, { encoding: "utf8", timeout: timeoutMs, env: env as NodeJS.ProcessEnv });
            const error = r.error ? (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT" ? `no answer within ${timeoutMs / 1000} s` : r.error.message : undefined;
            return { status: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ...(error ? { error } : {}) };
        },
        portBusy,
        exists: (f) => fs.existsSync(f),
        homeDir: env.HOME ?? os.homedir(),
        kubeApi,
        // Looked up at call time, so a test harness that replaces the global fetch is used.
        fetch: (url, init) => globalThis.fetch(url, init),
        warn,
    };
}
