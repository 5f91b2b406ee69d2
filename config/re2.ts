/**
 * Istio's regexes (`match.uri.regex`, header matches) run in Envoy's RE2 (`safe_regex`), which refuses
 * what JavaScript's RegExp accepts (lookaround, backreferences) and vice versa: compiled with re2js,
 * a JavaScript port of RE2, never with RegExp.
 */
import { RE2JS } from "re2js";

/** Why RE2 would refuse `pattern`, or undefined if it compiles. */
export function re2Problem(pattern: string): string | undefined {
    try {
        RE2JS.compile(pattern);
        return undefined;
    } catch (e) {
        const reason = (e instanceof Error ? e.message : String(e)).replace(/[^\x20-\x7e]/g, "?").slice(0, 120);
        return `${JSON.stringify(pattern.length > 60 ? `${pattern.slice(0, 57)}...` : pattern)} is not a regex Envoy's RE2 accepts (${reason}); RE2 has no lookaround or backreferences`;
    }
}
