/**
 * The pinned artifacts' part of `up`/`preview`'s preflight, before anything is created: one index
 * (or manifest) request per chart repository, with a short deadline, and the retired locations known
 * by name (no request).
 * - A chart at a retired host, a chart version its repository does not list (404, not in the index),
 *   or an image pinned at a retired registry: refused (PrerequisiteError, exit 2), naming the artifact
 *   and where it lives now. Helm, or every pod, would fail on it half-way through the deploy.
 * - A repository that cannot be asked (no network, a proxy that blocks it, 429, 5xx, a redirect Helm
 *   follows anyway): a warning, and the deploy goes on. An offline laptop cannot deploy anyway, but a
 *   corporate proxy may block only this check; `npm run pins` is the full audit.
 */
import type { MeshConfig } from "../config/types";
import { buildPlan } from "../mesh/plan";
import { Artifact, artifactLabel } from "./artifacts";
import { Checker } from "./check";
import { Fetch, OVERRIDE_ENV, parseRoutes } from "./http";
import { stackInventory } from "./inventory";
import { relocation } from "./retired";
import { pulumiPlatform } from "./toolPins";

/** Each repository gets this long to answer, index included. */
export const PREFLIGHT_TIMEOUT_MS = 8000;

export interface PinnedCheck {
    problems: string[];
    warnings: string[];
}

export interface PinnedCheckNet {
    fetch: Fetch;
    env: Record<string, string | undefined>;
    timeoutMs?: number;
}

const FIX = "move the pin in config/versions.ts (or the stack's istio-mesh:versions), then check every artifact with npm run pins";

/** Charts (network, one request per repository) and images (by name only) of these artifacts. */
export async function checkPinnedArtifacts(artifacts: Artifact[], net: PinnedCheckNet): Promise<PinnedCheck> {
    const problems: string[] = [];
    const warnings: string[] = [];
    for (const a of artifacts) {
        if (a.kind !== "chart" && a.kind !== "image") continue;
        const r = relocation(a);
        if (!r) continue;
        const place = a.kind === "chart" ? `${a.location}` : a.location;
        problems.push(`${a.kind} ${artifactLabel(a)} (${a.why}) is pinned at ${place}, which is retired: ${r.retired.note}. It lives now at ${r.now.join(" or ")}: ${FIX}`);
    }
    const charts = artifacts.filter((a) => a.kind === "chart" && !relocation(a));
    if (charts.length === 0) return { problems, warnings };
    const routes = parseRoutes(net.env[OVERRIDE_ENV]);
    if ("problem" in routes) return { problems: [...problems, routes.problem], warnings };
    const checker = new Checker({ fetch: net.fetch, routes, timeoutMs: net.timeoutMs ?? PREFLIGHT_TIMEOUT_MS }, { archives: false });
    const verdicts = await Promise.all(charts.map(async (a) => ({ a, v: await checker.check(a) })));
    const unchecked: string[] = [];
    for (const { a, v } of verdicts) {
        if (v.status === "found") continue;
        if (v.status === "missing") problems.push(`chart ${artifactLabel(a)} (${a.why}) is not in its repository ${a.location}: ${v.detail}. Pin a version the repository lists: ${FIX}`);
        else if (v.status === "moved") warnings.push(`istio-mesh: chart ${artifactLabel(a)}: ${v.detail}; Helm follows the redirect, but ${FIX}`);
        else unchecked.push(`${artifactLabel(a)}: ${v.detail}`);
    }
    if (unchecked.length) {
        // One line per distinct reason: an offline laptop sees one line, not one per chart.
        const reasons = [...new Set(unchecked.map((u) => u.slice(u.indexOf(": ") + 2)))];
        warnings.push(`istio-mesh: could not check the pinned charts (${reasons.join("; ")}); continuing: the deploy fetches them itself and fails there if they are gone (npm run pins checks every artifact)`);
    }
    return { problems, warnings };
}

/** The stack's charts and images, as the inventory lists them (no tools: those are not preflight's). */
export async function pinnedArtifactsPreflight(cfg: MeshConfig, net: PinnedCheckNet): Promise<PinnedCheck> {
    const inv = stackInventory(cfg, buildPlan(cfg), { plugins: [], platform: pulumiPlatform() });
    return checkPinnedArtifacts(inv.artifacts, net);
}
