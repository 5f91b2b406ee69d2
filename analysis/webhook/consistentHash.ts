import { isPrime } from "../../config/sections/trafficPolicy";
import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { trafficPoliciesOf, webhookFinding, WebhookRule } from "./rule";

/** An httpCookie hash needs a cookie name; a Maglev table size must be prime. */
export const consistentHash: WebhookRule = {
    code: "WH006",
    name: "consistent hash",
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        for (const [tp, path] of trafficPoliciesOf(o)) {
            const ch = tp.loadBalancer?.consistentHash;
            if (!ch) continue;
            const p = `${path}.loadBalancer.consistentHash`;
            if (ch.httpCookie && !ch.httpCookie.name) out.push(webhookFinding(this, o, `${p}.httpCookie.name`, "httpCookie has no name", "name the cookie to hash on, e.g. httpCookie: {name: user, ttl: 0s}"));
            const size = ch.maglev?.tableSize;
            if (size !== undefined && !isPrime(Number(size))) out.push(webhookFinding(this, o, `${p}.maglev.tableSize`, `tableSize ${size} is not prime`, "use a prime table size, e.g. 65537"));
        }
        return out;
    },
};
