/**
 * npm run bench: times config parsing, plan building and all three check layers (analysis/bench.ts)
 * for N = 1,000 and 10,000 generated services; exit 1 when over budget.
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
    const { timeOnce } = benchmark();
    await timeOnce(100); // warm-up: module loading and JIT are not what we measure
    const small = await timeOnce(1_000);
    const large = await timeOnce(10_000);
    const ratio = large.ms / small.ms;
    ctx.io.out(`N=1000   services: ${small.ms.toFixed(0)} ms (${small.objects} objects)\n`);
    ctx.io.out(`N=10000  services: ${large.ms.toFixed(0)} ms (${large.objects} objects)\n`);
    ctx.io.out(`ratio 10000/1000: ${ratio.toFixed(2)} (linear is 10; target <= 12, and 10000 under 2000 ms)\n`);
    return large.ms > 2000 || ratio > 12 ? 1 : 0;
}
