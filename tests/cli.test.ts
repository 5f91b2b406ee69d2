/**
 * The command line as a user meets it: the real entry point (cli/main.ts) as a child process, with a
 * controlled PATH (fake docker/k3d/pulumi scripts that log every call), no network (every fetch is
 * refused and recorded) and state/CLI directories in a temp dir, so "touched nothing" is measured.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { commands } from "../cli/main";
import { dispatch } from "../cli/run";

const ROOT = path.resolve(__dirname, "..");
const ENTRY = path.join(ROOT, "cli", "main.ts");
const NO_NETWORK = path.join(__dirname, "helpers", "noNetwork.mjs");
const TSX = pathToFileURL(require.resolve("tsx")).href;

interface Sandbox {
    dir: string;
    bin: string;
    calls: string;
    fetches: string;
    state: string;
    cliDir: string;
}

/** A fake command that logs its arguments and answers per argv[1]. */
function fake(sb: Sandbox, name: string, answers: Record<string, { out?: string; code?: number }>, fallback = { code: 0 }): void {
    const cases = Object.entries(answers)
        .map(([arg, a]) => `  ${arg}) printf '%s\\n' ${JSON.stringify(a.out ?? "")}; exit ${a.code ?? 0};;`)
        .join("\n");
    fs.writeFileSync(path.join(sb.bin, name), `#!/bin/sh\necho "${name} $*" >> ${JSON.stringify(sb.calls)}\ncase "$1" in\n${cases}\n  *) exit ${fallback.code};;\nesac\n`, { mode: 0o755 });
}

function sandbox(): Sandbox {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-cli-"));
    const sb = { dir, bin: path.join(dir, "bin"), calls: path.join(dir, "calls.log"), fetches: path.join(dir, "fetches.log"), state: path.join(dir, "state"), cliDir: path.join(dir, "pulumi-cli") };
    fs.mkdirSync(sb.bin);
    // A pulumi on PATH that would be used if anything got that far: its log proves nothing did.
    fake(sb, "pulumi", { version: { out: "v3.248.0" } });
    return sb;
}

/** `extra`: more environment (npm's INIT_CWD, npm_config_*); `cwd`: where it runs (npm runs scripts in the project root). */
function cli(sb: Sandbox, args: string[], extra: Record<string, string> = {}, cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env = {
        ...extra,
        PATH: sb.bin,
        HOME: sb.dir,
        PULUMI_BACKEND_URL: `file://${sb.state}`,
        ISTIO_MESH_PULUMI_CLI_DIR: sb.cliDir,
        ISTIO_MESH_TEST_FETCH_LOG: sb.fetches,
        KUBECONFIG: path.join(sb.dir, "no-kubeconfig"),
    };
    return new Promise((resolve) => {
        // tsx by its file: `--import tsx` resolves from the working directory, which need not be this project.
        execFile(process.execPath, ["--import", TSX, "--import", NO_NETWORK, ENTRY, ...args], { cwd, env, timeout: 60000 }, (error, stdout, stderr) => {
            resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
        });
    });
}

const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
const noTrace = (s: string) => expect(s, "no JavaScript stack trace").to.not.match(/^\s+at .+:\d+:\d+\)?$/m);

function touchedNothing(sb: Sandbox): void {
    expect(read(sb.calls).split("\n").filter((l) => l.startsWith("pulumi")), "no pulumi CLI call").to.deep.equal([]);
    expect(read(sb.fetches), "no download").to.equal("");
    expect(fs.existsSync(sb.state), "no state directory").to.equal(false);
    expect(fs.existsSync(sb.cliDir), "no CLI installed").to.equal(false);
}

describe("command line (child processes, controlled PATH, no network)", function () {
    this.timeout(120000);
    let sb: Sandbox;
    beforeEach(() => (sb = sandbox()));
    afterEach(() => fs.rmSync(sb.dir, { recursive: true, force: true }));

    it("--help and -h on every command print its usage, exit 0 and touch nothing", async () => {
        const names = commands.map((c) => c.spec.name);
        const runs = await Promise.all(names.flatMap((n) => [cli(sb, [...n.split(" "), "--help"]), cli(sb, [...n.split(" "), "-h", "--stak", "typo"])]));
        runs.forEach((r, i) => {
            const name = names[Math.floor(i / 2)];
            expect(r.code, `${name}: ${r.stderr}`).to.equal(0);
            const [script, ...sub] = name.split(" ");
            expect(r.stdout).to.include(`usage: npm run ${script} --${sub.length ? ` ${sub.join(" ")}` : ""}`).and.include("exit codes: 0 success; 1");
            expect(r.stderr).to.equal("");
        });
        touchedNothing(sb);
        expect(read(sb.calls), "not even docker or k3d was asked").to.equal("");
    });

    const usageRows: { args: string[]; want: RegExp[] }[] = [
        { args: ["down", "--stak", "cloud"], want: [/unknown option --stak \(did you mean --stack\?\)/] },
        { args: ["diff", "--bogus", "x"], want: [/npm run diff: unknown option --bogus/] },
        { args: ["up", "--stack"], want: [/--stack needs a value/] },
        { args: ["up", "cloud"], want: [/unexpected argument "cloud"/] },
        { args: ["up", "--stack", "nosuch"], want: [/no stack "nosuch": there is no Pulumi\.nosuch\.yaml/, /Stacks here: cloud, dev/] },
        { args: ["render", "nosuchstack"], want: [/no stack "nosuchstack"/, /Stacks here: cloud, dev/] },
        { args: ["render", "dev", "extra"], want: [/unexpected argument "extra"/] },
        { args: ["render", "--file", "no/such/file.yaml"], want: [/--file no\/such\/file\.yaml: no such file/] },
        { args: ["verify", "--json=yes"], want: [/--json takes no value/] },
        { args: ["verify", "--samples", "3"], want: [/--samples 3: expected a whole number from 20 to 10000/] },
        { args: ["deploy"], want: [/unknown command "deploy"/, /commands: render, analyze/] },
    ];
    it("usage errors exit 2, name the flag (and the one meant), list stacks, print no trace and touch nothing", async () => {
        const runs = await Promise.all(usageRows.map((r) => cli(sb, r.args)));
        runs.forEach((r, i) => {
            const row = usageRows[i];
            expect(r.code, `${row.args.join(" ")}: ${r.stderr}`).to.equal(2);
            expect(r.stdout).to.equal("");
            for (const w of row.want) expect(r.stderr, row.args.join(" ")).to.match(w);
            noTrace(r.stderr);
        });
        touchedNothing(sb);
    });

    it("up without docker: its message, exit 2, nothing created", async () => {
        const r = await cli(sb, ["up"]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.include("nothing was created").and.include("'docker' is not installed (not on PATH): install Docker Engine or Docker Desktop: https://docs.docker.com/get-docker/");
        expect(r.stderr).to.include("'k3d' is not installed");
        noTrace(r.stderr);
        touchedNothing(sb);
    });

    it("up with docker but no daemon: says to start it, exit 2, nothing created", async () => {
        fake(sb, "docker", { info: { out: "Cannot connect to the Docker daemon at unix:///var/run/docker.sock", code: 1 } });
        fake(sb, "k3d", { version: { out: "k3d version v5.9.0" } });
        const r = await cli(sb, ["up"]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.include("the Docker daemon does not answer").and.include("start Docker");
        expect(r.stderr).to.not.include("k3d");
        touchedNothing(sb);
    });

    it("preview with docker running but no k3d (or an old one): its message, exit 2, nothing created", async () => {
        fake(sb, "docker", { info: { out: "28.2.2" } });
        let r = await cli(sb, ["preview"]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.include("'k3d' is not installed (not on PATH): install k3d v5 (https://k3d.io/#installation)").and.not.include("docker");
        fake(sb, "k3d", { version: { out: "k3d version v4.4.8" } });
        r = await cli(sb, ["preview"]);
        expect(r.stderr).to.include("k3d v4.4.8 is not supported: this program needs k3d 5.5.0 or later 5.x");
        touchedNothing(sb);
    });

    it("with every prerequisite but the CLI and no network: a clear message naming the URL and the manual install, no trace", async () => {
        fs.rmSync(path.join(sb.bin, "pulumi"));
        fake(sb, "docker", { info: { out: "28.2.2" } });
        fake(sb, "k3d", { version: { out: "k3d version v5.9.0" }, cluster: { out: "istio-mesh" } });
        const r = await cli(sb, ["up"]);
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.include("installing Pulumi CLI v").and.include("could not install the Pulumi CLI v");
        expect(r.stderr).to.include("https://get.pulumi.com/install.sh").and.include("Install it by hand and run again: curl -fsSL https://get.pulumi.com | sh -s -- --version");
        noTrace(r.stderr);
        // First the pinned charts' repositories, one index each (refused here: a warning, and on), then the CLI installer.
        const fetches = read(sb.fetches).trim().split("\n");
        expect(fetches.pop()).to.equal("https://get.pulumi.com/install.sh");
        expect(fetches.length).to.be.greaterThan(0);
        for (const f of fetches) expect(f).to.match(/^https:\/\/.+\/index\.yaml$/);
        expect(new Set(fetches).size, "one request per repository").to.equal(fetches.length);
        expect(r.stderr).to.include("could not check the pinned charts").and.include("continuing");
        expect(fs.existsSync(sb.state), "no state directory").to.equal(false);
        // The preflight asked docker and k3d, and checked that the cluster exists (so its ports are its own).
        expect(read(sb.calls)).to.include("docker info").and.include("k3d version").and.include("k3d cluster get istio-mesh");
    });

    it("down of a stack that was never deployed: says so, exit 0, touches nothing", async () => {
        const r = await cli(sb, ["down", "--stack", "dev"]);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stderr).to.include('stack "dev" has no state').and.include("nothing to destroy. Nothing changed.");
        touchedNothing(sb);
        expect(read(sb.calls)).to.equal("");
    });

    it("npm run pulumi -- …: the CLI on PATH, with the project's backend and the dev passphrase, the arguments untouched", async () => {
        fs.writeFileSync(
            path.join(sb.bin, "pulumi"),
            `#!/bin/sh\necho "pulumi $* | $PULUMI_BACKEND_URL | $PULUMI_CONFIG_PASSPHRASE" >> ${JSON.stringify(sb.calls)}\n[ "$1" = version ] && echo v3.248.0\nexit 0\n`,
            { mode: 0o755 },
        );
        const r = await cli(sb, ["pulumi", "config", "set", "--path", "istio-mesh:services.nginx-service.weights.v2", "25", "--stack", "dev"]);
        expect(r.code, r.stderr).to.equal(0);
        const calls = read(sb.calls).trim().split("\n");
        expect(calls[calls.length - 1]).to.equal(`pulumi config set --path istio-mesh:services.nginx-service.weights.v2 25 --stack dev | file://${sb.state} | istio-mesh-dev-only`);
        expect(fs.existsSync(sb.state), "the file backend's directory, as up makes it").to.equal(true);
        expect(read(sb.fetches)).to.equal("");
    });

    it("a --file that is a directory is a usage error, not a crash", async () => {
        const stack = path.join(sb.dir, "Pulumi.weird.yaml");
        fs.mkdirSync(stack);
        const r = await cli(sb, ["analyze", "--file", stack]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.include("no such file");
    });
});

describe("the user's paths: files named are read and written where the user stands, not in the project root", function () {
    this.timeout(120000);
    let sb: Sandbox;
    before(() => {
        sb = sandbox();
        fs.copyFileSync(path.join(ROOT, "examples", "scenarios", "12-fault-abort.yaml"), path.join(sb.dir, "12-fault-abort.yaml"));
        // A subset that selects no pod (IST0173) and a hash over a weighted split (MESH001): three errors.
        fs.writeFileSync(
            path.join(sb.dir, "bad.yaml"),
            "config:\n  istio-mesh:services:\n    nginx-service:\n      subsets:\n        v1: {version: A}\n        v2: {version: ZZZ}\n      weights: {v1: 90, v2: 10}\n      trafficPolicy:\n        loadBalancer:\n          consistentHash:\n            httpHeaderName: x-user\n",
        );
    });
    after(() => fs.rmSync(sb.dir, { recursive: true, force: true }));

    it("under npm (cwd the project root, INIT_CWD the user's directory): --file is read and --output written there, and printed as typed", async () => {
        const render = await cli(sb, ["render", "--file", "12-fault-abort.yaml", "--output", "out.yaml"], { INIT_CWD: sb.dir });
        expect(render.code, render.stderr).to.equal(0);
        expect(render.stderr).to.match(/wrote \d+ documents of stack "dev" to out\.yaml\n$/);
        expect(read(path.join(sb.dir, "out.yaml"))).to.include("kind: VirtualService").and.include("httpStatus: 500");
        expect(fs.existsSync(path.join(ROOT, "out.yaml")), "nothing written to the project root").to.equal(false);
    });

    it("without npm: from the directory the command runs in", async () => {
        const r = await cli(sb, ["analyze", "--file", "12-fault-abort.yaml"], {}, sb.dir);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.equal("✔ No validation issues found when analyzing 12-fault-abort.yaml (read as stack dev).\n");
    });

    // The same shell in-process (dispatch, what cli/main.ts runs): every other path option, and analyze's text.
    const run = async (args: string[]) => {
        let out = "";
        let err = "";
        const code = await dispatch(commands, args, { io: { out: (t) => (out += t), err: (t) => (err += t) }, env: { INIT_CWD: sb.dir }, projectRoot: ROOT });
        return { code, out, err };
    };

    it("--graph, --markdown and a missing --file: from INIT_CWD too, and printed as typed", async () => {
        const graph = await run(["render", "--file", "12-fault-abort.yaml", "--graph", "mesh.md"]);
        expect(graph.code, graph.err).to.equal(0);
        expect(graph.err).to.equal('istio-mesh: wrote the traffic diagram of stack "dev" to mesh.md\n');
        expect(read(path.join(sb.dir, "mesh.md"))).to.include("```mermaid");
        const plan = await run(["lab", "plan", "--only", "11", "--markdown", "plan.md"]);
        expect(plan.code, plan.err).to.equal(0);
        expect(plan.err).to.equal("lab: wrote plan.md\n");
        expect(read(path.join(sb.dir, "plan.md"))).to.include("`12-fault-abort`");
        const missing = await run(["render", "--file", "nosuch.yaml"]);
        expect(missing.code).to.equal(2);
        expect(missing.err).to.equal(`--file nosuch.yaml: no such file (relative paths are read from ${sb.dir}, where the command was run)\n`);
    });

    it("analyze: one line per finding in istioctl's shape with its config path, a closing line naming the file analysed; --json unchanged", async () => {
        const text = await run(["analyze", "--file", "bad.yaml"]);
        expect(text.code, text.err).to.equal(1);
        const lines = text.out.trimEnd().split("\n");
        expect(lines[0]).to.match(/^Error \[IST0173\] \(DestinationRule default\/nginx-dr istio-mesh:services\.nginx-service\.subsets\.v2\) subset "v2" selects \{"version":"ZZZ"\}/);
        expect(lines[1]).to.match(/^ {4}fix: fix the subset's labels/);
        expect(lines.filter((l) => /^(Error|Warning|Info) \[/.test(l))).to.have.length(3);
        expect(lines.filter((l) => !/^(Error|Warning|Info) \[| {4}(fix|to accept it): /.test(l))).to.deep.equal(["Error: Analyzers found issues when analyzing bad.yaml (read as stack dev): 3 errors, 0 warnings, 0 info."]);
        const json = await run(["analyze", "--file", "bad.yaml", "--json"]);
        expect(json.code).to.equal(1);
        const findings = JSON.parse(json.out);
        expect(findings.map((f: { code: string }) => f.code).sort()).to.deep.equal(["IST0173", "MESH001", "MESH001"]);
        expect(Object.keys(findings[0])).to.include.members(["code", "severity", "resource", "path", "message", "fix"]);
    });

    it("through npm itself: INIT_CWD is where npm was run, and `npm run up --stack dev` is caught with its fix", async function () {
        const npmBin = [path.join(path.dirname(process.execPath), "npm"), "/usr/bin/npm", "/usr/local/bin/npm"].find((f) => fs.existsSync(f));
        if (!npmBin) this.skip();
        const npm = (args: string[]) =>
            new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
                // --prefix: npm finds the project from the user's directory; the script still runs in the project root.
                const env = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: sb.dir, npm_config_update_notifier: "false", PULUMI_BACKEND_URL: `file://${sb.state}`, ISTIO_MESH_PULUMI_CLI_DIR: sb.cliDir };
                execFile(npmBin!, ["--prefix", ROOT, ...args], { cwd: sb.dir, env, timeout: 60000 }, (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }));
            });
        const [analyze, up] = await Promise.all([npm(["run", "-s", "analyze", "--", "--file", "12-fault-abort.yaml"]), npm(["run", "-s", "up", "--stack", "dev"])]);
        expect(analyze.code, analyze.stderr).to.equal(0);
        expect(analyze.stdout).to.include("✔ No validation issues found when analyzing 12-fault-abort.yaml (read as stack dev).");
        expect(up.code, up.stderr).to.equal(2);
        expect(up.stderr).to.include("npm took --stack for its own option").and.include("npm run up -- --stack dev");
        touchedNothing(sb);
    });
});
