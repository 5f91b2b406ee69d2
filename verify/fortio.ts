/**
 * fortio's results as data. `fortio load -json -` prints its result as JSON on stdout (RetCodes,
 * DurationHistogram with Data buckets {Start, End, Percent, Count}, ActualQPS, …); its console summary
 * (`Code 200 : 195 (97.5 %)`, `# range, mid point, percentile, count` buckets) carries the same numbers,
 * so both parse into one shape. `fortio curl` prints the response (status line, headers, body). Pure.
 */

export interface Bucket {
    /** Seconds. */
    start: number;
    end: number;
    /** Cumulative percentage up to this bucket, as fortio prints it. */
    percent: number;
    count: number;
}

export interface FortioResult {
    /** Calls made (excluding warm-up). */
    calls: number;
    /** HTTP status → calls; `-1` is a socket error or client timeout. */
    codes: Record<string, number>;
    /** Duration of every call, seconds. */
    histogram: { count: number; min: number; max: number; avg: number; buckets: Bucket[] };
    actualQps?: number;
}

export class FortioParseError extends Error {}

function num(v: unknown, what: string): number {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new FortioParseError(`fortio JSON: ${what} is not a number (${JSON.stringify(v)})`);
    return v;
}

/** The fortio result object from `-json -` output (log lines, if mixed in, are skipped). */
export function parseFortioJson(text: string): FortioResult {
    let doc: Record<string, any> | undefined;
    // The result is one pretty-printed object; fortio's log lines are one-line JSON objects of their own.
    for (let i = text.indexOf("{"); i >= 0 && !doc; i = text.indexOf("{", i + 1)) {
        if (i > 0 && text[i - 1] !== "\n") continue;
        try {
            const o = JSON.parse(text.slice(i));
            if (o && typeof o === "object" && "DurationHistogram" in o) doc = o;
        } catch {
            /* not the result; keep looking */
        }
    }
    if (!doc) throw new FortioParseError(`fortio JSON: no result object with DurationHistogram in the output (first 200 characters: ${JSON.stringify(text.slice(0, 200))})`);
    const h = doc.DurationHistogram ?? {};
    const codes: Record<string, number> = {};
    for (const [k, v] of Object.entries(doc.RetCodes ?? {})) codes[k] = num(v, `RetCodes.${k}`);
    const buckets: Bucket[] = (h.Data ?? []).map((b: Record<string, unknown>, i: number) => ({
        start: num(b.Start, `DurationHistogram.Data[${i}].Start`),
        end: num(b.End, `DurationHistogram.Data[${i}].End`),
        percent: num(b.Percent, `DurationHistogram.Data[${i}].Percent`),
        count: num(b.Count, `DurationHistogram.Data[${i}].Count`),
    }));
    const count = num(h.Count, "DurationHistogram.Count");
    return {
        calls: count,
        codes,
        histogram: { count, min: num(h.Min ?? 0, "DurationHistogram.Min"), max: num(h.Max ?? 0, "DurationHistogram.Max"), avg: num(h.Avg ?? 0, "DurationHistogram.Avg"), buckets },
        actualQps: typeof doc.ActualQPS === "number" ? doc.ActualQPS : undefined,
    };
}

/** The console summary of `fortio load` (what the course notes recorded). */
export function parseFortioText(text: string): FortioResult {
    const codes: Record<string, number> = {};
    for (const m of text.matchAll(/^Code\s+(-?\d+)\s*:\s*(\d+)\s*\(/gm)) codes[m[1]] = Number(m[2]);
    const agg = text.match(/^Aggregated Function Time : count (\d+) avg (\S+) \+\/- \S+ min (\S+) max (\S+)/m);
    if (!agg) throw new FortioParseError(`fortio output: no "Aggregated Function Time" line (is this the output of fortio load?)`);
    // The first histogram after "Aggregated Function Time" is the one of every call ("Error cases" follows).
    const section = text.slice(text.indexOf(agg[0])).split(/^# target|^Error cases/m)[0];
    const buckets: Bucket[] = [];
    for (const m of section.matchAll(/^(?:>=|>)\s*(\S+)\s*<=\s*(\S+)\s*,\s*\S+\s*,\s*(\S+)\s*,\s*(\d+)/gm)) {
        buckets.push({ start: Number(m[1]), end: Number(m[2]), percent: Number(m[3]), count: Number(m[4]) });
    }
    const qps = text.match(/^Ended after .* qps=(\S+)/m);
    const count = Number(agg[1]);
    return {
        calls: count,
        codes,
        histogram: { count, min: Number(agg[3]), max: Number(agg[4]), avg: Number(agg[2]), buckets },
        actualQps: qps ? Number(qps[1]) : undefined,
    };
}

/** Calls whose duration is at least `seconds` (by bucket midpoint), and their mean duration. */
export function slowCalls(r: FortioResult, seconds: number): { count: number; meanSeconds: number } {
    let count = 0;
    let sum = 0;
    for (const b of r.histogram.buckets) {
        const mid = (b.start + b.end) / 2;
        if (mid >= seconds) {
            count += b.count;
            sum += mid * b.count;
        }
    }
    return { count, meanSeconds: count ? sum / count : 0 };
}

/** Calls answered with a status in [from, to]. */
export function callsWithStatus(r: FortioResult, from: number, to = from): number {
    return Object.entries(r.codes).reduce((n, [code, c]) => (Number(code) >= from && Number(code) <= to ? n + c : n), 0);
}

/** `fortio curl` output → status and body. */
export function parseFortioCurl(text: string): { status: number; body: string } {
    const m = text.match(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/m);
    if (!m || m.index === undefined) throw new FortioParseError(`fortio curl: no HTTP status line in the output (first 200 characters: ${JSON.stringify(text.slice(0, 200))})`);
    const rest = text.slice(m.index);
    const sep = rest.search(/\r?\n\r?\n/);
    return { status: Number(m[1]), body: sep < 0 ? "" : rest.slice(sep).replace(/^\r?\n\r?\n/, "") };
}
