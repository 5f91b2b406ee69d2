/**
 * The dependency rules (.dependency-cruiser.cjs) that `npm test` runs over the project: each rule says
 * in words what the architecture is, docs/architecture.md names them all, and on a small fixture with
 * deliberate violations — a cycle, a type-only cycle, a domain module importing a command, config
 * importing upward — the real `depcruise` fails and names each one, while the allowed imports pass.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const CONFIG = path.join(ROOT, ".dependency-cruiser.cjs");
const DEPCRUISE = path.join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

interface Rule {
    name: string;
    severity: string;
    comment?: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rules = (require(CONFIG) as { forbidden: Rule[] }).forbidden;

/** A project in miniature: the same layers, a few allowed imports and one of each deliberate violation. */
const FIXTURE: Record<string, string> = {
    "tsconfig.json": JSON.stringify({ compilerOptions: { module: "node16", moduleResolution: "node16", strict: true }, include: ["**/*.ts"] }),
    "cli/errors.ts": `export class UsageError extends Error {}\n`,
    "cli/commandLine.ts": `import { UsageError } from "./errors";\nexport const parse = (a: string[]) => { if (!a.length) throw new UsageError("no command"); };\n`,
    "cli/main.ts": `import { up } from "../commands/up";\nexport const commands = [up];\n`,
    "commands/up.ts": `import { parse } from "../cli/commandLine";\nimport { open } from "../engine/a";\nexport const up = (argv: string[]) => { parse(argv); open(); };\n`,
    "config/types.ts": `import { UsageError } from "../cli/errors";\nimport { plan } from "../mesh/plan";\nexport const cfg = () => [plan, UsageError];\n`,
    "mesh/plan.ts": `export const plan = 1;\n`,
    // a value cycle
    "engine/a.ts": `import { UsageError } from "../cli/errors";\nimport { b } from "./b";\nexport const open = () => b();\nexport const a = () => new UsageError("a");\n`,
    "engine/b.ts": `import { a } from "./a";\nexport const b = () => a();\n`,
    // a type-only cycle (what components/EcrRepository.ts ↔ stacks/cluster.ts was)
    "engine/table.ts": `import type { Row } from "./row";\nexport interface Table { rows: Row[] }\n`,
    "engine/row.ts": `import type { Table } from "./table";\nexport interface Row { table: Table }\n`,
    // a domain area importing a command
    "review/comment.ts": `import { up } from "../commands/up";\nexport const comment = () => up;\n`,
};

describe("architecture: the dependency rules npm test runs", () => {
    it("every rule is an error and says in words what the architecture is", () => {
        expect(rules.length).to.be.greaterThan(10);
        for (const r of rules) {
            expect(r.severity, r.name).to.equal("error");
            expect(r.comment ?? "", `${r.name} has a comment`).to.have.length.greaterThan(40);
        }
    });

    it("docs/architecture.md names every rule", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "architecture.md"), "utf8");
        for (const r of rules) expect(doc, r.name).to.include(`\`${r.name}\``);
    });

    it("every folder with TypeScript is type-checked (tsconfig.json's include) and placed in docs/architecture.md", () => {
        const folders = fs
            .readdirSync(ROOT, { withFileTypes: true })
            .filter((d) => d.isDirectory() && !d.name.startsWith(".") && !["node_modules", "bin", "docs", "examples"].includes(d.name))
            .map((d) => d.name)
            .filter((d) => fs.readdirSync(path.join(ROOT, d), { recursive: true }).some((f) => String(f).endsWith(".ts") && !String(f).includes("node_modules")));
        expect(folders).to.include.members(["cli", "commands", "engine", "config"]);
        const include = (JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")) as { include: string[] }).include;
        const doc = fs.readFileSync(path.join(ROOT, "docs", "architecture.md"), "utf8");
        for (const d of folders) {
            expect(include, `tsconfig.json includes ${d}/`).to.include(`${d}/**/*.ts`);
            expect(doc, `docs/architecture.md places ${d}/`).to.include(`${d}/`);
        }
    });

    it("depcruise fails on a fixture with a new cycle, a type-only cycle and imports against the layers, naming each; the allowed imports pass", function () {
        this.timeout(60000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-architecture-"));
        try {
            for (const [file, text] of Object.entries(FIXTURE)) {
                fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
                fs.writeFileSync(path.join(dir, file), text);
            }
            const r = spawnSync(process.execPath, [DEPCRUISE, "--config", CONFIG, "--no-cache", "."], { cwd: dir, encoding: "utf8", timeout: 60000 });
            expect(r.status, r.stderr).to.equal(5);
            // `  error <rule>: <from> → ` and, for a cycle, the modules of the cycle on the next lines.
            const found = [...r.stdout.matchAll(/error ([a-z-]+): (\S+) →(?: (\S+))?/g)].map((m) => `${m[1]} ${m[2]}${m[3] ? ` → ${m[3]}` : ""}`).sort();
            expect(found).to.deep.equal(
                [
                    "config-imports-nothing-above config/types.ts → mesh/plan.ts",
                    "domain-does-not-import-commands review/comment.ts → commands/up.ts",
                    "no-circular engine/a.ts",
                    "no-circular engine/row.ts",
                    "review-is-offline review/comment.ts → commands/up.ts",
                ].sort(),
            );
            expect(r.stdout).to.match(/engine\/a\.ts → \n\s+engine\/b\.ts →\n\s+engine\/a\.ts/);
            expect(r.stdout).to.match(/engine\/row\.ts → \n\s+engine\/table\.ts →\n\s+engine\/row\.ts/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
