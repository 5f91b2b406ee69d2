/**
 * The pre-deploy gate against the bad-input corpus (tests/fixtures/bad/corpus.ts): every row is
 * refused by checkStack — the function render, analyze and `pulumi up` all call — with the config path
 * named, the expected message, no stack trace, no "bug in the builders" for a user's value and never
 * a secret's value. A handful go through `render`'s command line (one of them as a child process).
 */
import { expect } from "chai";
import { AnalysisError } from "../analysis/finding";
import { checkStack } from "../analysis/gate";
import { ConfigError } from "../config/reader";
import { CORPUS, FILE, Row, stackText, VIA_RENDER } from "./fixtures/bad/corpus";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { render, renderProcess } from "./helpers/render";

/** The error of a row, or a failure saying the gate let it through. */
async function refusal(row: Row): Promise<Error> {
    try {
        await checkStack(stackText(row[0]), row[3]?.stack ?? "dev", { file: FILE });
    } catch (e) {
        return e as Error;
    }
    throw new Error(`the gate accepted this stack file:\n${stackText(row[0]).slice(0, 400)}`);
}

function expectGoodMessage(message: string, row: Row): void {
    const [, configPath, fragment, extra] = row;
    expect(message, "names the config path").to.include(configPath);
    expect(message, "says what is wrong").to.include(fragment);
    expect(message, "no stack trace").to.not.match(/\n\s+at .+\(.*:\d+:\d+\)/);
    expect(message, "blames no builder for a user's value").to.not.match(/bug in istio-mesh/i);
    if (extra?.secret) expect(message, "never echoes a secret").to.not.include(extra.secret);
    if (extra?.absent) expect(message, "no follow-on error").to.not.include(extra.absent);
}

describe("pre-deploy gate: the bad-input corpus", () => {
    const total = Object.values(CORPUS).reduce((n, rows) => n + rows.length, 0);
    it(`has at least 200 rows (${total})`, () => expect(total).to.be.at.least(200));

    for (const [section, rows] of Object.entries(CORPUS)) {
        describe(section, () => {
            for (const row of rows) {
                it(`${row[1]}: ${row[2]}`, async () => {
                    const e = await refusal(row);
                    expect(e, e.message).to.satisfy((x: unknown) => x instanceof ConfigError || x instanceof AnalysisError);
                    expectGoodMessage(e.message, row);
                });
            }
        });
    }
});

describe("pre-deploy gate: through npm run render", function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-bad-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    // The row with a secret goes through the entry point as a child process (its exit status, its whole
    // stderr: the secret never printed); the others through the same dispatch in this process.
    const CHILD = Math.max(0, VIA_RENDER.findIndex((row) => row[3]?.secret));
    VIA_RENDER.forEach((row, i) => {
        it(`exit 1, nothing on stdout${i === CHILD ? " (a child process)" : ""}: ${row[1]}`, async () => {
            const file = path.join(dir, `bad-${i}.yaml`);
            fs.writeFileSync(file, stackText(row[0]));
            const r = i === CHILD ? renderProcess(["--file", file]) : await render(["--file", file]);
            expect(r.status, r.stderr).to.equal(1);
            expect(r.stdout).to.equal("");
            // The file is named by its path on disk there.
            expectGoodMessage(r.stderr.split(file).join(FILE), row);
        });
    });
});
