import { expect } from "chai";
import { benchReport, BUDGET } from "../analysis/bench";

describe("npm run bench: the verdict says FAIL, which measurement and by how much", () => {
    const run = (smallMs: number, largeMs: number) => benchReport({ ms: smallMs, objects: 6006 }, { ms: largeMs, objects: 60006 });
    const rows: [what: string, small: number, large: number, ok: boolean, lines: RegExp[]][] = [
        ["within budget", 150, 1600, true, [/^OK: within budget \(N=10000 1600 of 2000 ms, ratio 10\.67 of 12\)$/m]],
        ["10,000 services too slow", 200, 2450, false, [/^FAIL: N=10000 took 2450 ms, over the 2000 ms budget by 450 ms \(\+23 %\)$/m]],
        ["growing faster than linear", 100, 1500, false, [/^FAIL: the ratio 10000\/1000 is 15\.00, over the 12 budget by 3\.00 \(linear is 10: the checks grow faster than the mesh\)$/m]],
        ["both", 100, 3000, false, [/^FAIL: N=10000 took 3000 ms, over the 2000 ms budget by 1000 ms \(\+50 %\)$/m, /^FAIL: the ratio 10000\/1000 is 30\.00/m]],
    ];
    for (const [what, small, large, ok, lines] of rows) {
        it(`${what}: ${ok ? "OK" : "FAIL"}`, () => {
            const r = run(small, large);
            expect(r.ok).to.equal(ok);
            for (const l of lines) expect(r.text).to.match(l);
            expect(r.text.includes("FAIL")).to.equal(!ok);
            expect(r.text).to.match(/^N=1000 {3}services: \d+ ms \(6006 objects\)\nN=10000 {2}services: \d+ ms \(60006 objects\)\nratio 10000\/1000: /);
        });
    }
    it("the budget is the documented one", () => expect(BUDGET).to.deep.equal({ largeMs: 2000, ratio: 12 }));
});
