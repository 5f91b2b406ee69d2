/**
 * Locations that no longer serve the lab's artifacts, known by name: the one table behind the config's
 * refusal of a retired Istio hub (config/sections/versions.ts) and `npm run pins`/the preflight, which
 * report an artifact pinned there as moved, with where it lives now (supplychain/retired.ts).
 * Checked 2026-12 against the sources named on each entry (see docs/pins.md).
 */
export interface RetiredLocation {
    kind: "chart" | "image";
    /** A chart repository URL (no trailing slash) or an image name prefix (`registry.istio.io/release`). */
    prefix: string;
    /** Only these charts moved (the rest of that repository still lives there); all when unset. */
    charts?: string[];
    /** Where the same artifacts live now, preferred first (same name and version under each). */
    now: string[];
    /** What happened, and when, with its source. */
    note: string;
    /** The whole registry host is gone, not only this path (a hub anywhere on it is refused). */
    wholeHost?: boolean;
}

export const RETIRED_LOCATIONS: RetiredLocation[] = [
    {
        kind: "chart",
        prefix: "https://istio-release.storage.googleapis.com/charts",
        now: ["https://blob.istio.io/istio-release/charts", "oci://ghcr.io/istio/release/charts"],
        note: "Istio retired its Google Cloud Storage bucket in December 2026 (switched off 2026-12-08 15:00 UTC for the last scream test; istio/istio#61467, istio.io blog 2026 retirement-of-gcp)",
    },
    {
        kind: "image",
        prefix: "registry.istio.io/release",
        wholeHost: true,
        now: ["docker.io/istio"],
        note: "Istio retired registry.istio.io in December 2026 (istio.io blog 2026 retirement-of-gcr.io-follow-up; upgrade notes of 1.31); Istio 1.30 charts still default to it: set the istiod chart's hub and global.hub",
    },
    {
        kind: "image",
        prefix: "gcr.io/istio-release",
        now: ["docker.io/istio"],
        note: "Istio retired gcr.io/istio-release in December 2026 (istio.io blog 2026 retirement-of-gcp)",
    },
    {
        kind: "chart",
        prefix: "https://grafana.github.io/helm-charts",
        charts: ["grafana"],
        now: ["https://grafana-community.github.io/helm-charts", "oci://ghcr.io/grafana-community/helm-charts"],
        note: "the grafana chart moved to grafana-community on 2026-01-30; the old repository is frozen and marks it deprecated (grafana/helm-charts#4087)",
    },
];

/** Image locations a hub may not name: each retired image prefix, or its whole registry host. */
export const RETIRED_IMAGE_LOCATIONS: readonly string[] = RETIRED_LOCATIONS.filter((r) => r.kind === "image").map((r) => (r.wholeHost ? r.prefix.split("/")[0] : r.prefix));
