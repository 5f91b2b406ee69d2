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
import { commands } from "../cli/main";

const ROOT = path.resolve(__dirname, "..");
const ENTRY = path.join(ROOT, "cli", "main.ts");
const NO_NETWORK = path.join(__dirname, "helpers", "noNetwork.mjs");

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

function cli(sb: Sandbox, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env = {
        PATH: sb.bin,
        HOME: sb.dir,
        PULUMI_BACKEND_URL: `file://${sb.state}`,
        ISTIO_MESH_PULUMI_CLI_DIR: sb.cliDir,
        ISTIO_MESH_TEST_FETCH_LOG: sb.fetches,
        KUBECONFIG: path.join(sb.dir, "no-kubeconfig"),
    };
    return new Promise((resolve) => {
        execFile(process.execPath, ["--import", "tsx", "--import", NO_NETWORK, ENTRY, ...args], { cwd: ROOT, env, timeout: 60000 }, (error, stdout, stderr) => {
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
        expect(read(sb.fetches)).to.equal("https://get.pulumi.com/install.sh\n");
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

    it("a --file that is a directory is a usage error, not a crash", async () => {
        const stack = path.join(sb.dir, "Pulumi.weird.yaml");
        fs.mkdirSync(stack);
        const r = await cli(sb, ["analyze", "--file", stack]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.include("no such file");
    });
});
