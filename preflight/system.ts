/**
 * The machine as the preflight checks see it: commands on PATH, their output, ports, files, an API
 * server. The checks are pure over a System; preflight.ts' realSystem() is the real one, tests pass fakes.
 */
import type { Fetch } from "../supplychain/http";

export interface ExecResult {
    status: number | null;
    stdout: string;
    stderr: string;
    /** Set when the command could not run or timed out. */
    error?: string;
}

export type KubeApiAnswer = { ok: true; server: string } | { ok: false; server?: string; error: string };

export interface System {
    env: Record<string, string | undefined>;
    /** The command's path on PATH, or undefined. */
    which(command: string): string | undefined;
    exec(command: string, args: string[], timeoutMs: number): ExecResult;
    /** Why the port cannot be listened on (`in use`, `not permitted`), or undefined when it is free. */
    portBusy(host: string, port: number): Promise<string | undefined>;
    exists(file: string): boolean;
    homeDir: string;
    /** GET /version on the context's API server (a kubeconfig text, or the ambient KUBECONFIG). */
    kubeApi(context: string | undefined, kubeconfig: string | undefined): Promise<KubeApiAnswer>;
    /**
     * HTTP for the pinned charts' repositories (checkPinnedCharts). A System without it (a test of the
     * tool checks alone) makes no pinned-artifact check.
     */
    fetch?: Fetch;
    /** A line the user should read that does not stop the command. */
    warn?(line: string): void;
}
