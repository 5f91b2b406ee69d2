/**
 * The HTTP server: 200 at once, or (failing) the error status after the delay; `/healthz` always
 * answers 200 at once, so a failing pod stays Ready and keeps receiving traffic (what the lab needs).
 * One JSON log line per request.
 */
import * as http from "node:http";
import type { Settings } from "./settings";

export type Log = (line: Record<string, unknown>) => void;

export const jsonLog: Log = (line) => process.stdout.write(JSON.stringify({ time: new Date().toISOString(), ...line }) + "\n");

export interface Servicex {
    server: http.Server;
    /** Stops accepting connections, lets in-flight requests finish, then resolves. */
    shutdown(): Promise<void>;
}

export function createServicex(settings: Settings, log: Log = jsonLog): Servicex {
    let closing = false;
    const server = http.createServer((req, res) => {
        const started = process.hrtime.bigint();
        const path = (req.url ?? "/").split("?")[0];
        const health = path === "/healthz";
        const fail = settings.failing && !health;
        res.on("finish", () => {
            const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
            log({ method: req.method, path, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10, failing: settings.failing });
        });
        const answer = (status: number, body: Record<string, unknown>) => {
            // A keep-alive client must not hold the process open after a SIGTERM.
            if (closing) res.setHeader("connection", "close");
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(body) + "\n");
        };
        if (!fail) return answer(200, health ? { status: "ok" } : { status: 200 });
        const timer = setTimeout(() => answer(settings.errorStatus, { status: settings.errorStatus, error: `simulated failure after ${settings.errorDelayMs} ms` }), settings.errorDelayMs);
        // The caller gave up (e.g. a proxy timeout): nothing left to answer.
        res.on("close", () => clearTimeout(timer));
    });
    return {
        server,
        shutdown: () =>
            new Promise<void>((resolve, reject) => {
                closing = true;
                server.close((err) => (err ? reject(err) : resolve()));
                server.closeIdleConnections();
            }),
    };
}
