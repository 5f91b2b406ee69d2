/**
 * The Pulumi CLI the project runs: which versions it accepts, the flag that keeps unused provider
 * plugins from being downloaded, and `npm run pulumi -- …` (backend, passphrase, argv) with fake CLIs.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { cliRange, cliVersionProblem, pinnedCliVersion, pulumiCli, withEngineArgs, withPluginsOnDemand } from "../engine/engine";
import { clusterKindOf, passthroughEnv, pulumiPassthrough, PassthroughDeps, stackOf } from "../commands/pulumi";
import { DEV_PASSPHRASE } from "../engine/settings";
import { parseCommandLine } from "../cli/commandLine";
import { commands } from "../cli/main";
import type { Context } from "../cli/run";

describe("the Pulumi CLI versions the program runs on", () => {
    it("the pinned SDK's version up to the next major", () => {
        expect(pinnedCliVersion()).to.equal("3.248.0");
        expect(cliRange()).to.equal(">=3.248.0 <4.0.0");
    });

    const rows: { version: string | null; want: RegExp | undefined }[] = [
        { version: "v3.248.0", want: undefined },
        { version: "3.276.0", want: undefined },
        { version: "v3.249.0-alpha.1700000000+gabc", want: undefined },
        { version: "v3.247.1", want: /v3\.247\.1 is older than v3\.248\.0/ },
        { version: "v3.2.0", want: /older than v3\.248\.0/ },
        { version: "v3.207.0", want: /older/ },
        { version: "v4.0.0", want: /newer major version than this program's SDK/ },
        { version: "v3.248.0-alpha", want: /older/ },
        { version: "garbage", want: /cannot be read/ },
        { version: null, want: /cannot be read/ },
    ];
    for (const r of rows) {
        it(`${r.version ?? "no version"}: ${r.want ? "refused" : "accepted"}`, () => {
            const p = cliVersionProblem(r.version);
            if (r.want) expect(p).to.match(r.want);
            else expect(p).to.equal(undefined);
        });
    }

    describe("choosing the CLI, with fake ones on PATH and in .pulumi-cli/", () => {
        let dir: string;
        let savedPath: string | undefined;
        const fakePulumi = (where: string, version: string) => {
            fs.mkdirSync(where, { recursive: true });
            fs.writeFileSync(path.join(where, "pulumi"), `#!/bin/sh\n[ "$1" = version ] && echo ${version}\nexit 0\n`, { mode: 0o755 });
        };
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-"));
            savedPath = process.env.PATH;
        });
        afterEach(() => {
            process.env.PATH = savedPath;
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("one on PATH older than the floor is passed over for the pinned one in .pulumi-cli/, and the log says why", async () => {
            fakePulumi(path.join(dir, "path"), "v3.200.0");
            fakePulumi(path.join(dir, "cli", "bin"), "v3.248.0");
            process.env.PATH = `${path.join(dir, "path")}:/usr/bin:/bin`;
            const log: string[] = [];
            const cmd = await pulumiCli(path.join(dir, "cli"), (l) => log.push(l));
            expect(cmd.command).to.equal(path.join(dir, "cli", "bin", "pulumi"));
            expect(log.join("\n")).to.match(/the pulumi CLI on PATH is not used: v3\.200\.0 is older than v3\.248\.0/);
        });

        it("one on PATH in the range is used as it is", async () => {
            fakePulumi(path.join(dir, "path"), "v3.260.0");
            process.env.PATH = `${path.join(dir, "path")}:/usr/bin:/bin`;
            const cmd = await pulumiCli(path.join(dir, "cli"), () => undefined);
            expect([cmd.command, cmd.version?.version]).to.deep.equal(["pulumi", "3.260.0"]);
        });
    });
});

describe("provider plugins on demand: --skip-plugin-pre-install on engine commands", () => {
    it("added right after up/preview/destroy/refresh (before any --), never twice, never elsewhere", () => {
        expect(withEngineArgs(["up", "--yes", "--skip-preview", "--stack", "dev"])).to.deep.equal(["up", "--skip-plugin-pre-install", "--yes", "--skip-preview", "--stack", "dev"]);
        expect(withEngineArgs(["destroy", "--", "x"])).to.deep.equal(["destroy", "--skip-plugin-pre-install", "--", "x"]);
        expect(withEngineArgs(["preview", "--skip-plugin-pre-install"])).to.deep.equal(["preview", "--skip-plugin-pre-install"]);
        expect(withEngineArgs(["stack", "output", "--json"])).to.deep.equal(["stack", "output", "--json"]);
        expect(withEngineArgs(["config", "set", "up", "1"])).to.deep.equal(["config", "set", "up", "1"]);
    });

    it("every command the Automation API runs through the wrapped CLI gets it", async () => {
        const seen: string[][] = [];
        const cli = { command: "pulumi", version: null, run: async (args: string[]) => (seen.push(args), "ok") } as unknown as PulumiCommand;
        const wrapped = withPluginsOnDemand(cli) as unknown as { command: string; run: (args: string[], ...rest: unknown[]) => Promise<unknown> };
        expect(wrapped.command).to.equal("pulumi");
        await wrapped.run(["up", "--yes"], "/cwd", {});
        await wrapped.run(["stack", "export"], "/cwd", {});
        expect(seen).to.deep.equal([["up", "--skip-plugin-pre-install", "--yes"], ["stack", "export"]]);
    });
});

describe("npm run pulumi -- …", () => {
    let root: string;
    let err: string;
    let runs: { command: string; args: string[]; env: Record<string, string | undefined> }[];
    let asked: number;
    const ctx = (env: Record<string, string | undefined> = {}): Context => ({ io: { out: () => undefined, err: (t) => (err += t) }, env: { PATH: "/usr/bin", ...env }, projectRoot: root });
    const deps = (opts: { selected?: string; code?: number } = {}): PassthroughDeps => ({
        pulumiCli: async () => ({ command: "/opt/pulumi/bin/pulumi", version: null }) as unknown as PulumiCommand,
        run: async (command, args, env) => (runs.push({ command, args, env }), opts.code ?? 0),
        selectedStack: async () => (asked++, opts.selected),
    });
    const parse = (argv: string[]) => {
        const p = parseCommandLine(commands.find((c) => c.spec.name === "pulumi")!.spec, argv);
        if (p.help) throw new Error("help");
        return p;
    };

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "passthrough-"));
        fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  istio-mesh:cluster:\n    kind: k3d\n");
        fs.writeFileSync(path.join(root, "Pulumi.cloud.yaml"), "config:\n  istio-mesh:cluster:\n    kind: eks\n");
        err = "";
        runs = [];
        asked = 0;
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("every argument after the command is the CLI's, flags included; only a first --help is ours", () => {
        const spec = commands.find((c) => c.spec.name === "pulumi")!.spec;
        expect(parseCommandLine(spec, ["config", "set", "--path", "istio-mesh:x", "1", "--help"])).to.deep.equal({ help: false, values: {}, positionals: ["config", "set", "--path", "istio-mesh:x", "1", "--help"] });
        expect(parseCommandLine(spec, ["--help"]).help).to.equal(true);
        expect(parseCommandLine(spec, ["-h", "--stak"]).help).to.equal(true);
        expect(parseCommandLine(spec, []).help).to.equal(true);
    });

    it("the project's file backend, the dev passphrase on a k3d stack, the CLI's directory first on PATH; argv unchanged", async () => {
        const code = await pulumiPassthrough(parse(["config", "set", "--path", "istio-mesh:services.nginx-service.weights.v2", "25", "--stack", "dev"]), ctx(), deps());
        expect(code).to.equal(0);
        expect(runs).to.have.length(1);
        const r = runs[0];
        expect(r.command).to.equal("/opt/pulumi/bin/pulumi");
        expect(r.args).to.deep.equal(["config", "set", "--path", "istio-mesh:services.nginx-service.weights.v2", "25", "--stack", "dev"]);
        expect(r.env.PULUMI_BACKEND_URL).to.equal(`file://${root}/.pulumi-state`);
        expect(r.env.PULUMI_CONFIG_PASSPHRASE).to.equal(DEV_PASSPHRASE);
        expect(r.env.PATH).to.equal("/opt/pulumi/bin:/usr/bin");
        expect(fs.existsSync(path.join(root, ".pulumi-state")), "the backend directory exists for the CLI").to.equal(true);
        expect(asked, "the stack was on the command line").to.equal(0);
    });

    it("a stack off k3d never gets the built-in passphrase (the CLI asks, or PULUMI_CONFIG_PASSPHRASE is set)", async () => {
        await pulumiPassthrough(parse(["stack", "output", "grafanaAdminPassword", "--show-secrets", "-s", "cloud"]), ctx(), deps());
        expect(runs[0].env).to.not.have.property("PULUMI_CONFIG_PASSPHRASE");
        await pulumiPassthrough(parse(["stack", "init", "cloud"]), ctx(), deps({ selected: "dev" }));
        expect(runs[1].env, "stack init names the new stack; the selected one (dev) does not decide").to.not.have.property("PULUMI_CONFIG_PASSPHRASE");
        await pulumiPassthrough(parse(["stack", "output", "-s", "cloud"]), ctx({ PULUMI_CONFIG_PASSPHRASE: "mine" }), deps());
        expect(runs[2].env.PULUMI_CONFIG_PASSPHRASE).to.equal("mine");
    });

    it("without --stack: the stack the workspace has selected decides", async () => {
        await pulumiPassthrough(parse(["stack", "output", "commands"]), ctx(), deps({ selected: "dev" }));
        expect(runs[0].env.PULUMI_CONFIG_PASSPHRASE).to.equal(DEV_PASSPHRASE);
        await pulumiPassthrough(parse(["stack", "output", "commands"]), ctx(), deps({ selected: "cloud" }));
        expect(runs[1].env).to.not.have.property("PULUMI_CONFIG_PASSPHRASE");
        await pulumiPassthrough(parse(["stack", "ls"]), ctx(), deps({ selected: undefined }));
        expect(runs[2].env).to.not.have.property("PULUMI_CONFIG_PASSPHRASE");
        expect(asked).to.equal(3);
    });

    it("PULUMI_BACKEND_URL is kept; engine commands skip the plugin pre-install; a failing CLI is exit 1", async () => {
        const code = await pulumiPassthrough(parse(["up", "--stack", "dev"]), ctx({ PULUMI_BACKEND_URL: "s3://bucket/state" }), deps({ code: 255 }));
        expect(code).to.equal(1);
        expect(runs[0].env.PULUMI_BACKEND_URL).to.equal("s3://bucket/state");
        expect(runs[0].args).to.deep.equal(["up", "--skip-plugin-pre-install", "--stack", "dev"]);
        expect(fs.existsSync(path.join(root, ".pulumi-state"))).to.equal(false);
    });

    it("which stack a command line names, and a stack file's cluster kind", () => {
        expect(stackOf(["config", "get", "x", "--stack=lab"])).to.equal("lab");
        expect(stackOf(["stack", "select", "--create", "lab2"])).to.equal("lab2");
        expect(stackOf(["stack", "output"])).to.equal(undefined);
        expect(clusterKindOf(root, "dev")).to.equal("k3d");
        expect(clusterKindOf(root, "organization/istio-mesh/cloud")).to.equal("eks");
        expect(clusterKindOf(root, "brand-new")).to.equal("k3d");
        expect(passthroughEnv({}, root, "dev", "pulumi")).to.deep.equal({ PULUMI_BACKEND_URL: `file://${root}/.pulumi-state`, PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE });
    });
});
