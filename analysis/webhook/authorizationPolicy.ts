import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { Spec, webhookFinding, WebhookRule } from "./rule";

const SOURCE_FIELDS = ["principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces", "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks", "serviceAccounts", "notServiceAccounts"];

/** Istio's ValidateAuthorizationPolicy: a rule's `from` entries need a source that names something. */
export const authorizationSources: WebhookRule = {
    code: "WH008",
    name: "authorization sources",
    check(o: K8sObject): Finding[] {
        if (o.kind !== "AuthorizationPolicy") return [];
        const out: Finding[] = [];
        (((o.spec as Spec)?.rules ?? []) as Spec[]).forEach((rule, i) => {
            ((rule.from ?? []) as Spec[]).forEach((from, j) => {
                const path = `spec.rules[${i}].from[${j}].source`;
                const src = from?.source as Spec | undefined;
                if (!src || !SOURCE_FIELDS.some((f) => Array.isArray(src[f]) && src[f].length > 0)) out.push(webhookFinding(this, o, path, "`from.source` must not be empty", "name at least one caller (principal, namespace or IP block)"));
            });
        });
        return out;
    },
};
