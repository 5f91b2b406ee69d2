import type { Finding } from "../finding";
import { isMeshBound, Spec } from "../context";
import { resourceName } from "../finding";
import type { K8sObject } from "../../mesh/objects";
import { Analyzer, finding, ns } from "./analyzer";

/** IST0109: two VirtualServices bound to the mesh for one host; Istio merges them unpredictably. */
export const ConflictingMeshGatewayVirtualServiceHosts: Analyzer = {
    code: "IST0109",
    name: "ConflictingMeshGatewayVirtualServiceHosts",
    analyze(ctx) {
        const byHost = new Map<string, K8sObject[]>();
        for (const vs of ctx.meshVirtualServices) {
            for (const h of ((vs.spec as Spec).hosts ?? []) as string[]) {
                const key = ctx.fqdn(h, ns(vs));
                byHost.set(key, [...(byHost.get(key) ?? []), vs]);
            }
        }
        const out: Finding[] = [];
        for (const [host, vss] of byHost) {
            if (vss.length < 2) continue;
            for (const vs of vss) {
                const others = vss.filter((x) => x !== vs).map(resourceName).join(", ");
                out.push(finding(this, "error", vs, "spec.hosts", `host "${host}" also has mesh VirtualService(s) ${others}; the sidecars would apply only one of them`, `merge the routes into one VirtualService per host (one service entry in istio-mesh:services carries its weights, fault, retries and timeout)`));
            }
        }
        return out;
    },
};
