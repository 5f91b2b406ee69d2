import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Io } from "../cli/run";
import { defaultTools, Tools } from "../commands/stack";
import { formatOutputs, summaryLine } from "../engine/lifecycle";
import { parseArgs, run } from "./helpers/stackCommands";
import type { EngineSettings, MeshEngine, RunOptions } from "../engine/engine";
import { backendUrl, DEV_PASSPHRASE, passphraseEnv } from "../engine/settings";
import { AnalysisError } from "../analysis/finding";
import { ConfigError } from "../config/reader";
import { PrerequisiteError, UsageError } from "../cli/errors";

describe("up, preview, down (commands/up.ts, preview.ts, down.ts; engine/)", () => {
    describe("arguments", () => {
        it("defaults to the dev stack", () => {
            expect(parseArgs(["up"])).to.deep.equal({ command: "up", stack: "dev", flags: {} });
        });
        it("takes --stack and keeps other flags", () => {
            expect(parseArgs(["preview", "--stack", "cloud", "--markdown", "out.md"])).to.deep.equal({ command: "preview", stack: "cloud", flags: { markdown: "out.md" } });
            expect(parseArgs(["preview", "-s", "cloud", "--markdown=out.md"])).to.deep.equal({ command: "preview", stack: "cloud", flags: { markdown: "out.md" } });
        });
        it("rejects an unknown command, a bare --stack, an unknown flag and a stray argument", () => {
            expect(() => parseArgs(["deploy"])).to.throw(UsageError, /unknown command "deploy"/);
            expect(() => parseArgs(["up", "--stack"])).to.throw(UsageError, /--stack needs a value, e.g. --stack name/);
            expect(() => parseArgs(["down", "--stak", "cloud"])).to.throw(UsageError, /unknown option --stak \(did you mean --stack\?\)/);
            expect(() => parseArgs(["up", "cloud"])).to.throw(UsageError, /unexpected argument "cloud"/);
            expect(() => parseArgs(["up", "--stack", "a b"])).to.throw(UsageError, /a stack name has only letters/);
        });
    });

    describe("state backend", () => {
        it("defaults to a file backend inside the project", () => {
            expect(backendUrl({}, "/p")).to.deep.equal({ url: "file:///p/.pulumi-state", localDir: "/p/.pulumi-state" });
        });
        it("PULUMI_BACKEND_URL overrides it; a file:// one names the directory to create", () => {
            expect(backendUrl({ PULUMI_BACKEND_URL: "s3://bucket" }, "/p")).to.deep.equal({ url: "s3://bucket" });
            expect(backendUrl({ PULUMI_BACKEND_URL: "file:///tmp/state?create_dir=true" }, "/p")).to.deep.equal({ url: "file:///tmp/state?create_dir=true", localDir: "/tmp/state" });
            expect(backendUrl({ PULUMI_BACKEND_URL: "file://~" }, "/p")).to.deep.equal({ url: "file://~" });
        });
    });

    describe("secrets passphrase: the cluster kind decides, never the stack's name", () => {
        const rows: { stack: string; kind: "k3d" | "eks" | "kubeconfig"; env: Record<string, string>; want: Record<string, string> | RegExp }[] = [
            { stack: "dev", kind: "k3d", env: {}, want: { PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE } },
            { stack: "laptop", kind: "k3d", env: {}, want: { PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE } },
            { stack: "dev", kind: "eks", env: {}, want: /stack "dev" \(istio-mesh:cluster.kind eks\) needs a secrets passphrase: export PULUMI_CONFIG_PASSPHRASE/ },
            { stack: "dev", kind: "kubeconfig", env: {}, want: /needs a secrets passphrase/ },
            { stack: "cloud", kind: "eks", env: {}, want: /PULUMI_CONFIG_PASSPHRASE/ },
            { stack: "cloud", kind: "eks", env: { PULUMI_CONFIG_PASSPHRASE: "" }, want: {} },
            { stack: "cloud", kind: "eks", env: { PULUMI_CONFIG_PASSPHRASE_FILE: "/secret" }, want: {} },
            { stack: "cloud", kind: "eks", env: { PULUMI_BACKEND_URL: "https://api.pulumi.com" }, want: {} },
            { stack: "dev", kind: "k3d", env: { PULUMI_CONFIG_PASSPHRASE: "mine" }, want: {} },
        ];
        for (const r of rows) {
            it(`${r.stack} on ${r.kind}${Object.keys(r.env).length ? ` with ${Object.keys(r.env).join(", ")}` : ""}`, () => {
                if (r.want instanceof RegExp) expect(() => passphraseEnv(r.env, r.stack, r.kind)).to.throw(UsageError, r.want);
                else expect(passphraseEnv(r.env, r.stack, r.kind)).to.deep.equal(r.want);
            });
        }
    });

    describe("run, with a fake engine", () => {
        let root: string;
        let out: string;
        let err: string;
        const io: Io = { out: (t) => (out += t), err: (t) => (err += t) };
        const calls: string[] = [];
        let settings: EngineSettings | undefined;
        const preflights: string[] = [];
        const tools: Tools = { ...defaultTools, preflight: async (_cfg, command) => void preflights.push(command), pulumiCli: async () => undefined };
        const fake = async (s: EngineSettings): Promise<MeshEngine> => {
            settings = s;
            return {
                up: async (o: RunOptions) => {
                    calls.push("up");
                    o.onOutput("Updating (dev)\n");
                    return { summary: { create: 17, same: 0 }, outputs: { ingressUrl: { value: "http://localhost:8000", secret: false }, kubeconfig: { value: "x", secret: true } } };
                },
                preview: async () => (calls.push("preview"), { summary: { same: 17 } }),
                destroy: async () => (calls.push("destroy"), { summary: { delete: 17 } }),
            };
        };
        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "cli-"));
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config: {}\n");
            out = err = "";
            calls.length = 0;
            preflights.length = 0;
            settings = undefined;
        });
        afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

        it("up: creates the local state dir, passes backend and passphrase, streams output, prints outputs without secrets", async () => {
            expect(await run(parseArgs(["up"]), {}, io, fake, root, tools)).to.equal(0);
            expect(calls).to.deep.equal(["up"]);
            expect(fs.existsSync(path.join(root, ".pulumi-state"))).to.equal(true);
            expect(settings!.envVars).to.deep.equal({ PULUMI_BACKEND_URL: `file://${root}/.pulumi-state`, PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE });
            expect(settings!.stack).to.equal("dev");
            expect(out).to.include("Updating (dev)").and.include("Done: 17 create").and.include("ingressUrl: http://localhost:8000").and.include("kubeconfig: [secret]");
            expect(out).to.not.include("kubeconfig: x");
        });

        it("down destroys an existing stack (selected, never created); preview previews", async () => {
            fs.mkdirSync(path.join(root, ".pulumi-state", ".pulumi", "stacks", "istio-mesh"), { recursive: true });
            fs.writeFileSync(path.join(root, ".pulumi-state", ".pulumi", "stacks", "istio-mesh", "dev.json"), "{}");
            await run(parseArgs(["down"]), {}, io, fake, root, tools);
            expect(settings!.create).to.equal(false);
            await run(parseArgs(["preview"]), {}, io, fake, root, tools);
            expect(calls).to.deep.equal(["destroy", "preview"]);
            expect(preflights).to.deep.equal(["down", "preview"]);
            expect(out).to.include("Destroyed: 17 delete").and.include("Preview: 17 same");
            // k3d's registry cache outlives the cluster: down says what it kept and how to remove it.
            expect(err).to.include("registry cache").and.include("were kept").and.include("k3d registry delete");
        });

        it("down on a stack with no state says so and changes nothing: no engine, no CLI, no state directory", async () => {
            expect(await run(parseArgs(["down"]), {}, io, fake, root, tools)).to.equal(0);
            expect(settings).to.equal(undefined);
            expect(preflights).to.deep.equal([]);
            expect(fs.existsSync(path.join(root, ".pulumi-state"))).to.equal(false);
            expect(err).to.include(`stack "dev" has no state in file://${root}/.pulumi-state: nothing was deployed from here, nothing to destroy. Nothing changed.`);
        });

        it("down on a remote backend where the stack does not exist: says so, exit 0, destroys nothing", async () => {
            class StackNotFoundError extends Error {}
            const missing = async (s: EngineSettings): Promise<MeshEngine> => {
                settings = s;
                throw new StackNotFoundError("no stack named 'dev' found");
            };
            expect(await run(parseArgs(["down"]), { PULUMI_BACKEND_URL: "s3://bucket" }, io, missing, root, tools)).to.equal(0);
            expect(settings!.create).to.equal(false);
            expect(calls).to.deep.equal([]);
            expect(err).to.include('stack "dev" does not exist in s3://bucket: nothing to destroy. Nothing changed.');
        });

        it("a failed preflight stops before the state directory, the CLI and the engine", async () => {
            const order: string[] = [];
            const failing: Tools = {
                ...tools,
                preflight: async () => {
                    order.push("preflight");
                    throw new PrerequisiteError("'docker' is not installed");
                },
                pulumiCli: async () => (order.push("cli"), undefined),
            };
            let e: unknown;
            await run(parseArgs(["up"]), {}, io, fake, root, failing).catch((x) => (e = x));
            expect(e).to.be.instanceOf(PrerequisiteError);
            expect(order).to.deep.equal(["preflight"]);
            expect(settings).to.equal(undefined);
            expect(fs.existsSync(path.join(root, ".pulumi-state"))).to.equal(false);
            const passing: Tools = { ...failing, preflight: async () => void order.push("preflight") };
            await run(parseArgs(["up"]), {}, io, fake, root, passing);
            expect(order).to.deep.equal(["preflight", "preflight", "cli"]);
            expect(fs.existsSync(path.join(root, ".pulumi-state"))).to.equal(true);
        });

        it("bad stack config stops before the engine is created", async () => {
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  istio-mesh:clustr: {}\n");
            let e: unknown;
            await run(parseArgs(["up"]), {}, io, fake, root, tools).catch((x) => (e = x));
            expect(e).to.be.instanceOf(ConfigError);
            expect(settings).to.equal(undefined);
        });

        it("analyzer errors stop up and preview before the engine exists; preview --markdown still explains them", async () => {
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  istio-mesh:services:\n    nginx-service:\n      trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user}}}\n");
            let e: unknown;
            await run(parseArgs(["up"]), {}, io, fake, root, tools).catch((x) => (e = x));
            expect(e).to.be.instanceOf(AnalysisError);
            expect(settings, "no engine, no CLI install").to.equal(undefined);
            expect(preflights, "no preflight either").to.deep.equal([]);
            // Printed once, by the command line, from the error (not also by run).
            expect(err).to.equal("");
            expect((e as Error).message).to.match(/- istio-mesh:services.nginx-service.weights: MESH001 VirtualService default\/nginx-vs/);
            const md = path.join(root, "preview.md");
            e = undefined;
            await run(parseArgs(["preview", "--markdown", md]), {}, io, fake, root, tools).catch((x) => (e = x));
            expect(e).to.be.instanceOf(AnalysisError);
            expect(settings).to.equal(undefined);
            expect(fs.readFileSync(md, "utf8")).to.include("Not run: the analyzer found errors").and.include("MESH001");
        });

        it("an unknown stack lists the stacks that exist", async () => {
            fs.writeFileSync(path.join(root, "Pulumi.cloud.yaml"), "config: {}\n");
            let e: unknown;
            await run(parseArgs(["up", "--stack", "clod"]), {}, io, fake, root, tools).catch((x) => (e = x));
            expect(e).to.be.instanceOf(UsageError);
            expect(String(e)).to.include('no stack "clod": there is no Pulumi.clod.yaml').and.include("Did you mean cloud?").and.include("Stacks here: cloud, dev");
            expect(settings).to.equal(undefined);
        });
    });

    it("summaries and outputs read plainly", () => {
        expect(summaryLine({ create: 2, same: 0, update: 1 })).to.equal("2 create, 1 update");
        expect(summaryLine({ same: 0 })).to.equal("no changes");
        expect(formatOutputs({ a: { value: { b: 1 }, secret: false } })).to.equal('a: {\n  "b": 1\n}');
    });
});
