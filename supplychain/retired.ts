/**
 * An artifact pinned at a retired location (config/retiredLocations.ts, the one table) is reported as
 * moved, with where it lives now, before any request is made, and `up` refuses it.
 */
import { RETIRED_LOCATIONS, RetiredLocation } from "../config/retiredLocations";
import type { Artifact } from "./artifacts";

export { RETIRED_LOCATIONS };
export type { RetiredLocation };

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
