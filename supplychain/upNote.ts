/** The pull figure `up` prints before it starts on a k3d stack (pulls.ts over the stack's inventory). */
import type { MeshConfig } from "../config/types";
import { buildPlan } from "../mesh/plan";
import { stackInventory } from "./inventory";
import { coldUpPulls, pullsLine } from "./pulls";
import { pulumiPlatform } from "./toolPins";

/**
 * "a cold up pulls up to N images from Docker Hub …", or undefined off k3d (a cloud cluster's nodes
 * pull from their own addresses). `cachedRegistries`: registries behind a pull-through cache;
 * `dockerHubLogin`: that cache pulls Docker Hub with a login (the stack's, or the user's docker login).
 */
export function coldUpNote(cfg: MeshConfig, k3dVersion: string, cachedRegistries: string[] = [], dockerHubLogin = false): string | undefined {
    if (cfg.cluster.kind !== "k3d") return undefined;
    const inv = stackInventory(cfg, buildPlan(cfg), { plugins: [], k3d: k3dVersion, platform: pulumiPlatform() });
    return pullsLine(cfg.stack, coldUpPulls(inv.artifacts, cfg.cluster, cachedRegistries), cachedRegistries, dockerHubLogin);
}
