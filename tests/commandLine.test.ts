import { expect } from "chai";
import { CommandSpec, helpText, parseCommandLine } from "../cli/commandLine";
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
