/**
 * Headless Chromium (Debian's `chromium` package; .ci/run installs it), for opening the diagram's
 * HTML page as a user does. It never reaches past this machine: every http(s) request goes to a proxy
 * on 127.0.0.1 that answers 403 and records what it was asked, and no host name is resolved; with
 * `network: "none"` loopback addresses go to that proxy too. A plain `--dump-dom` run, no driver or
 * browser download.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";

/** The browser on PATH (`CHROMIUM` names another), or undefined. */
export function findChromium(): string | undefined {
    if (process.env.CHROMIUM) return process.env.CHROMIUM;
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        for (const name of ["chromium", "chromium-browser"]) {
            const f = path.join(dir, name);
            try {
                fs.accessSync(f, fs.constants.X_OK);
                return f;
            } catch {
                // not here
            }
        }
    }
    return undefined;
}

/**
 * Hosts Chromium itself calls whatever page it shows (seen with Debian's chromium 156, 2026-12:
 * network time, component updates, account checks — `--disable-background-networking` does not stop
 * them all). The proxy blocks them like anything else; a page's requests are the rest.
 */
export const BROWSER_OWN_HOSTS = ["clients2.google.com", "update.googleapis.com", "accounts.google.com"];

/** What the page asked for: the proxy's record without the browser's own calls. */
export const pageRequests = (asked: readonly string[]): string[] =>
    asked.filter((a) => {
        const url = a.replace(/^\S+ /, "");
        const host = url.includes("://") ? new URL(url).hostname : url.replace(/:\d+$/, "");
        return !BROWSER_OWN_HOSTS.includes(host);
    });

/** A proxy that lets nothing through: 403 to every request and CONNECT, each one recorded. */
export async function blockingProxy(): Promise<{ port: number; asked: string[]; close(): Promise<void> }> {
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
        asked.push(`${req.method} ${req.url}`);
        res.writeHead(403).end("blocked by the test");
    });
    server.on("connect", (req, socket) => {
        asked.push(`CONNECT ${req.url}`);
        socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return { port: (server.address() as AddressInfo).port, asked, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface DumpOptions {
    /** Port of a `blockingProxy()`: every request goes there. */
    proxyPort: number;
    /** `none` (default): loopback too goes to the proxy; `loopback`: only 127.0.0.1 is reached directly. */
    network?: "none" | "loopback";
    /** Virtual time the page gets to finish its scripts. */
    budgetMs?: number;
    /** Also write a screenshot here (a second run, same flags). */
    screenshot?: string;
}

function run(bin: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (d: Buffer) => out.push(d));
        child.stderr.on("data", (d: Buffer) => err.push(d));
        const timer = setTimeout(() => child.kill("SIGKILL"), 90000);
        child.on("error", reject);
        child.on("close", (status) => {
            clearTimeout(timer);
            resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
        });
    });
}

/** Opens a local file and returns the DOM after its scripts ran (`chromium --headless --dump-dom`). */
export async function dumpDom(bin: string, file: string, o: DumpOptions): Promise<string> {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "chromium-profile-"));
    try {
        const args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            `--user-data-dir=${profile}`,
            "--window-size=1600,1000",
            `--virtual-time-budget=${o.budgetMs ?? 10000}`,
            "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter",
            `--proxy-server=http://127.0.0.1:${o.proxyPort}`,
            // Chromium sends loopback past any proxy unless told not to.
            ...(o.network === "loopback" ? [] : ["--proxy-bypass-list=<-loopback>"]),
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ];
        const url = pathToFileURL(file).href;
        const r = await run(bin, [...args, "--dump-dom", url]);
        if (r.status !== 0 || !r.stdout.includes("<html")) throw new Error(`chromium exited ${r.status} without a DOM:\n${r.stderr.slice(-2000)}`);
        if (o.screenshot) await run(bin, [...args, `--screenshot=${o.screenshot}`, url]);
        return r.stdout;
    } finally {
        fs.rmSync(profile, { recursive: true, force: true });
    }
}

/** The visible text of an HTML fragment: tags dropped, `<br>` a line break, entities decoded. */
export function textOf(fragment: string): string {
    return fragment
        .replace(/<br\s*\/?>/gi, "\n")
        .replace(/<[^>]+>/g, "")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&nbsp;/g, " ")
        .replace(/&amp;/g, "&");
}
