import type { Finding } from "../finding";
import { AnalysisContext, httpRoutes, Spec } from "../context";
import { Analyzer, finding, ns } from "./analyzer";

/** Whether a DestinationRule of the host hashes requests (host-wide or in a subset). */
function hashed(ctx: AnalysisContext, host: string, namespace: string): boolean {
    return (ctx.destinationRules.get(ctx.fqdn(host, namespace)) ?? []).some((dr) => {
        const spec = dr.spec as Spec;
        return spec.trafficPolicy?.loadBalancer?.consistentHash || ((spec.subsets ?? []) as Spec[]).some((s) => s.trafficPolicy?.loadBalancer?.consistentHash);
    });
}

/**
 * MESH001: consistent-hash stickiness with a weighted split over several subsets. The hash picks a pod
 * inside whichever subset the weights chose for each request, so the same user still alternates
 * between versions (istio/istio#9764). The opt-in sticky canary pins the subset with a cookie.
 */
export const StickySessionsAcrossWeightedSubsets: Analyzer = {
    code: "MESH001",
    name: "StickySessionsAcrossWeightedSubsets",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const vs of ctx.virtualServices) {
            for (const { route, path } of httpRoutes(vs)) {
                const dests = (route.route ?? []) as Spec[];
                if (dests.length < 2) continue; // fewer than two destinations cannot split over two subsets
                // The three conditions are independent; the cheap lookup of a hash policy goes first
                // (almost no host has one), then the split and the sticky canary's pinned choice.
                const host = dests[0]?.destination?.host as string;
                // A malformed route (no host) is judged in the original order, where the split check comes first.
                if (typeof host === "string" && !hashed(ctx, host, ns(vs))) continue;
                const subsets = new Set(dests.filter((d) => (d.weight ?? 0) > 0).map((d) => `${d.destination?.host}/${d.destination?.subset}`));
                if (subsets.size < 2) continue;
                // The sticky canary's weighted route pins each choice on the response: stickiness holds.
                if (dests.every((d) => d.headers?.response)) continue;
                if (typeof host !== "string" && !hashed(ctx, host, ns(vs))) continue;
                out.push(
                    finding(this, "error", vs, `${path}.route`, `${host} hashes requests for sticky sessions but splits them by weight over ${subsets.size} subsets; Istio applies the hash only inside the subset each request was sent to, so users still switch versions (istio/istio#9764)`,
                        `either route to a single subset that spans all versions (the course's subset "all" with labels {app: nginx}), or keep the weights and add stickyCanary: true (or {cookie: <name>} / {header: <name>}) to istio-mesh:services.${host.split(".")[0]}: the first response pins the chosen subset and later requests keep it`),
                );
            }
        }
        return out;
    },
};
