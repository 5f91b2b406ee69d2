/**
 * npm run servicex -- [--port <n>] [--error]
 *
 * The circuit-breaker lab's service (apps/servicex) run here, for trying it before the cluster. Its
 * port defaults to 8081, not the image's 8000: on the dev stack k3d publishes the ingress gateway on
 * localhost:8000. The image keeps 8000 (Dockerfile, config/defaults.ts), so the cluster is unchanged.
 * Runs until Ctrl-C or SIGTERM, then answers the requests in flight and exits 0.
 */
import type * as Server from "../apps/servicex/src/server";
import type * as Settings from "../apps/servicex/src/settings";
import { booleanOption, intOption, Parsed, stringOption } from "../cli/commandLine";
import { PrerequisiteError, UsageError } from "../cli/errors";
import type { Command, Context } from "../cli/run";

// Loaded when the command runs, never for --help (docs/architecture.md, "Commands load lazily").
const server = () => require("../apps/servicex/src/server") as typeof Server;
const settingsOf = () => require("../apps/servicex/src/settings") as typeof Settings;

export const servicex: Command = {
    spec: {
        name: "servicex",
        summary:
            "Runs the circuit-breaker lab's service (apps/servicex) here, on port 8081 unless told: 8000 is where the dev stack's ingress answers. " +
            "It reads the environment the cluster gives it (PORT, error=yes, ERROR_STATUS, ERROR_DELAY_MS); the flags win. Ctrl-C stops it once the requests in flight are answered.",
        options: {
            port: { type: "string", short: "p", value: "<n>", description: "listen on this port, 0 for any free one", default: "$PORT, else 8081" },
            error: { type: "boolean", description: "fail every request (but /healthz) after ERROR_DELAY_MS (5000) with ERROR_STATUS (504): the course's error=yes" },
        },
        notes: ["examples:", "  npm run servicex                          # curl localhost:8081 → 200", "  npm run servicex -- --port 8082 --error   # curl localhost:8082 → 504 after 5 s"],
    },
    run: (p, ctx) => servicexCommand(p, ctx),
};

/** Where `npm run servicex` listens unless told: clear of the dev stack's ingress (localhost:8000). */
export const LOCAL_PORT = 8081;

/** The settings from the environment (the container's names), with the flags winning. */
export function localSettings(p: Parsed, env: Record<string, string | undefined>) {
    const flag = stringOption(p, "port") === undefined ? undefined : intOption(servicex.spec, p, "port", LOCAL_PORT, { min: 0, max: 65535 });
    const port = flag !== undefined ? String(flag) : env.PORT || String(LOCAL_PORT);
    const vars = { ...env, PORT: port, ...(booleanOption(p, "error") ? { error: "yes" } : {}) };
    try {
        return settingsOf().settingsFrom(vars as NodeJS.ProcessEnv);
    } catch (e) {
        throw new UsageError(`npm run servicex: ${(e as Error).message}`);
    }
}

/** Why the port cannot be had, in words, with the fix. */
export function listenProblem(e: NodeJS.ErrnoException, port: number): string {
    const other = port === 8000 ? " (on the dev stack, k3d publishes the ingress gateway there: http://localhost:8000)" : "";
    const fix = `choose another: npm run servicex -- --port ${port === LOCAL_PORT ? LOCAL_PORT + 1 : LOCAL_PORT} (or PORT=<n>)`;
    if (e.code === "EADDRINUSE") return `npm run servicex: port ${port} is already in use${other}; ${fix}`;
    if (e.code === "EACCES") return `npm run servicex: not allowed to listen on port ${port} (ports below 1024 need privileges); ${fix}`;
    return `npm run servicex: cannot listen on port ${port}: ${e.message}`;
}

export async function servicexCommand(p: Parsed, ctx: Context): Promise<number> {
    const settings = localSettings(p, ctx.env);
    const { createServicex, jsonLog } = server();
    const app = createServicex(settings);
    await new Promise<void>((resolve, reject) => {
        app.server.once("error", (e: NodeJS.ErrnoException) => reject(new PrerequisiteError(listenProblem(e, settings.port))));
        app.server.listen(settings.port, () => resolve());
    });
    const { port } = app.server.address() as { port: number };
    jsonLog({ msg: "listening", port, failing: settings.failing, errorStatus: settings.errorStatus, errorDelayMs: settings.errorDelayMs });
    ctx.io.err(`servicex: http://localhost:${port}/ answers ${settings.failing ? `${settings.errorStatus} after ${settings.errorDelayMs} ms` : "200"}; Ctrl-C stops it\n`);
    const signal = await new Promise<string>((resolve) => {
        for (const s of ["SIGTERM", "SIGINT"] as const) process.once(s, () => resolve(s));
    });
    jsonLog({ msg: "shutting down", signal });
    await app.shutdown();
    return 0;
}
