/**
 * A command run the way cli/main.ts runs it — the same command table and `dispatch`, so the same parse,
 * help, handler, messages and exit code — but inside the test's process, without paying a fresh
 * Node + tsx + Pulumi start (about a second of CPU each) per run. For the behaviour that is the
 * process's own (the exit status, stdout drained into a pipe, a fresh module load) the suites keep
 * real child processes (tests/cli.test.ts and a few others).
 *
 * What a child would see, the run sees too:
 * - `env`: the whole environment, as `execFile(…, { env })` gives it — process.env is replaced for
 *   the run, so code reading process.env, os.homedir() or spawning tools (PATH) meets the same values;
 * - the working directory (`cwd`, the project root unless told, as the child helpers use);
 * - every write to process.stdout/stderr (a console.log, Pulumi's log) lands in stdout/stderr, so
 *   "nothing on stdout" still catches a stray write;
 * - no network: fetch is refused at once and recorded, as tests/helpers/noNetwork.mjs does for children.
 * Runs are serialised (one at a time): they swap process-wide state.
 */
import * as fs from "fs";
import * as path from "path";
import { commands } from "../../cli/main";
import { dispatch } from "../../cli/run";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface InProcessRun {
    code: number;
    stdout: string;
    stderr: string;
    /** URLs the command tried to fetch (each refused). */
    fetches: string[];
}

export interface InProcessOptions {
    /** The whole environment of the run (default: this process's, as a child inherits it). */
    env?: Record<string, string | undefined>;
    /** Where the command runs (default: the project root, where npm runs scripts). */
    cwd?: string;
}

let queue: Promise<unknown> = Promise.resolve();

/** `npm run <args…>` in this process: the exit code, what was written to stdout and stderr. */
export function runInProcess(args: string[], o: InProcessOptions = {}): Promise<InProcessRun> {
    const run = queue.then(() => runNow(args, o));
    queue = run.catch(() => undefined);
    return run;
}

async function runNow(args: string[], o: InProcessOptions): Promise<InProcessRun> {
    let stdout = "";
    let stderr = "";
    const fetches: string[] = [];
    const saved = { env: { ...process.env }, cwd: process.cwd(), out: process.stdout.write, err: process.stderr.write, fetch: globalThis.fetch };
    const capture = (append: (t: string) => void) =>
        function (chunk: string | Uint8Array, ...rest: unknown[]): boolean {
            append(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
            const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
            if (done) process.nextTick(done);
            return true;
        };
    try {
        if (o.env) {
            for (const k of Object.keys(process.env)) delete process.env[k];
            for (const [k, v] of Object.entries(o.env)) if (v !== undefined) process.env[k] = v;
        }
        process.chdir(o.cwd ?? ROOT);
        process.stdout.write = capture((t) => (stdout += t)) as typeof process.stdout.write;
        process.stderr.write = capture((t) => (stderr += t)) as typeof process.stderr.write;
        globalThis.fetch = async (url: string | URL | Request) => {
            const u = url instanceof Request ? url.url : String(url);
            fetches.push(u);
            // The children's recorder (noNetwork.mjs) logs here too, for tests that read its file.
            if (process.env.ISTIO_MESH_TEST_FETCH_LOG) fs.appendFileSync(process.env.ISTIO_MESH_TEST_FETCH_LOG, `${u}\n`);
            throw new TypeError("fetch failed (the test harness allows no network)");
        };
        const code = await dispatch(commands, args, { io: { out: (t) => (stdout += t), err: (t) => (stderr += t) }, env: process.env, projectRoot: ROOT });
        return { code, stdout, stderr, fetches };
    } finally {
        globalThis.fetch = saved.fetch;
        process.stdout.write = saved.out;
        process.stderr.write = saved.err;
        process.chdir(saved.cwd);
        if (o.env) {
            for (const k of Object.keys(process.env)) delete process.env[k];
            Object.assign(process.env, saved.env);
        }
    }
}
