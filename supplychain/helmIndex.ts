/**
 * Reading one chart's entries out of a Helm repository's `index.yaml`. Some are large (the
 * prometheus-community index is several MiB), so the chart's own block is cut out of the text and
 * parsed alone when the file is laid out as `helm repo index` writes it; any other layout is parsed whole.
 */
import * as yaml from "js-yaml";

export interface IndexEntry {
    version: string;
    urls: string[];
    deprecated: boolean;
}

function entriesOf(doc: unknown, chart: string): IndexEntry[] | undefined {
    const entries = (doc as { entries?: Record<string, unknown> } | undefined)?.entries;
    if (!entries || typeof entries !== "object" || !Object.prototype.hasOwnProperty.call(entries, chart)) return undefined;
    const list = entries[chart];
    if (!Array.isArray(list)) return [];
    return list
        .filter((e): e is Record<string, unknown> => !!e && typeof e === "object")
        .map((e) => ({
            version: String(e.version ?? ""),
            urls: Array.isArray(e.urls) ? e.urls.filter((u): u is string => typeof u === "string") : [],
            deprecated: e.deprecated === true,
        }));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The chart's entries, or undefined when the index has no such chart (throws on a file that is no index). */
export function indexEntries(text: string, chart: string): IndexEntry[] | undefined {
    // `helm repo index` (go-yaml): `entries:` at the top, each chart a two-space key, its list below it.
    const top = /^entries:[ \t]*$/m.exec(text);
    if (top) {
        const key = new RegExp(`^  ${escape(chart)}:[ \\t]*$`, "m").exec(text.slice(top.index));
        if (key) {
            const start = top.index + key.index;
            const rest = text.slice(start + key[0].length);
            // The block ends at the next chart key (two spaces, not a list dash) or the next top-level key.
            const end = /^(?:\S|  [^\s-])/m.exec(rest);
            const block = `entries:\n${text.slice(start, start + key[0].length + (end ? end.index : rest.length))}`;
            try {
                const found = entriesOf(yaml.load(block), chart);
                if (found) return found;
            } catch {
                // not laid out as expected: parse the whole file below
            }
        } else if (!text.includes(`${chart}:`) && !text.includes(`"${chart}"`)) return undefined;
    }
    const doc = yaml.load(text);
    if (!doc || typeof doc !== "object" || !("entries" in doc)) throw new Error("not a Helm repository index (no entries:)");
    return entriesOf(doc, chart);
}

/** Helm accepts `v1.2.3` for `1.2.3` (and the reverse) when it looks a version up. */
export function sameChartVersion(a: string, b: string): boolean {
    return a.replace(/^v/, "") === b.replace(/^v/, "");
}
