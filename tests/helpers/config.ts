import { expect } from "chai";
import { ConfigError } from "../../config/reader";
import { parseConfig } from "../../config/parse";
import type { K3dClusterConfig, MeshConfig } from "../../config/types";

/** The default (course) config for a stack, with optional raw overrides. */
export function config(raw: Record<string, unknown> = {}, stack = "dev"): MeshConfig {
    return parseConfig(raw, stack);
}

/** The k3d cluster of a config (the dev default), narrowed for tests that read k3d settings. */
export function k3dOf(cfg: MeshConfig): K3dClusterConfig {
    expect(cfg.cluster.kind).to.equal("k3d");
    return cfg.cluster as K3dClusterConfig;
}

/** Asserts the raw config is rejected with a problem at `path` whose message matches `message`. */
export function expectProblem(raw: Record<string, unknown>, path: string, message?: RegExp): ConfigError {
    let error: unknown;
    try {
        parseConfig(raw, "dev");
    } catch (e) {
        error = e;
    }
    expect(error, `expected a ConfigError at ${path}`).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    const hit = problems.find((p) => p.path === path);
    expect(hit, `no problem at ${path}; got: ${problems.map((p) => `${p.path}: ${p.message}`).join(" | ")}`).to.not.equal(undefined);
    if (message) expect(hit!.message).to.match(message);
    expect((error as ConfigError).message).to.include(path);
    return error as ConfigError;
}
