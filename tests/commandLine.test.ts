import { expect } from "chai";
import { CommandSpec, helpText, meantFlag, OPTIONAL_VALUE_ABSENT, parseCommandLine } from "../cli/commandLine";
import { npmSwallowedOptions } from "../cli/npm";
import { resolvePathOptions, shownPath, userPath } from "../cli/paths";
import { commands } from "../cli/main";
import { OperationError, PrerequisiteError, UsageError } from "../cli/errors";
import { dispatch, failure } from "../cli/run";
import { ConfigError } from "../config/reader";
import { AnalysisError } from "../analysis/finding";

const spec: CommandSpec = {
    name: "demo",
    summary: "a demo command",
    positionals: [{ name: "<stack>", description: "a stack", optional: true }],
    options: {
        stack: { type: "string", short: "s", value: "<name>", description: "the stack" },
        markdown: { type: "string", value: "<file>", description: "a file" },
        json: { type: "boolean", description: "as JSON" },
        graph: { type: "string", value: "<file.md>", optionalValue: /\.md$/, description: "a diagram" },
    },
};

describe("command line parser (one for every command)", () => {
    const rejected: { argv: string[]; message: RegExp }[] = [
        { argv: ["--stak", "dev"], message: /unknown option --stak \(did you mean --stack\?\)/ },
        { argv: ["--jsno"], message: /unknown option --jsno \(did you mean --json\?\)/ },
        { argv: ["--zzzzzzzz"], message: /unknown option --zzzzzzzz$/m },
        { argv: ["-x"], message: /unknown option -x/ },
        { argv: ["--stack"], message: /--stack needs a value, e.g. --stack name/ },
        { argv: ["--stack", "--json"], message: /--stack needs a value/ },
        { argv: ["-s"], message: /-s needs a value/ },
        { argv: ["--json=1"], message: /--json takes no value/ },
        { argv: ["a", "b"], message: /unexpected argument "b"/ },
        { argv: ["--markdown="], message: /--markdown needs a non-empty value/ },
    ];
    for (const r of rejected) {
        it(`rejects ${r.argv.join(" ")}`, () => {
            expect(() => parseCommandLine(spec, r.argv)).to.throw(UsageError, r.message);
            expect(() => parseCommandLine(spec, r.argv)).to.throw(UsageError, /usage: npm run demo -- \[<stack>\] \[options\]/);
        });
    }
    const accepted: { argv: string[]; values: Record<string, unknown>; positionals: string[] }[] = [
        { argv: [], values: {}, positionals: [] },
        { argv: ["dev"], values: {}, positionals: ["dev"] },
        { argv: ["--stack", "cloud", "--json"], values: { stack: "cloud", json: true }, positionals: [] },
        { argv: ["-s", "cloud", "--markdown=out.md"], values: { stack: "cloud", markdown: "out.md" }, positionals: [] },
        { argv: ["--markdown", "-"], values: { markdown: "-" }, positionals: [] },
        // An optional value is taken only when it looks like one: `--graph dev` keeps dev as the stack.
        { argv: ["--graph"], values: { graph: "-" }, positionals: [] },
        { argv: ["dev", "--graph"], values: { graph: "-" }, positionals: ["dev"] },
        { argv: ["--graph", "dev"], values: { graph: "-" }, positionals: ["dev"] },
        { argv: ["--graph", "mesh.md", "dev"], values: { graph: "mesh.md" }, positionals: ["dev"] },
        { argv: ["--graph=mesh.md"], values: { graph: "mesh.md" }, positionals: [] },
    ];
    for (const a of accepted) {
        it(`accepts ${a.argv.join(" ") || "nothing"}`, () => {
            const p = parseCommandLine(spec, a.argv);
            expect(p.help).to.equal(false);
            if (!p.help) {
                expect(p.values).to.deep.equal(a.values);
                expect(p.positionals).to.deep.equal(a.positionals);
            }
        });
    }
    it("--help wins over anything else, even a typo", () => {
        expect(parseCommandLine(spec, ["--stak", "x", "--help"])).to.deep.equal({ help: true });
        expect(parseCommandLine(spec, ["-h"])).to.deep.equal({ help: true });
    });
    it("help lists every option, the arguments and the exit codes", () => {
        const h = helpText(spec);
        expect(h).to.include("-s, --stack <name>").and.include("--markdown <file>").and.include("--graph [<file.md>]").and.include("--json").and.include("-h, --help").and.include("--debug");
        expect(h).to.include("<stack>").and.include("exit codes: 0 success; 1 the checks or the operation found problems; 2 usage error or a missing prerequisite");
    });
    it("every project command has a summary and described options", () => {
        for (const c of commands) {
            expect(c.spec.summary, c.spec.name).to.not.equal("");
            for (const [n, o] of Object.entries(c.spec.options)) expect(o.description, `${c.spec.name} --${n}`).to.not.equal("");
        }
    });
    it("an unknown command is a usage error that suggests the one meant", async () => {
        let err = "";
        const code = await dispatch(commands, ["previwe"], { io: { out: () => undefined, err: (t) => (err += t) }, env: {}, projectRoot: "/nonexistent" });
        expect(code).to.equal(2);
        expect(err).to.include('unknown command "previwe" (did you mean preview?)');
    });
});

describe("exit codes and messages, the same for every command", () => {
    const rows: { error: unknown; code: number }[] = [
        { error: new UsageError("bad flag"), code: 2 },
        { error: new PrerequisiteError("no docker"), code: 2 },
        { error: new ConfigError([{ path: "istio-mesh:x", message: "bad" }]), code: 1 },
        { error: new AnalysisError([]), code: 1 },
        { error: new OperationError("engine failed"), code: 1 },
        { error: new Error("boom"), code: 1 },
    ];
    for (const r of rows) {
        it(`${(r.error as Error).name}: exit ${r.code}, no stack trace`, () => {
            const f = failure(r.error, false);
            expect(f.code).to.equal(r.code);
            expect(f.text).to.not.match(/\n\s+at /);
        });
    }
    it("an unexpected error asks for --debug; with it, the stack trace is printed", () => {
        expect(failure(new Error("boom"), false).text).to.include("unexpected failure: boom").and.include("run again with --debug");
        expect(failure(new Error("boom"), true).text).to.match(/unexpected failure: boom\nError: boom\n\s+at /);
    });
});

describe("the first hour's slips, named with their fix", () => {
    const spec = (name: string) => commands.find((c) => c.spec.name === name)!.spec;
    const stray: [command: string, arg: string, want: string | undefined][] = [
        ["up", "dev", "--stack dev"],
        ["preview", "cloud", "--stack cloud"],
        ["lab plan", "11", "--only 11"],
        ["lab run", "12-fault-abort", "--only 12-fault-abort"],
        ["lab plan", "examples/scenarios/12-fault-abort.yaml", undefined],
        ["bench", "dev", undefined],
        ["render", "examples/scenarios/12-fault-abort.yaml", "--file examples/scenarios/12-fault-abort.yaml"],
        ["analyze", "my-stack.yml", "--file my-stack.yml"],
    ];
    for (const [command, arg, want] of stray) {
        it(`${command} ${arg}: ${want ? `did you mean ${want}?` : "no guess"}`, () => expect(meantFlag(spec(command), arg)).to.equal(want));
    }
    it("a stray argument's message carries the guess", () => {
        expect(() => parseCommandLine(spec("up"), ["dev"])).to.throw(UsageError, /unexpected argument "dev" \(did you mean --stack dev\?\)/);
        expect(() => parseCommandLine(spec("up"), ["Pulumi.dev.yaml"])).to.throw(UsageError, /reads a stack by name: --stack <name>/);
        expect(() => parseCommandLine(spec("bench"), ["x"])).to.throw(UsageError, /unexpected argument "x" \(this command takes options only\)/);
    });

    const npm = (event: string, config: Record<string, string>) => ({ npm_lifecycle_event: event, ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`npm_config_${k}`, v])) });
    const swallowed: [what: string, command: string, argv: string[], env: Record<string, string>, want: RegExp | undefined][] = [
        // npm 10/11: `npm run up --stack dev` → npm_config_stack=true and `dev` passed on as an argument.
        ["npm run up --stack dev", "up", ["dev"], npm("up", { stack: "true" }), /npm took --stack for its own option .*\(npm set npm_config_stack=true\)\. Put -- between the script and its options:\n {2}npm run up -- --stack dev$/s],
        ["npm run up --stack=cloud", "up", [], npm("up", { stack: "cloud" }), /\n {2}npm run up -- --stack cloud$/],
        ["npm run render dev --output x.yaml", "render", ["dev", "x.yaml"], npm("render", { output: "true" }), /\n {2}npm run render -- dev --output x\.yaml$/],
        ["npm run render --file a.yaml --output b.yaml", "render", ["a.yaml", "b.yaml"], npm("render", { file: "true", output: "true" }), /took --file, --output for its own options .*\n {2}npm run render -- --file a\.yaml --output b\.yaml$/s],
        ["npm run analyze --json", "analyze", ["dev"], npm("analyze", { json: "true" }), /\n {2}npm run analyze -- dev --json$/],
        ["npm run lab run --ingress-url http://x:1 --skip-ok", "lab run", ["http://x:1"], npm("lab", { ingress_url: "true", skip_ok: "true" }), /\n {2}npm run lab -- run --skip-ok --ingress-url http:\/\/x:1$/],
        ["npm run render --graph", "render", ["dev"], npm("render", { graph: "true" }), /\n {2}npm run render -- dev --graph$/],
        ["npm's own default config (yes is empty)", "up", [], npm("up", { yes: "" }), undefined],
        ["the flag reached the command too", "up", ["--stack", "dev"], npm("up", { stack: "dev" }), undefined],
        ["another script's npm config (npm test running this)", "up", ["dev"], npm("test", { stack: "true" }), undefined],
        ["not run by npm", "up", [], { npm_config_stack: "true" }, undefined],
    ];
    for (const [what, command, argv, env, want] of swallowed) {
        it(`${what}: ${want ? "names the fix" : "nothing to say"}`, () => {
            const m = npmSwallowedOptions(spec(command), argv, env);
            if (want) expect(m).to.match(want);
            else expect(m).to.equal(undefined);
        });
    }
});

describe("the slips through the command shell (dispatch, as cli/main.ts runs it): exit 2 and the fix", () => {
    const ROOT = require("path").resolve(__dirname, "..");
    const rows: { args: string[]; env?: Record<string, string>; want: RegExp[] }[] = [
        { args: ["up", "dev"], want: [/unexpected argument "dev" \(did you mean --stack dev\?\)/] },
        { args: ["render", "examples/scenarios/12-fault-abort.yaml"], want: [/"examples\/scenarios\/12-fault-abort\.yaml" is a file, not a stack name: did you mean --file examples\/scenarios\/12-fault-abort\.yaml\?/] },
        { args: ["analyze", "--stack", "Pulumi.cloud.yaml"], env: { INIT_CWD: ROOT }, want: [/--stack Pulumi\.cloud\.yaml: that is a file, not a stack name\. Did you mean --stack cloud\?/] },
        { args: ["lab", "plan", "11"], want: [/unexpected argument "11" \(did you mean --only 11\?\)/] },
        { args: ["lab", "plan", "--only", "12-fault-abrot"], want: [/--only 12-fault-abrot: no such lesson \(did you mean 12-fault-abort\?\)/] },
        { args: ["lab", "run", "--from", "30"], want: [/--from 30: there is no lesson 30; they are numbered 1 to 19/] },
        // What `npm run up --stack dev` (no --) hands the command: npm_config_stack=true and a stray "dev".
        { args: ["up", "dev"], env: { npm_lifecycle_event: "up", npm_config_stack: "true" }, want: [/npm took --stack for its own option/, /\n {2}npm run up -- --stack dev\n/] },
        // `npm run down --stack=cloud` would otherwise go ahead on the default stack.
        { args: ["down"], env: { npm_lifecycle_event: "down", npm_config_stack: "cloud" }, want: [/npm set npm_config_stack=cloud/, /npm run down -- --stack cloud/] },
        { args: ["lab", "plan"], env: { npm_lifecycle_event: "lab", npm_config_from: "3" }, want: [/npm run lab -- plan --from 3/] },
        { args: ["servicex"], env: { npm_lifecycle_event: "servicex", npm_config_port: "true", npm_config_error: "true" }, want: [/npm run servicex -- --port <n> --error/] },
    ];
    for (const r of rows) {
        it(`${r.env?.npm_lifecycle_event ? "npm ate a flag: " : ""}${r.args.join(" ")}`, async () => {
            let out = "";
            let err = "";
            const code = await dispatch(commands, r.args, { io: { out: (t) => (out += t), err: (t) => (err += t) }, env: r.env ?? {}, projectRoot: ROOT });
            expect(code, err).to.equal(2);
            expect(out).to.equal("");
            for (const w of r.want) expect(err).to.match(w);
            expect(err).to.not.match(/^\s+at .+:\d+:\d+\)?$/m);
        });
    }
});

describe("paths are the user's (cli/paths.ts)", () => {
    const env = { INIT_CWD: "/home/u/istio-mesh/examples/scenarios" };
    it("relative to npm's INIT_CWD when set, else the process's directory", () => {
        expect(userPath("12-fault-abort.yaml", env, "/home/u/istio-mesh")).to.equal("/home/u/istio-mesh/examples/scenarios/12-fault-abort.yaml");
        expect(userPath("12-fault-abort.yaml", {}, "/home/u/istio-mesh")).to.equal("/home/u/istio-mesh/12-fault-abort.yaml");
        expect(userPath("/abs/x.yaml", env)).to.equal("/abs/x.yaml");
        expect(userPath("x.yaml", { INIT_CWD: "relative/dir" }, "/p")).to.equal("/p/x.yaml");
    });
    it("printed as the user would type it: relative below where they stand, else absolute", () => {
        expect(shownPath("/home/u/istio-mesh/examples/scenarios/out/dev.yaml", env)).to.equal("out/dev.yaml");
        expect(shownPath("/home/u/istio-mesh/dev.yaml", env)).to.equal("/home/u/istio-mesh/dev.yaml");
        expect(shownPath("/home/u/istio-mesh/examples/scenarios", env)).to.equal(".");
    });
    it("every path option of the command table is resolved, a bare --graph is left alone, other options untouched", () => {
        const render = commands.find((c) => c.spec.name === "render")!.spec;
        const p = { values: { file: "a.yaml", output: "o.yaml", graph: OPTIONAL_VALUE_ABSENT, stack: "dev" }, positionals: [] };
        expect(resolvePathOptions(render.options, p, env, OPTIONAL_VALUE_ABSENT).values).to.deep.equal({
            file: "/home/u/istio-mesh/examples/scenarios/a.yaml",
            output: "/home/u/istio-mesh/examples/scenarios/o.yaml",
            graph: OPTIONAL_VALUE_ABSENT,
            stack: "dev",
        });
        // Every option whose value is a file says so, so no command can read one from the project root by mistake.
        const fileOptions = commands.flatMap((c) => Object.entries(c.spec.options).filter(([, o]) => /<[^>]*(file|\.ya?ml|\.json|\.md)[^>]*>/.test(o.value ?? "")).map(([n, o]) => [`${c.spec.name} --${n}`, o.path === true]));
        expect(fileOptions.length).to.be.greaterThan(8);
        for (const [name, isPath] of fileOptions) expect(isPath, `${name} is marked path: true`).to.equal(true);
    });
});
