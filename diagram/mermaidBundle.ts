/**
 * The Mermaid bundle the HTML page inlines: `mermaid/dist/mermaid.min.js` of the installed `mermaid`
 * package (a dependency: `render --graph <file>.html` needs it at run time), read once per process.
 * The one file of diagram/ that reads the disk.
 */
import * as fs from "fs";
import type { MermaidBundle } from "./page";

let cached: MermaidBundle | undefined;

export function mermaidBundle(): MermaidBundle {
    if (cached) return cached;
    let file: string;
    try {
        file = require.resolve("mermaid/dist/mermaid.min.js");
    } catch {
        throw new Error("the mermaid package is not installed: run `npm ci` (it draws the HTML page of `render --graph <file>.html`)");
    }
    const version = (JSON.parse(fs.readFileSync(require.resolve("mermaid/package.json"), "utf8")) as { version: string }).version;
    cached = { js: fs.readFileSync(file, "utf8"), version };
    return cached;
}
