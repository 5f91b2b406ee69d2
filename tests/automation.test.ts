import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { formatOutputs, Io, run, summaryLine } from "../automation/cli";
import type { EngineSettings, MeshEngine, RunOptions } from "../automation/engine";
import { backendUrl, DEV_PASSPHRASE, parseArgs, passphraseEnv, UsageError } from "../automation/settings";
import { AnalysisError } from "../analysis/finding";
import { ConfigError } from "../config/reader";

describe("automation CLI", () => {
    describe("arguments", () => {
        it("defaults to the dev stack", () => {
            expect(parseArgs(["up"])).to.deep.equal({ command: "up", stack: "dev", flags: {} });
        });
        it("takes --stack and keeps other flags", () => {
            expect(parseArgs(["preview", "--stack", "cloud", "--markdown", "out.md", "--verbose"])).to.deep.equal({ command: "preview", stack: "cloud", flags: { markdown: "out.md", verbose: true } });
        });
        it("rejects an unknown command and a bare --stack", () => {
            expect(() => parseArgs(["deploy"])).to.throw(UsageError, /unknown command "deploy"/);
            expect(() => parseArgs(["up", "--stack"])).to.throw(UsageError, /--stack needs a stack name/);
        });
    });

    describe("state backend", () => {
        it("defaults to a file backend inside the project", () => {
            expect(backendUrl({}, "/p")).to.deep.equal({ url: "file:///p/.pulumi-state", localDir: "/p/.pulumi-state" });
        });
        it("PULUMI_BACKEND_URL overrides it", () => {
            expect(backendUrl({ PULUMI_BACKEND_URL: "s3://bucket" }, "/p")).to.deep.equal({ url: "s3://bucket" });
        });
    });

    describe("secrets passphrase", () => {
        it("dev gets the dev-only default", () => {
            expect(passphraseEnv({}, "dev")).to.deep.equal({ PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE });
        });
        it("any other stack must be given one", () => {
            expect(() => passphraseEnv({}, "cloud")).to.throw(UsageError, /PULUMI_CONFIG_PASSPHRASE/);
        });
        it("a passphrase (even empty) or a passphrase file from the environment is used as is", () => {
            expect(passphraseEnv({ PULUMI_CONFIG_PASSPHRASE: "" }, "cloud")).to.deep.equal({});
            expect(passphraseEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: "/secret" }, "cloud")).to.deep.equal({});
        });
        it("Pulumi Cloud needs none", () => {
            expect(passphraseEnv({ PULUMI_BACKEND_URL: "https://api.pulumi.com" }, "cloud")).to.deep.equal({});
        });
    });

    describe("run, with a fake engine", () => {
        let root: string;
        let out: string;
        let err: string;
        const io: Io = { out: (t) => (out += t), err: (t) => (err += t) };
        const calls: string[] = [];
        let settings: EngineSettings | undefined;
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
            settings = undefined;
        });
        afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

        it("up: creates the local state dir, passes backend and passphrase, streams output, prints outputs without secrets", async () => {
            expect(await run(parseArgs(["up"]), {}, io, fake, root)).to.equal(0);
            expect(calls).to.deep.equal(["up"]);
            expect(fs.existsSync(path.join(root, ".pulumi-state"))).to.equal(true);
            expect(settings!.envVars).to.deep.equal({ PULUMI_BACKEND_URL: `file://${root}/.pulumi-state`, PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE });
            expect(settings!.stack).to.equal("dev");
            expect(out).to.include("Updating (dev)").and.include("Done: 17 create").and.include("ingressUrl: http://localhost:8000").and.include("kubeconfig: [secret]");
            expect(out).to.not.include("kubeconfig: x");
        });

        it("down destroys; preview previews", async () => {
            await run(parseArgs(["down"]), {}, io, fake, root);
            await run(parseArgs(["preview"]), {}, io, fake, root);
            expect(calls).to.deep.equal(["destroy", "preview"]);
            expect(out).to.include("Destroyed: 17 delete").and.include("Preview: 17 same");
        });

        it("bad stack config stops before the engine is created", async () => {
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  istio-mesh:clustr: {}\n");
            let e: unknown;
            await run(parseArgs(["up"]), {}, io, fake, root).catch((x) => (e = x));
            expect(e).to.be.instanceOf(ConfigError);
            expect(settings).to.equal(undefined);
        });

        it("analyzer errors stop up and preview before the engine exists; preview --markdown still explains them", async () => {
            fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  istio-mesh:services:\n    nginx-service:\n      trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user}}}\n");
            let e: unknown;
            await run(parseArgs(["up"]), {}, io, fake, root).catch((x) => (e = x));
            expect(e).to.be.instanceOf(AnalysisError);
            expect(settings, "no engine, no CLI install").to.equal(undefined);
            expect(err).to.match(/MESH001\s+error/);
            const md = path.join(root, "preview.md");
            e = undefined;
            await run(parseArgs(["preview", "--markdown", md]), {}, io, fake, root).catch((x) => (e = x));
            expect(e).to.be.instanceOf(AnalysisError);
            expect(settings).to.equal(undefined);
            expect(fs.readFileSync(md, "utf8")).to.include("Not run: the analyzer found errors").and.include("MESH001");
        });

        it("a missing stack file stops with its path", async () => {
            let e: unknown;
            await run(parseArgs(["up", "--stack", "nope"]), {}, io, fake, root).catch((x) => (e = x));
            expect(String(e)).to.include("Pulumi.nope.yaml");
            expect(settings).to.equal(undefined);
        });
    });

    it("summaries and outputs read plainly", () => {
        expect(summaryLine({ create: 2, same: 0, update: 1 })).to.equal("2 create, 1 update");
        expect(summaryLine({ same: 0 })).to.equal("no changes");
        expect(formatOutputs({ a: { value: { b: 1 }, secret: false } })).to.equal('a: {\n  "b": 1\n}');
    });
});
