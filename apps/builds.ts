/**
 * The apps this program builds from source (one directory each under apps/, with its Dockerfile), and
 * the content tag of each: a hash of the files the Docker build sees plus the base image. A changed
 * file changes the tag and so rolls the Deployments; an unchanged tree keeps the tag and changes nothing.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Versions } from "../config/versions";

/** Project root: Pulumi runs the program from here, so build paths are relative to it. */
const ROOT = path.resolve(__dirname, "..");

/** `baseImage`: the entry of istio-mesh:versions passed to the Dockerfile as NODE_IMAGE. */
export const APPS: Record<"servicex", { dir: string; baseImage: keyof Versions }> = {
    servicex: { dir: "apps/servicex", baseImage: "servicexBaseImage" },
};

export type AppName = keyof typeof APPS;

export function isApp(name: string): name is AppName {
    return Object.prototype.hasOwnProperty.call(APPS, name);
}

/**
 * `.dockerignore` entries as root-relative paths. Only plain names are supported (no globs), so this
 * reading and Docker's agree; tests keep the file that simple.
 */
export function dockerIgnored(appDir: string, root = ROOT): string[] {
    const file = path.join(root, appDir, ".dockerignore");
    if (!fs.existsSync(file)) return [];
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .map((l) => l.trim().replace(/^\/+|\/+$/g, ""))
        .filter((l) => l !== "" && !l.startsWith("#"));
}

/** The files of the build context, sorted, as paths relative to the app directory. */
export function contextFiles(appDir: string, root = ROOT): string[] {
    const ignored = dockerIgnored(appDir, root);
    const skip = (rel: string) => ignored.some((i) => rel === i || rel.startsWith(i + "/"));
    const out: string[] = [];
    const walk = (rel: string) => {
        for (const e of fs.readdirSync(path.join(root, appDir, rel), { withFileTypes: true })) {
            const r = rel ? `${rel}/${e.name}` : e.name;
            if (skip(r)) continue;
            if (e.isDirectory()) walk(r);
            else if (e.isFile()) out.push(r);
        }
    };
    walk("");
    return out.sort();
}

/**
 * `src-<12 hex>`: the sha256 of every context file (path and bytes) and of the base image reference.
 * `root` is the project root (tests point it at a copy).
 */
export function sourceTag(app: AppName, baseImage: string, root = ROOT): string {
    const dir = APPS[app].dir;
    const h = createHash("sha256").update(`base ${baseImage}\0`);
    for (const f of contextFiles(dir, root)) h.update(`${f}\0`).update(fs.readFileSync(path.join(root, dir, f))).update("\0");
    return `src-${h.digest("hex").slice(0, 12)}`;
}
