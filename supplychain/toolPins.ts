/**
 * The tool versions the inventory needs, read from what is installed here: the Pulumi CLI version
 * the Automation API installs (= @pulumi/pulumi's version, as engine/engine.ts pinnedCliVersion()
 * reads it, without loading the Automation API) and each `@pulumi/*` resource package's plugin.
 */
import * as fs from "fs";
import * as path from "path";
import type { InstalledPlugin, PulumiArch, PulumiOs, ToolPins } from "./inventory";

interface PackageJson {
    name?: string;
    version?: string;
    pulumi?: { resource?: boolean; name?: string; version?: string; server?: string };
}

function readJson(file: string): PackageJson | undefined {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as PackageJson;
    } catch {
        return undefined;
    }
}

/** Every installed `@pulumi/*` package that declares a resource plugin (package.json `pulumi.resource`). */
export function installedPlugins(projectRoot: string): InstalledPlugin[] {
    const dir = path.join(projectRoot, "node_modules", "@pulumi");
    let names: string[];
    try {
        names = fs.readdirSync(dir).sort();
    } catch {
        return [];
    }
    const out: InstalledPlugin[] = [];
    for (const n of names) {
        const pkg = readJson(path.join(dir, n, "package.json"));
        const p = pkg?.pulumi;
        if (!p?.resource) continue;
        const name = p.name ?? n;
        const version = (p.version ?? pkg?.version ?? "").replace(/^v/, "");
        if (version) out.push({ name, version, ...(p.server ? { server: p.server } : {}) });
    }
    return out;
}

/** @pulumi/pulumi's version: the CLI `PulumiCommand.install` installs by default. */
export function pulumiSdkVersion(projectRoot: string): string | undefined {
    return readJson(path.join(projectRoot, "node_modules", "@pulumi", "pulumi", "package.json"))?.version;
}

/** This machine's build of the CLI and plugins, as get.pulumi.com names them. */
export function pulumiPlatform(platform: string = process.platform, arch: string = process.arch): ToolPins["platform"] {
    const os: PulumiOs = platform === "darwin" ? "darwin" : platform === "win32" ? "windows" : "linux";
    const a: PulumiArch = arch === "arm64" ? "arm64" : "amd64";
    return { os, arch: a };
}

export function installedToolPins(projectRoot: string, k3dVersion: string): ToolPins {
    return {
        pulumiCli: pulumiSdkVersion(projectRoot),
        plugins: installedPlugins(projectRoot),
        k3d: k3dVersion,
        platform: pulumiPlatform(),
    };
}
