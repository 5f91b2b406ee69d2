/**
 * servicex: the circuit-breaker lab's sometimes-failing service, as the image runs it (`npm run servicex`
 * runs it here through scripts/servicex.ts). `PORT` (8000), `error=yes` (fail),
 * `ERROR_STATUS` (504), `ERROR_DELAY_MS` (5000). Exits on SIGTERM once in-flight requests are answered,
 * which is what Kubernetes sends on a rollout.
 */
import type { AddressInfo } from "node:net";
import { createServicex, jsonLog } from "./server";
import { Settings, settingsFrom } from "./settings";

function loadSettings(): Settings {
    try {
        return settingsFrom(process.env);
    } catch (e) {
        jsonLog({ level: "error", msg: (e as Error).message });
        return process.exit(2);
    }
}

const settings = loadSettings();
const app = createServicex(settings);
// A port already taken (or not allowed) is one log line and exit 1, not a stack trace.
app.server.once("error", (e: NodeJS.ErrnoException) => {
    jsonLog({ level: "error", msg: `cannot listen on port ${settings.port}: ${e.code ?? e.message}; set PORT to a free port` });
    process.exit(1);
});
app.server.listen(settings.port, () => {
    const { port } = app.server.address() as AddressInfo;
    jsonLog({ msg: "listening", port, failing: settings.failing, errorStatus: settings.errorStatus, errorDelayMs: settings.errorDelayMs });
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
        jsonLog({ msg: "shutting down", signal });
        app.shutdown().then(
            () => process.exit(0),
            (e) => {
                jsonLog({ level: "error", msg: String(e) });
                process.exit(1);
            },
        );
    });
}
