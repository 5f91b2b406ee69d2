/**
 * apimachinery's string formats (k8s.io/apimachinery/pkg/util/validation), as the API server checks them.
 * Each returns why a value fails, or undefined.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[-a-z0-9]+$/;
/** The classic C-identifier-like rule every supported Kubernetes version accepts (relaxed names are newer and opt-in on some). */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * Label keys and port names repeat across thousands of objects (app, version, http): those checks,
 * which split and test several patterns, judge each distinct string once. A check that is one length
 * test and one anchored regex is not memoized: object names are unique per object, and a cache entry
 * for each costs more than the regex (and cleared the cache every 50,000 names).
 */
const OK = null;
function memo(check: (v: string) => string | undefined): (v: string) => string | undefined {
    const cache = new Map<string, string | null>();
    return (v) => {
        const hit = cache.get(v);
        if (hit !== undefined) return hit === OK ? undefined : hit;
        if (cache.size > 50_000) cache.clear();
        const r = check(v);
        cache.set(v, r ?? OK);
        return r;
    };
}

export const dns1123Label = (v: string): string | undefined => {
    if (v.length > 63) return `must be at most 63 characters (has ${v.length})`;
    if (!DNS1123_LABEL.test(v)) return `must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit`;
    return undefined;
};

export const dns1123Subdomain = (v: string): string | undefined => {
    if (v.length > 253) return `must be at most 253 characters (has ${v.length})`;
    if (!DNS1123_SUBDOMAIN.test(v)) return `must be a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit`;
    return undefined;
};

/** Service names: a DNS-1035 label (must start with a letter), because they become DNS names and env vars. */
export const dns1035Label = (v: string): string | undefined => {
    if (v.length > 63) return `must be at most 63 characters (has ${v.length})`;
    if (!DNS1035_LABEL.test(v)) return `must be a DNS-1035 label: lower-case letters, digits and "-", starting with a letter and ending with a letter or digit`;
    return undefined;
};

/** Label and annotation keys: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63 characters. */
export const qualifiedName = memo((v: string): string | undefined => {
    const parts = v.split("/");
    if (parts.length > 2) return `has more than one "/"; a key is [prefix/]name`;
    const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    if (prefix !== undefined) {
        if (prefix === "") return `has an empty prefix before "/"`;
        const p = dns1123Subdomain(prefix);
        if (p) return `prefix ${JSON.stringify(prefix)} ${p}`;
    }
    if (name === "") return `has an empty name`;
    if (name.length > 63) return `name part must be at most 63 characters (has ${name.length})`;
    if (!QUALIFIED_NAME.test(name)) return `name part must be letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
    return undefined;
});

export const labelValue = (v: string): string | undefined => {
    if (v.length > 63) return `must be at most 63 characters (has ${v.length})`;
    if (!LABEL_VALUE.test(v)) return `must be empty or letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
    return undefined;
};

/** Container port names and named targetPorts: IANA service names (RFC 6335). */
export const ianaServiceName = memo((v: string): string | undefined => {
    if (v.length > 15) return `must be at most 15 characters (an IANA service name; has ${v.length})`;
    if (!IANA_SVC_NAME.test(v)) return `must be lower-case letters, digits and "-" (an IANA service name)`;
    if (v.includes("--")) return `must not contain "--"`;
    if (v.startsWith("-") || v.endsWith("-")) return `must not start or end with "-"`;
    if (!/[a-z]/.test(v)) return `must contain at least one letter`;
    return undefined;
});

export const envVarName = (v: string): string | undefined => {
    if (!ENV_VAR_NAME.test(v)) return `must be letters, digits, "_", "-" or ".", and must not start with a digit`;
    return undefined;
};

export const configMapKey = (v: string): string | undefined => {
    if (v.length > 253) return `must be at most 253 characters`;
    if (!CONFIG_MAP_KEY.test(v)) return `must be letters, digits, "-", "_" or "."`;
    if (v === "." || v === "..") return `must not be "." or ".."`;
    return undefined;
};
