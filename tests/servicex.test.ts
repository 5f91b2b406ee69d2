import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import * as http from "http";
import type { AddressInfo } from "net";
import * as path from "path";
import { createServicex, Servicex } from "../apps/servicex/src/server";
import { DEFAULTS, Settings, settingsFrom } from "../apps/servicex/src/settings";
import { ROOT } from "./helpers/render";
import * as fs from "fs";
import { parseCommandLine } from "../cli/commandLine";
import { commands } from "../cli/main";
import { UsageError } from "../cli/errors";
import { listenProblem, LOCAL_PORT, localSettings } from "../commands/servicex";

interface Reply {
    status: number;
    body: string;
    ms: number;
}

/** One GET on loopback, timed. */
function get(port: number, urlPath = "/"): Promise<Reply> {
    const t0 = Date.now();
    return new Promise((resolve, reject) => {
        http.get({ host: "127.0.0.1", port, path: urlPath, agent: false }, (res) => {
            let body = "";
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve({ status: res.statusCode!, body, ms: Date.now() - t0 }));
        }).on("error", reject);
    });
}

describe("servicex (real HTTP on 127.0.0.1)", () => {
    const DELAY = 200;
    const started: Servicex[] = [];
    afterEach(async () => {
        await Promise.all(started.splice(0).map((s) => s.shutdown()));
    });

    async function start(env: NodeJS.ProcessEnv): Promise<{ port: number; lines: Record<string, unknown>[] }> {
        const lines: Record<string, unknown>[] = [];
        const app = createServicex(settingsFrom({ PORT: "0", ...env }), (l) => lines.push(l));
        started.push(app);
        await new Promise<void>((r) => app.server.listen(0, "127.0.0.1", r));
        return { port: (app.server.address() as AddressInfo).port, lines };
    }

    it("answers 200 at once without error=yes", async () => {
        const { port } = await start({});
        const r = await get(port, "/anything");
        expect(r.status).to.equal(200);
        expect(r.ms).to.be.lessThan(DELAY);
        expect(JSON.parse(r.body)).to.deep.equal({ status: 200 });
    });

    it("with error=yes waits the delay, then answers 504", async () => {
        const { port } = await start({ error: "yes", ERROR_DELAY_MS: String(DELAY) });
        const r = await get(port);
        expect(r.status).to.equal(504);
        expect(r.ms).to.be.at.least(DELAY - 5).and.lessThan(DELAY + 500);
        expect(JSON.parse(r.body).status).to.equal(504);
    });

    it("ERROR_STATUS sets the failure status (e.g. 500 for the consecutive5xxErrors variation)", async () => {
        const { port } = await start({ error: "yes", ERROR_STATUS: "500", ERROR_DELAY_MS: "0" });
        expect((await get(port)).status).to.equal(500);
    });

    it("/healthz answers 200 at once even when failing, so the failing pod stays Ready", async () => {
        const { port } = await start({ error: "yes", ERROR_DELAY_MS: String(DELAY) });
        const r = await get(port, "/healthz");
        expect(r.status).to.equal(200);
        expect(r.ms).to.be.lessThan(DELAY);
    });

    it("logs one JSON line per request: method, path, status, duration", async () => {
        const { port, lines } = await start({ error: "yes", ERROR_DELAY_MS: "20" });
        await get(port, "/a?x=1");
        await get(port, "/healthz");
        expect(lines).to.have.length(2);
        expect(lines[0]).to.include({ method: "GET", path: "/a", status: 504, failing: true });
        expect(lines[0].durationMs).to.be.a("number").and.at.least(15);
        expect(lines[1]).to.include({ path: "/healthz", status: 200 });
    });

    describe("settings from the environment", () => {
        it("defaults: port 8000, not failing, 504 after 5000 ms", () => {
            expect(settingsFrom({})).to.deep.equal({ port: 8000, failing: false, errorStatus: 504, errorDelayMs: 5000 } satisfies Settings);
            expect(DEFAULTS).to.deep.equal({ port: 8000, errorStatus: 504, errorDelayMs: 5000 });
        });

        it("rejects bad values, naming the variable and what it accepts", () => {
            expect(() => settingsFrom({ PORT: "http" })).to.throw(/PORT="http".*integer from 0 to 65535/);
            expect(() => settingsFrom({ ERROR_STATUS: "99" })).to.throw(/ERROR_STATUS="99".*100 to 599/);
            expect(() => settingsFrom({ ERROR_DELAY_MS: "-1" })).to.throw(/ERROR_DELAY_MS/);
            expect(() => settingsFrom({ error: "true" })).to.throw(/error="true".*error=yes/);
            expect(settingsFrom({ error: "no" }).failing).to.equal(false);
        });
    });

    describe("as the image runs it (node dist/main.js: apps/servicex/src/main.ts)", function () {
        this.timeout(10000);
        let child: ChildProcess | undefined;
        afterEach(() => {
            if (child && child.exitCode === null) child.kill("SIGKILL");
        });

        it("on SIGTERM finishes the in-flight request, then exits 0 and refuses new connections", async () => {
            child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "apps", "servicex", "src", "main.ts")], {
                cwd: ROOT,
                env: { ...process.env, PORT: "0", error: "yes", ERROR_DELAY_MS: "400" },
                stdio: ["ignore", "pipe", "inherit"],
            });
            const out: string[] = [];
            const port = await new Promise<number>((resolve, reject) => {
                child!.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
                    for (const l of chunk.split("\n").filter(Boolean)) {
                        out.push(l);
                        const j = JSON.parse(l);
                        if (j.msg === "listening") resolve(j.port);
                    }
                });
                child!.once("exit", (code) => reject(new Error(`servicex exited ${code} before listening`)));
            });
            const exited = new Promise<number | null>((r) => child!.once("exit", (code) => r(code)));
            const inFlight = get(port);
            await new Promise((r) => setTimeout(r, 100));
            child.kill("SIGTERM");
            const r = await inFlight;
            expect(r.status, "the in-flight request is answered").to.equal(504);
            expect(await exited).to.equal(0);
            const lines = out.map((l) => JSON.parse(l));
            expect(lines.map((l) => l.msg ?? l.status)).to.deep.equal(["listening", "shutting down", 504]);
            let refused: unknown;
            await get(port).catch((e) => (refused = e));
            expect((refused as NodeJS.ErrnoException)?.code).to.equal("ECONNREFUSED");
        });
    });
});

describe("npm run servicex (cli/main.ts servicex): a port clear of the dev ingress, --help, a clear message when the port is taken", function () {
    this.timeout(30000);
    const spec = commands.find((c) => c.spec.name === "servicex")!.spec;
    const parsed = (argv: string[]) => {
        const p = parseCommandLine(spec, argv);
        if (p.help) throw new Error("help");
        return p;
    };
    const rows: [what: string, argv: string[], env: Record<string, string>, want: Partial<Settings> | RegExp][] = [
        ["by default 8081: the dev stack's ingress has localhost:8000", [], {}, { port: LOCAL_PORT, failing: false }],
        ["PORT as in the container", [], { PORT: "8000" }, { port: 8000 }],
        ["--port wins over PORT", ["--port", "9000"], { PORT: "8000" }, { port: 9000 }],
        ["--error is the course's error=yes", ["--error"], { ERROR_DELAY_MS: "10" }, { failing: true, errorDelayMs: 10 }],
        ["error=yes from the environment", [], { error: "yes" }, { failing: true }],
        ["a --port that is no port", ["--port", "http"], {}, /--port http: expected a whole number from 0 to 65535/],
        ["a bad environment value is a usage error naming it", [], { ERROR_STATUS: "99" }, /npm run servicex: ERROR_STATUS="99"/],
    ];
    for (const [what, argv, env, want] of rows) {
        it(what, () => {
            if (want instanceof RegExp) expect(() => localSettings(parsed(argv), env)).to.throw(UsageError, want);
            else expect(localSettings(parsed(argv), env)).to.include(want);
        });
    }
    it("the local port is not the image's: the cluster keeps 8000 (Dockerfile, containerPort)", () => {
        expect(LOCAL_PORT).to.not.equal(8000);
        expect(DEFAULTS.port).to.equal(8000);
        expect(fs.readFileSync(path.join(ROOT, "apps", "servicex", "Dockerfile"), "utf8")).to.match(/ENV NODE_ENV=production PORT=8000/);
    });

    const servicex = (args: string[]) => spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "cli", "main.ts"), "servicex", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const finished = (child: ChildProcess) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            let stdout = "";
            let stderr = "";
            child.stdout!.setEncoding("utf8").on("data", (c: string) => (stdout += c));
            child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
            child.once("exit", (code) => resolve({ code, stdout, stderr }));
        });

    it("as a process: a port in use is one message with the fix, exit 2, no trace; a free one serves until SIGTERM, then exit 0", async () => {
        // Held the way servicex listens (every address), so the clash is the one a user meets.
        const holder = http.createServer();
        await new Promise<void>((r) => holder.listen(0, () => r()));
        const taken = (holder.address() as AddressInfo).port;
        const children: ChildProcess[] = [];
        try {
            const clash = servicex(["--port", String(taken)]);
            const free = servicex(["--port", "0"]);
            children.push(clash, free);
            const clashed = finished(clash);
            const done = finished(free);
            const port = await new Promise<number>((resolve, reject) => {
                free.stdout!.on("data", (c: Buffer) => {
                    const m = String(c).match(/"msg":"listening","port":(\d+)/);
                    if (m) resolve(Number(m[1]));
                });
                free.once("exit", (code) => reject(new Error(`servicex exited ${code} before listening`)));
            });
            expect((await get(port)).status).to.equal(200);
            free.kill("SIGTERM");
            const r = await clashed;
            expect(r.code).to.equal(2);
            expect(r.stderr).to.include(`npm run servicex: port ${taken} is already in use; choose another: npm run servicex -- --port 8081 (or PORT=<n>)`);
            expect(r.stderr).to.not.match(/\n\s+at /);
            const d = await done;
            expect(d.code, d.stderr).to.equal(0);
            expect(d.stderr).to.include(`servicex: http://localhost:${port}/ answers 200; Ctrl-C stops it`);
            expect(d.stdout).to.include('"msg":"shutting down","signal":"SIGTERM"');
        } finally {
            for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
            holder.close();
        }
    });

    it("port 8000 in use names the dev stack's ingress", () => {
        expect(listenProblem(Object.assign(new Error("x"), { code: "EADDRINUSE" }), 8000)).to.equal(
            "npm run servicex: port 8000 is already in use (on the dev stack, k3d publishes the ingress gateway there: http://localhost:8000); choose another: npm run servicex -- --port 8081 (or PORT=<n>)",
        );
    });
});
