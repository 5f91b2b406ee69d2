import type { Finding } from "../../finding";
import { backendRefs, nsOf, Spec } from "../context";
import { GatewayApiAnalyzer, finding } from "./analyzer";

/**
 * GWAPI102: a backendRef's port is not a port of the Service it names. The Gateway API routes to a
 * Service port (not a container port), so requests for that backend fail.
 */
export const BackendPortNotFound: GatewayApiAnalyzer = {
    code: "GWAPI102",
    name: "BackendPortNotFound",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const route of ctx.routes) {
            for (const { ref, path } of backendRefs(route)) {
                if ((ref.group ?? "") !== "" || (ref.kind ?? "Service") !== "Service" || ref.port === undefined) continue;
                const svc = ctx.service(ref.namespace ?? nsOf(route), ref.name);
                if (!svc) continue; // GWAPI101's
                const ports = (((svc.spec as Spec)?.ports ?? []) as Spec[]).map((p) => p.port as number);
                if (!ports.includes(ref.port)) out.push(finding(this, "error", route, `${path}.port`, `port ${ref.port} is not a port of Service "${ref.name}" (ports: ${ports.join(", ") || "none"}), so this backend cannot be reached`, `use the Service's port (${ports[0] ?? "its spec.ports[].port"}), not the container's targetPort`));
            }
        }
        return out;
    },
};
