/**
 * npm run bench: times config parsing, plan building and all three check layers (analysis/bench.ts)
 * for N = 1,000 and 10,000 generated services; over budget it says FAIL, by how much, and exits 1.
 */
import type { Parsed } from "../cli/commandLine";
import type { Command, Context } from "../cli/run";
import type * as Bench from "../analysis/bench";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const benchmark = () => require("../analysis/bench") as typeof Bench;

export const bench: Command = {
    spec: {
        name: "bench",
        summary: "Times config parsing, planning and every check layer for 1,000 and 10,000 generated services; exit 1 when over budget.",
        options: {},
    },
    run: (p, ctx) => benchCommand(p, ctx),
};

export async function benchCommand(_p: Parsed, ctx: Context): Promise<number> {
    const { benchReport, timeGatewayApi, timeOnce } = benchmark();
    await timeOnce(100); // warm-up: module loading and JIT are not what we measure
    const small = await timeOnce(1_000);
    const large = await timeOnce(10_000);
    const { text, ok } = benchReport(small, large);
    ctx.io.out(text);
    // Reported, not budgeted: no stack renders Gateway API objects yet (issue 19).
    timeGatewayApi(200); // warm-up: reading the CRDs and compiling the rules, once per process
    const gw = timeGatewayApi(1_000);
    ctx.io.out(`Gateway API layer, N=1000: ${gw.emptyMs.toFixed(1)} ms without Gateway API objects; ${gw.unavailable ? `with 1000 HTTPRoutes: not measured (${gw.unavailable})` : `${gw.ms!.toFixed(0)} ms with 1000 HTTPRoutes and a Gateway (not in the budget)`}\n`);
    if (!ok) ctx.io.err("bench: FAIL, over budget (a busy machine measures slower: run it again on a quiet one before looking for a regression)\n");
    return ok ? 0 : 1;
}
