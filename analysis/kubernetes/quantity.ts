/** Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): "100m", "128Mi", "1.5", "1e3". */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const FACTOR: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const cache = new Map<string, number | undefined>();

/** The quantity's value (cores, bytes), or undefined if the API server would not parse it. */
export function parseQuantity(v: unknown): number | undefined {
    if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
    if (typeof v !== "string") return undefined;
    // The same few quantities repeat across thousands of containers.
    if (cache.has(v)) return cache.get(v);
    if (cache.size > 10_000) cache.clear();
    const q = parse(v);
    cache.set(v, q);
    return q;
}

function parse(v: string): number | undefined {
    const m = QUANTITY.exec(v);
    if (!m) return undefined;
    const [, sign, digits, suffix = ""] = m;
    const n = Number(digits) * (/^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : FACTOR[suffix]);
    return sign === "-" ? -n : n;
}
