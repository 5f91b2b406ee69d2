import { re2Problem } from "../../config/re2";
import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { httpRoutesOf, Spec, webhookFinding, WebhookRule } from "./rule";

/** Every `regex` string match of a VirtualService's http matches (uri, headers, queryParams …) compiles under RE2. */
export const regexes: WebhookRule = {
    code: "WH007",
    name: "RE2 regexes",
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        const visit = (v: unknown, path: string) => {
            if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`));
            else if (v && typeof v === "object") {
                for (const [k, x] of Object.entries(v as Spec)) {
                    if (k === "regex" && typeof x === "string") {
                        const p = re2Problem(x);
                        if (p) out.push(webhookFinding(this, o, `${path}.regex`, p, "write the pattern in RE2 syntax (no lookaround, no backreferences)"));
                    } else visit(x, `${path}.${k}`);
                }
            }
        };
        for (const [http, path] of httpRoutesOf(o)) visit(http.match, `${path}.match`);
        return out;
    },
};
