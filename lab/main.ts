/**
 * Temporary entry for `npm run lab -- <list|plan|run> [flags]` until the lead wires labCommand into the
 * project's one strict parser. Strict: unknown flags, missing values and flags of another subcommand are
 * usage errors (exit 2); --help exits 0 touching nothing.
 */
import { defaultDeps, LabIo, LabOptions, labCommand, LabSubcommand } from "./command";

export const LAB_USAGE = [
    "usage: npm run lab -- list",
    "       npm run lab -- plan [--stack <s>] [--from <id>] [--to <id>] [--only <id>] [--markdown <file>]",
    "       npm run lab -- run  [--stack <s>] [--from <id>] [--to <id>] [--only <id>] [--report <file.md>] [--json <file>] [--bail] [--keep]",
    "                           [--ingress-url <url>] [--context <kube context>] [--samples <n>]",
].join("\n");

const FLAGS: Record<LabSubcommand, Record<string, "string" | "bool" | "int">> = {
    list: {},
    plan: { stack: "string", from: "string", to: "string", only: "string", markdown: "string" },
    run: { stack: "string", from: "string", to: "string", only: "string", report: "string", json: "string", bail: "bool", keep: "bool", "ingress-url": "string", context: "string", samples: "int" },
};

export function parseLabArgs(argv: string[]): { help: true } | { help: false; sub: LabSubcommand; opts: LabOptions } {
    if (argv.includes("--help") || argv.includes("-h")) return { help: true };
    const [sub, ...rest] = argv;
    if (!sub || !(sub in FLAGS)) throw new Error(`unknown subcommand ${JSON.stringify(sub ?? "")}`);
    const spec = FLAGS[sub as LabSubcommand];
    const opts: Record<string, unknown> = {};
    for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        const name = a.startsWith("--") ? a.slice(2) : undefined;
        const kind = name ? spec[name] : undefined;
        if (!name || !kind) throw new Error(`${JSON.stringify(a)} is not a flag of ${sub}`);
        const key = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
        if (key in opts) throw new Error(`--${name} is given twice`);
        if (kind === "bool") {
            opts[key] = true;
            continue;
        }
        const v = rest[++i];
        if (v === undefined || v.startsWith("--")) throw new Error(`--${name} needs a value`);
        if (kind === "int" && !/^[1-9]\d*$/.test(v)) throw new Error(`--${name} ${v}: expected a positive integer`);
        opts[key] = kind === "int" ? Number(v) : v;
    }
    return { help: false, sub: sub as LabSubcommand, opts: opts as LabOptions };
}

if (require.main === module) {
    const io: LabIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
    let parsed: ReturnType<typeof parseLabArgs>;
    try {
        parsed = parseLabArgs(process.argv.slice(2));
    } catch (e) {
        io.err(`lab: ${(e as Error).message}\n${LAB_USAGE}\n`);
        process.exit(2);
    }
    if (parsed.help) {
        io.out(`${LAB_USAGE}\n`);
        process.exit(0);
    }
    labCommand(parsed.sub, parsed.opts, io, defaultDeps(io)).then(
        (code) => process.exit(code),
        (e: unknown) => {
            io.err(`lab: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
            process.exit(1);
        },
    );
}
