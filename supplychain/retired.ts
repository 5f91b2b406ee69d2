/**
 * Locations that no longer serve the lab's artifacts, known by name, so an artifact pinned there is
 * reported as moved (with where it lives now) before any request is made, and `up` refuses it.
 * Checked 2026-12 against the sources named on each entry (see docs/pins.md).
 */
import type { Artifact } from "./artifacts";

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

/** `HTTPS://Host/path/` → `https://host/path`: how two spellings of one repository compare. */
export function canonicalUrl(url: string): string {
    const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)(.*)$/i.exec(url.trim());
    if (!m) return url.trim().replace(/\/+$/, "");
    const scheme = m[1].toLowerCase() === "http" ? "https" : m[1].toLowerCase();
    return `${scheme}://${m[2].toLowerCase()}${m[3].replace(/\/+$/, "")}`;
}

function underPrefix(value: string, prefix: string): boolean {
    return value === prefix || value.startsWith(`${prefix}/`);
}

/** Where a retired artifact lives now: the entry, and the artifact's location(s) there. */
export interface Relocation {
    retired: RetiredLocation;
    /** The same artifact's new location(s), preferred first: a chart repository/OCI ref, or an image name. */
    now: string[];
}

/** The retirement that applies to this artifact, if any (charts by repository, images by name). */
export function relocation(a: Pick<Artifact, "kind" | "name" | "location">): Relocation | undefined {
    for (const r of RETIRED_LOCATIONS) {
        if (r.kind !== a.kind) continue;
        if (a.kind === "chart") {
            if (r.charts && !r.charts.includes(a.name)) continue;
            const loc = canonicalUrl(a.location);
            if (!underPrefix(loc, canonicalUrl(r.prefix))) continue;
            return { retired: r, now: r.now.map((n) => n + loc.slice(canonicalUrl(r.prefix).length)) };
        }
        if (a.kind === "image" && underPrefix(a.name, r.prefix)) return { retired: r, now: r.now.map((n) => n + a.name.slice(r.prefix.length)) };
    }
    return undefined;
}
