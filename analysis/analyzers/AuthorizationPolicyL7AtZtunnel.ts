import type { Finding } from "../finding";
import type { Spec } from "../context";
import { l7AuthorizationField } from "../../mesh/ambient/waypoints";
import { Analyzer, finding } from "./analyzer";
import { ambientIndex } from "./ambientIndex";

/**
 * MESH021: an AuthorizationPolicy with L7 rules (methods, paths, hosts, request principals, `request.*`
 * conditions) that ztunnel enforces on an ambient workload: one that `selector`s pods, or applies to the
 * whole namespace, instead of `targetRefs` to a Service or waypoint. ztunnel cannot read HTTP, so it
 * enforces the policy as DENY all ("fail closed", istio.io docs/ambient/usage/l4-policy) — the classic
 * trap of moving a sidecar namespace to ambient with its policies unchanged (migrate-policies).
 */
export const AuthorizationPolicyL7AtZtunnel: Analyzer = {
    code: "MESH021",
    name: "AuthorizationPolicyL7AtZtunnel",
    analyze(ctx) {
        const amb = ambientIndex(ctx);
        const out: Finding[] = [];
        for (const ap of ctx.of("AuthorizationPolicy")) {
            const spec = ap.spec as Spec;
            const at = l7AuthorizationField(spec);
            if (!amb.inAmbient(ap) || ((spec.targetRefs ?? []) as Spec[]).length > 0 || spec.targetRef || at === undefined) continue;
            out.push(
                finding(this, "error", ap, at, `has L7 rules and ${spec.selector ? "selects pods" : "applies to the whole namespace"} in an ambient namespace, so ztunnel enforces it, cannot read HTTP, and denies every call to those pods`, `attach it to the Service with targetRefs [{kind: Service, group: "", name: <service>}] and give the service a waypoint (istio.io/use-waypoint); keep selector policies to identities, namespaces and ports`),
            );
        }
        return out;
    },
};
