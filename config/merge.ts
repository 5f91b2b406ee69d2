/** How user config is laid over the course defaults (see config/defaults.ts). */
export type Raw = Record<string, unknown>;

export const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

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
        else if (k in defaults && isObject(v)) out[k] = { ...(defaults[k] as Raw), ...v };
        else out[k] = v;
    }
    return out;
}

/** A single section (e.g. `cluster`): the user's fields replace the default's, one level deep. */
export function overlay(defaults: Raw, user: unknown): unknown {
    if (user === undefined || user === null) return defaults;
    if (!isObject(user)) return user;
    return { ...defaults, ...user };
}
