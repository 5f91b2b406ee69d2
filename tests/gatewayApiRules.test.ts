/**
 * The Gateway API layer against the real pinned v1.5.1 CRDs: one failing and one passing row per
 * rule family users hit (schema and CEL), each failing row with the field path the API server names.
 * Needs the vendored manifests (npm run gateway-api-crds); without them these tests are skipped,
 * and say why. The engine itself is tested on hand-written CRDs in gatewayApiEngine.test.ts.
 */
import { expect } from "chai";
import { allObjects } from "../analysis";
import { gatewayApiFindings } from "../analysis/gatewayApi";
import { admit } from "../analysis/gatewayApi/admission";
import { parseConfig } from "../config/parse";
import { buildPlan } from "../mesh/plan";
import { generatedConfig, generatedGatewayApiObjects } from "../analysis/bench";
import { compileRule, isTransitionRule } from "../analysis/gatewayApi/validationRules";
import type { GatewayApiCrds } from "../analysis/gatewayApi/manifest";
import type { JSONSchemaProps } from "../analysis/gatewayApi/jsonSchema";
import { GATEWAY_API_ROWS as ROWS } from "./fixtures/gatewayApiRows";
import { httpRoute, SKIP_REASON, vendoredCrds } from "./helpers/gatewayApi";

describe("Gateway API layer on the pinned v1.5.1 CRDs (schema and CEL rules)", () => {
    let crds: GatewayApiCrds;
    before(function () {
        const c = vendoredCrds("standard");
        if (!c) {
            console.log(`      (skipped: ${SKIP_REASON})`);
            this.skip();
        }
        crds = c!;
    });

    for (const row of ROWS) {
        it(`${row.fails ? "fails" : "passes"}: ${row.name}`, () => {
            const { findings } = admit(row.object(), crds);
            const errors = findings.filter((f) => f.severity === "error");
            if (!row.fails) {
                expect(errors, JSON.stringify(errors, null, 1)).to.deep.equal([]);
                expect(findings.filter((f) => f.code === "GWAPI003"), "every rule on it was evaluated").to.deep.equal([]);
                return;
            }
            const hit = errors.find((f) => f.code === row.fails!.code && f.path === row.fails!.path);
            expect(hit, `expected ${row.fails.code} at ${row.fails.path}; got ${JSON.stringify(errors.map((f) => [f.code, f.path, f.message]))}`).to.not.equal(undefined);
            expect(hit!.message).to.match(row.fails.message);
            expect(hit!.fix.length, "it says the fix").to.be.greaterThan(10);
        });
    }

    it("experimental channel: retry is a field, and on standard its finding says it is an experimental one", function () {
        const experimental = vendoredCrds("experimental");
        if (!experimental) this.skip();
        const route = httpRoute({ rules: [{ backendRefs: [{ name: "nginx-service", port: 8000 }], retry: { attempts: 3, codes: [503], backoff: "100ms" } }] });
        expect(admit(route, experimental!).findings).to.deep.equal([]);
        const onStandard = admit(route, crds, { experimental: () => experimental }).findings;
        expect(onStandard.map((f) => [f.code, f.path])).to.deep.equal([["GWAPI001", "spec.rules[0].retry"]]);
        expect(onStandard[0].message).to.match(/a field of the experimental channel/);
    });

    it("defaults are applied before the rules, as the API server does (a route with no match matches PathPrefix /)", () => {
        const { admitted } = admit(httpRoute({ rules: [{ backendRefs: [{ name: "nginx-service", port: 8000 }] }] }), crds);
        const spec = admitted!.spec as Record<string, any>;
        expect(spec.rules[0].matches).to.deep.equal([{ path: { type: "PathPrefix", value: "/" } }]);
        expect(spec.rules[0].backendRefs[0]).to.include({ weight: 1, kind: "Service", group: "" });
        expect(spec.parentRefs[0]).to.include({ kind: "Gateway", group: "gateway.networking.k8s.io" });
    });

    it("the bench's generated HTTPRoutes and Gateway (npm run bench) are valid, rules and analyzers included", () => {
        const objects = [...allObjects(buildPlan(parseConfig(generatedConfig(20), "dev"))), ...generatedGatewayApiObjects(20)];
        expect(gatewayApiFindings(objects, { crds })).to.deep.equal([]);
    });

    for (const channel of ["standard", "experimental"] as const) {
        it(`every CEL rule of the ${channel} channel compiles here, messageExpressions included (no rule is silently skipped)`, function () {
            const c = vendoredCrds(channel);
            if (!c) this.skip();
            const failures: string[] = [];
            let n = 0;
            const walk = (s: JSONSchemaProps | undefined, path: string, seen: Set<JSONSchemaProps>) => {
                if (!s || seen.has(s)) return;
                seen.add(s);
                for (const r of s["x-kubernetes-validations"] ?? []) {
                    n++;
                    if (isTransitionRule(r)) continue;
                    for (const expr of [r.rule, r.messageExpression].filter((x): x is string => !!x)) {
                        const p = compileRule(expr);
                        if (p instanceof Error) failures.push(`${path}: ${expr}: ${p.message}`);
                    }
                }
                for (const [k, x] of Object.entries(s.properties ?? {})) walk(x, `${path}.${k}`, seen);
                walk(s.items, `${path}[]`, seen);
                if (typeof s.additionalProperties === "object") walk(s.additionalProperties, `${path}{}`, seen);
            };
            for (const v of c!.served.values()) walk(v.schema, `${v.kind}/${v.version}`, new Set());
            expect(failures).to.deep.equal([]);
            expect(n, "the rules were found").to.be.greaterThan(200);
        });
    }
});
