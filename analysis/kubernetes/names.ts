import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { apiFinding, ApiRule } from "./rule";
import { dns1035Label, dns1123Label, dns1123Subdomain } from "./validation";

/** The name format each kind's registry validates (ValidateObjectMeta with the kind's name func). */
const NAME_RULE: Record<string, (v: string) => string | undefined> = {
    Namespace: dns1123Label,
    Service: dns1035Label,
};

export const objectNames: ApiRule = {
    code: "K8S002",
    name: "object names",
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        const name = o.metadata?.name;
        const problem = typeof name !== "string" || name === "" ? "must be set" : (NAME_RULE[o.kind] ?? dns1123Subdomain)(name);
        if (problem) out.push(apiFinding(this, o, "metadata.name", `${o.kind} name ${JSON.stringify(name)} ${problem}`, `rename it (the config key that names it)`));
        const ns = o.metadata?.namespace;
        if (ns !== undefined) {
            const p = dns1123Label(ns);
            if (p) out.push(apiFinding(this, o, "metadata.namespace", `namespace ${JSON.stringify(ns)} ${p}`, `use a DNS-1123 label as namespace name`));
        }
        return out;
    },
};
