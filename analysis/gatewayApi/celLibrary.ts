/**
 * The CEL environment of the API server's validation rules, on @bufbuild/cel (Buf's CEL evaluator,
 * conformance-tested against cel-spec, with RE2 `matches`): the standard library, the strings
 * extension (`split`, `substring`, `lowerAscii`, …), and the Kubernetes library functions the pinned
 * Gateway API CRDs call that Buf does not ship, registered here (small, one per Kubernetes function).
 */
import { celEnv, celFunc, CelScalar } from "@bufbuild/cel";
import type { CelEnv } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { isIP } from "net";
import { RE2JS } from "re2js";

/**
 * Kubernetes' `isIP(string)` (apiserver/pkg/cel/library/ip.go): Go's netip.ParseAddr, minus zones
 * (`fe80::1%eth0`) and IPv4-mapped IPv6 (`::ffff:1.2.3.4`). Node's isIP already refuses leading
 * zeros in IPv4 octets, as netip does, but accepts a zone.
 */
export function kubernetesIsIP(s: string): boolean {
    if (s.includes("%")) return false;
    const family = isIP(s);
    if (family === 4) return true;
    if (family !== 6) return false;
    // The URL parser canonicalises IPv6, so ::ffff:1.2.3.4 and ::FFFF:0102:0304 both read [::ffff:102:304].
    return !/^\[::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}\]$/.test(new URL(`http://[${s}]`).hostname);
}

export const KUBERNETES_FUNCTIONS = [celFunc("isIP", [CelScalar.STRING], CelScalar.BOOL, (s: string) => kubernetesIsIP(s))];

/**
 * `matches` with each pattern compiled once: the built-in one compiles the pattern on every call,
 * which made the Gateway API's path-value rule cost more than the rest of an HTTPRoute together.
 * re2js is the RE2 port Buf's own engine derives from; `test` is RE2's unanchored match, as in CEL.
 */
const regexes = new Map<string, RE2JS>();
export const cachedRe2 = {
    compile(pattern: string): { test(text: string): boolean } {
        let re = regexes.get(pattern);
        if (!re) regexes.set(pattern, (re = RE2JS.compile(pattern)));
        return re;
    },
};

let env: CelEnv | undefined;

/** One environment for every rule (creating it is the costly part; rules are planned against it). */
export function validationRuleEnv(): CelEnv {
    env ??= celEnv({ funcs: [...strings, ...KUBERNETES_FUNCTIONS], re2: cachedRe2 });
    return env;
}
