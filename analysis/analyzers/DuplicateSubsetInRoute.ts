import type { Finding } from "../finding";
import { httpRoutes, Spec } from "../context";
import { Analyzer, finding } from "./analyzer";

/** KIA1105 (Kiali): the same host and subset twice in one route; the weights add up invisibly. */
export const DuplicateSubsetInRoute: Analyzer = {
    code: "KIA1105",
    name: "DuplicateSubsetInRoute",
    analyze(ctx) {
        const out: Finding[] = [];
        for (const vs of ctx.virtualServices) {
            for (const { route, path } of httpRoutes(vs)) {
                const seen = new Map<string, number>();
                (route.route ?? []).forEach((d: Spec, i: number) => {
                    const key = `${d.destination?.host}/${d.destination?.subset ?? ""}`;
                    if (seen.has(key)) {
                        out.push(finding(this, "warning", vs, `${path}.route[${i}]`, `host ${d.destination?.host} subset ${d.destination?.subset ?? "(none)"} is already route[${seen.get(key)}]`, `keep one destination per subset and put the combined weight on it`));
                    } else seen.set(key, i);
                });
            }
        }
        return out;
    },
};
