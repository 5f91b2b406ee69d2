/**
 * servicex's settings, from its environment. The names are the course's (`error=yes`) plus the knobs
 * for variations of the circuit-breaker lab; analysis/analyzers/GatewayErrorsMissServerErrors.ts reads
 * the same names from the rendered Deployment, so keep them in step.
 */
export interface Settings {
    port: number;
    /** `error=yes`: every request (but /healthz) waits `errorDelayMs`, then answers `errorStatus`. */
    failing: boolean;
    errorStatus: number;
    errorDelayMs: number;
}

export const DEFAULTS = { port: 8000, errorStatus: 504, errorDelayMs: 5000 } as const;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const v = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || v < min || v > max) throw new Error(`${name}=${JSON.stringify(raw)} is not allowed; expected an integer from ${min} to ${max} (default ${fallback})`);
    return v;
}

/** Throws one Error naming the variable and what it accepts, so a bad env fails at start, not per request. */
export function settingsFrom(env: NodeJS.ProcessEnv): Settings {
    const error = env.error;
    if (error !== undefined && error !== "" && error !== "yes" && error !== "no") {
        throw new Error(`error=${JSON.stringify(error)} is not allowed; set error=yes to fail every request, or leave it unset (or "no")`);
    }
    return {
        // 0 = any free port (tests).
        port: integer(env, "PORT", DEFAULTS.port, 0, 65535),
        failing: error === "yes",
        errorStatus: integer(env, "ERROR_STATUS", DEFAULTS.errorStatus, 100, 599),
        errorDelayMs: integer(env, "ERROR_DELAY_MS", DEFAULTS.errorDelayMs, 0, 600000),
    };
}
