import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { httpRoutesOf, Spec, webhookFinding, WebhookRule } from "./rule";

/** Weights must be >= 0, and several destinations may not all weigh 0. */
export const routeWeights: WebhookRule = {
    code: "WH001",
    name: "route weights",
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        for (const [http, path] of httpRoutesOf(o)) {
            const route = (http.route ?? []) as Spec[];
            route.forEach((d, i) => {
                if (typeof d.weight === "number" && d.weight < 0) out.push(webhookFinding(this, o, `${path}.route[${i}].weight`, `weight ${d.weight} is negative`, "use a weight of 0 or more; shares are weight / sum"));
            });
            if (route.length > 1 && route.every((d) => !d.weight)) {
                out.push(webhookFinding(this, o, `${path}.route`, `all ${route.length} destinations have weight 0, so nothing can be routed`, "give at least one destination a weight above 0"));
            }
        }
        return out;
    },
};
