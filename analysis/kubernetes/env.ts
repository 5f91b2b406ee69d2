import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { apiFinding, ApiRule, containersOf, Spec } from "./rule";
import { envVarName } from "./validation";

/** Env var names, unique per container; a `value` is a string. */
export const envVars: ApiRule = {
    code: "K8S005",
    name: "env vars",
    kinds: ["Deployment"],
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        for (const [c, cPath] of containersOf(o)) {
            const seen = new Set<string>();
            ((c.env ?? []) as Spec[]).forEach((e, i) => {
                const path = `${cPath}.env[${i}]`;
                const p = typeof e.name !== "string" || e.name === "" ? "must be set" : envVarName(e.name);
                if (p) out.push(apiFinding(this, o, `${path}.name`, `env var name ${JSON.stringify(e.name)} ${p}`, `use a name like LOG_LEVEL`));
                else if (seen.has(e.name)) out.push(apiFinding(this, o, `${path}.name`, `env var ${e.name} is set twice in one container`, `set it once`));
                seen.add(e.name);
                if (e.value !== undefined && typeof e.value !== "string") out.push(apiFinding(this, o, `${path}.value`, `env var ${e.name} has a ${typeof e.value} value; Kubernetes takes strings only`, `quote the value`));
            });
        }
        return out;
    },
};
