/** How user config is laid over the course defaults (see config/defaults.ts). */
export type Raw = Record<string, unknown>;

export const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** `o[k] = v` that keeps `__proto__` a plain key (which the name rules then reject) instead of a prototype. */
export function setOwn(o: Raw, k: string, v: unknown): void {
    // Only `__proto__` is an accessor on Object.prototype; any other key is an own data property by plain
    // assignment, which is much cheaper than defineProperty at tens of thousands of entries.
    if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    else o[k] = v;
}

/**
 * Default entries (keyed by name) overlaid by the user's: for an entry in both, the user's fields
 * replace the default's one by one; `null` or `false` removes a default entry; new names are added.
 */
export function mergeEntries(defaults: Raw, user: unknown): unknown {
    if (user === undefined || user === null) return defaults;
    if (!isObject(user)) return user; // the reader reports the type error
    const out: Raw = { ...defaults };
    for (const [k, v] of Object.entries(user)) {
        if (v === null || v === false) delete out[k];
        else if (hasOwn(defaults, k) && isObject(v)) setOwn(out, k, { ...(defaults[k] as Raw), ...v });
        else setOwn(out, k, v);
    }
    return out;
}

/** A single section (e.g. `cluster`): the user's fields replace the default's, one level deep. */
export function overlay(defaults: Raw, user: unknown): unknown {
    if (user === undefined || user === null) return defaults;
    if (!isObject(user)) return user;
    return { ...defaults, ...user };
}
