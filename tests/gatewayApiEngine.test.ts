/**
 * The Gateway API layer's machinery on hand-written CRDs (so it runs in every checkout, vendored
 * manifests or not): pruning and defaulting, each OpenAPI keyword, the CEL rules' semantics as the
 * API server applies them, the Kubernetes CEL functions registered here, and the manifest lock.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { admit } from "../analysis/gatewayApi/admission";
import { kubernetesIsIP } from "../analysis/gatewayApi/celLibrary";
import { escapePropertyName } from "../analysis/gatewayApi/celValues";
import { gatewayApiFindings } from "../analysis/gatewayApi";
import { GatewayApiCrds, loadCrds, lockProblem, ManifestUnavailable, parseCrds, sha256 } from "../analysis/gatewayApi/manifest";
import type { Finding } from "../analysis/finding";
import type { K8sObject } from "../mesh/objects";

/** A CRD of our own, `Widget` in the Gateway API group, exercising each keyword and rule feature once. */
const WIDGET_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.gateway.networking.k8s.io
  annotations: {gateway.networking.k8s.io/bundle-version: v1.0.0, gateway.networking.k8s.io/channel: standard}
spec:
  group: gateway.networking.k8s.io
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        required: [spec]
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            required: [name]
            x-kubernetes-validations:
            - rule: "self.mode != 'Strict' || self.port != 80"
              message: Strict mode needs a port other than 80
            - rule: "self.port + 1 > 1"
              message: ints are ints
            - rule: "!has(self.__namespace__) || self.__namespace__ != 'kube-system'"
              reason: FieldValueForbidden
              message: not in kube-system
            - rule: "!has(self.ratio__dash__pct) || self.ratio__dash__pct <= 100"
              fieldPath: ".ratio-pct"
              message: at most 100
            - rule: "self.name != 'expr'"
              message: static message
              messageExpression: "'name ' + self.name + ' is reserved'"
            - rule: "self.name != 'badexpr'"
              message: fallback message
              messageExpression: "'two\\\\nlines'"
            - rule: "self == oldSelf"
              message: immutable
            properties:
              name: {type: string, minLength: 1, maxLength: 8, pattern: "^[a-z]+$"}
              namespace: {type: string}
              mode: {type: string, enum: [Strict, Lax], default: Lax}
              port: {type: integer, minimum: 1, maximum: 65535, default: 80}
              ratio-pct: {type: integer}
              ip: {type: string, x-kubernetes-validations: [{rule: "isIP(self)", message: must be an IP}]}
              call: {type: string, x-kubernetes-validations: [{rule: "noSuchFunction(self)", message: never}]}
              lookup: {type: object, properties: {a: {type: string}}, x-kubernetes-validations: [{rule: "self.a == 'x'", message: a must be x}]}
              optional:
                type: object
                properties: {size: {type: integer}}
                x-kubernetes-validations: [{rule: "self.size > 5", message: size must be above 5}]
              labels: {type: object, additionalProperties: {type: string, maxLength: 3}, maxProperties: 2}
              items:
                type: array
                maxItems: 3
                minItems: 1
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    weight: {type: integer, default: 1}
                    nested: {type: object, default: {}, properties: {flag: {type: boolean, default: true}}}
              tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
              port-or-name: {x-kubernetes-int-or-string: true}
              address:
                type: object
                properties:
                  type: {type: string}
                  value: {type: string}
                oneOf:
                - properties: {type: {enum: [IPAddress]}, value: {anyOf: [{format: ipv4}, {format: ipv6}]}}
                - properties: {type: {not: {enum: [IPAddress]}}}
              flags: {type: boolean, nullable: false}
`;

const widget = (spec: Record<string, unknown>): K8sObject => ({ apiVersion: "gateway.networking.k8s.io/v1", kind: "Widget", metadata: { name: "w", namespace: "default" }, spec: { name: "ok", ...spec } });

let crds: GatewayApiCrds;
before(() => (crds = parseCrds(WIDGET_CRD, "test CRDs")));

const run = (spec: Record<string, unknown>): Finding[] => admit(widget(spec), crds).findings;
const at = (fs: Finding[], code: string, p: string): Finding | undefined => fs.find((f) => f.code === code && f.path === p);

function expectOne(fs: Finding[], code: string, p: string, message: RegExp): Finding {
    const f = at(fs, code, p);
    expect(f, `expected ${code} at ${p}; got ${JSON.stringify(fs.map((x) => [x.code, x.path, x.message]))}`).to.not.equal(undefined);
    expect(f!.message).to.match(message);
    return f!;
}

describe("Gateway API layer: the machinery, on hand-written CRDs", () => {
    describe("OpenAPI schema: a failing and a passing row per keyword", () => {
        const rows: { name: string; spec: Record<string, unknown>; path: string; message: RegExp; ok: Record<string, unknown> }[] = [
            { name: "type", spec: { port: "80" }, path: "spec.port", message: /must be of type integer \(got string "80"\)/, ok: { port: 8080 } },
            { name: "required", spec: { name: undefined }, path: "spec.name", message: /Required value/, ok: { name: "a" } },
            { name: "enum", spec: { mode: "strict" }, path: "spec.mode", message: /Unsupported value "strict": supported values: "Strict", "Lax"/, ok: { mode: "Strict", port: 8443 } },
            { name: "pattern (RE2, unanchored as Go)", spec: { name: "a1" }, path: "spec.name", message: /should match '\^\[a-z\]\+\$'/, ok: { name: "ab" } },
            { name: "maxLength (characters)", spec: { name: "abcdefghi" }, path: "spec.name", message: /Too long: may not be longer than 8 characters/, ok: { name: "abcdefgh" } },
            { name: "minLength", spec: { name: "" }, path: "spec.name", message: /at least 1 characters/, ok: { name: "a" } },
            { name: "maximum", spec: { port: 65536 }, path: "spec.port", message: /less than or equal to 65535/, ok: { port: 65535 } },
            { name: "minimum", spec: { port: 0 }, path: "spec.port", message: /greater than or equal to 1/, ok: { port: 1 } },
            { name: "maxItems", spec: { items: [{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d" }] }, path: "spec.items", message: /Too many: 4: must have at most 3 items/, ok: { items: [{ name: "a" }, { name: "b" }, { name: "c" }] } },
            { name: "minItems", spec: { items: [] }, path: "spec.items", message: /at least 1 item/, ok: { items: [{ name: "a" }] } },
            { name: "list-type map: a key twice", spec: { items: [{ name: "a" }, { name: "a", weight: 2 }] }, path: "spec.items[1]", message: /Duplicate value: \{"name":"a"\}/, ok: { items: [{ name: "a" }, { name: "b" }] } },
            { name: "list-type set: an item twice", spec: { tags: ["x", "x"] }, path: "spec.tags[1]", message: /Duplicate value: "x"/, ok: { tags: ["x", "y"] } },
            { name: "additionalProperties values", spec: { labels: { a: "long" } }, path: "spec.labels.a", message: /Too long/, ok: { labels: { a: "abc" } } },
            { name: "maxProperties", spec: { labels: { a: "1", b: "2", c: "3" } }, path: "spec.labels", message: /Too many: 3: must have at most 2 properties/, ok: { labels: { a: "1", b: "2" } } },
            { name: "int-or-string", spec: { "port-or-name": true }, path: "spec.port-or-name", message: /integer or string/, ok: { "port-or-name": "http" } },
            { name: "oneOf with anyOf formats (an IPAddress must be an IP)", spec: { address: { type: "IPAddress", value: "gateway" } }, path: "spec.address", message: /oneOf.*must validate at least one schema \(anyOf\) \(one of the formats: ipv4, ipv6\)/, ok: { address: { type: "IPAddress", value: "10.0.0.1" } } },
        ];
        for (const r of rows) {
            it(`fails: ${r.name}`, () => {
                const f = expectOne(run(r.spec), "GWAPI001", r.path, r.message);
                expect(f.severity).to.equal("error");
            });
            it(`passes: ${r.name}`, () => expect(run(r.ok).filter((f) => f.severity !== "info")).to.deep.equal([]));
        }
        it("a hostname-typed oneOf alternative passes when the type is not IPAddress", () => expect(run({ address: { type: "Hostname", value: "gateway" } })).to.deep.equal([]));
    });

    describe("pruning and defaulting, before validation", () => {
        it("an unknown field is reported at its path, with the fields declared there, and dropped", () => {
            const { findings, admitted } = admit(widget({ prot: 80 }), crds);
            const f = expectOne(findings, "GWAPI001", "spec.prot", /unknown field: the test CRDs CRD does not declare it, so the API server drops it/);
            expect(f.fix).to.include("port");
            expect((admitted!.spec as Record<string, unknown>).prot).to.equal(undefined);
        });
        it("defaults fill missing fields at every depth, inside inserted defaults too", () => {
            const { admitted } = admit(widget({ items: [{ name: "a" }] }), crds);
            expect(admitted!.spec).to.deep.include({ mode: "Lax", port: 80, items: [{ name: "a", weight: 1, nested: { flag: true } }] });
        });
        it("a null in a non-nullable field is pruned, then defaulted like a missing field", () => {
            const { findings, admitted } = admit(widget({ port: null, flags: null }), crds);
            expect(findings).to.deep.equal([]);
            expect(admitted!.spec).to.deep.include({ port: 80 });
            expect(admitted!.spec).to.not.have.property("flags");
        });
        it("the plan's object is not changed", () => {
            const o = widget({});
            admit(o, crds);
            expect(o.spec).to.deep.equal({ name: "ok" });
        });
    });

    describe("CEL rules (x-kubernetes-validations) as the API server runs them", () => {
        it("fails: a rule on the node it sits on, with its message and the node's path (on the defaulted port: defaults come first)", () => {
            const f = expectOne(run({ mode: "Strict" }), "GWAPI002", "spec", /^Invalid value: Strict mode needs a port other than 80$/);
            expect(f.fix).to.include("self.mode != 'Strict' || self.port != 80");
        });
        it("passes: the same rule when it holds", () => expect(run({ mode: "Strict", port: 8443 })).to.deep.equal([]));
        it("a rule on an absent optional field is not evaluated; present, it is", () => {
            expect(run({})).to.deep.equal([]);
            expectOne(run({ optional: { size: 1 } }), "GWAPI002", "spec.optional", /size must be above 5/);
            expect(run({ optional: { size: 6 } })).to.deep.equal([]);
        });
        it("integers are CEL ints (self.port + 1 needs int + int)", () => expect(run({ port: 8080 }).filter((f) => f.code === "GWAPI002")).to.deep.equal([]));
        it("a property named like a CEL keyword is __namespace__, and a dash is __dash__", () => {
            expect(escapePropertyName("namespace")).to.equal("__namespace__");
            expect(escapePropertyName("ratio-pct")).to.equal("ratio__dash__pct");
            expect(escapePropertyName("a.b/c__d")).to.equal("a__dot__b__slash__c__underscores__d");
            expect(escapePropertyName("with space")).to.equal(undefined);
            expectOne(run({ namespace: "kube-system" }), "GWAPI002", "spec", /^Forbidden: not in kube-system$/);
            expect(run({ namespace: "default" })).to.deep.equal([]);
        });
        it("reason and fieldPath shape the error", () => {
            expectOne(run({ "ratio-pct": 101 }), "GWAPI002", "spec.ratio-pct", /^Invalid value: at most 100$/);
            expect(run({ "ratio-pct": 100 })).to.deep.equal([]);
        });
        it("messageExpression is the message when it yields one line; otherwise message", () => {
            expectOne(run({ name: "expr" }), "GWAPI002", "spec", /^Invalid value: name expr is reserved$/);
            expectOne(run({ name: "badexpr" }), "GWAPI002", "spec", /^Invalid value: fallback message$/);
        });
        it("a transition rule (oldSelf) is skipped on create", () => expect(run({}).map((f) => f.message).join()).to.not.include("immutable"));
        it("a runtime error refuses the object, as on the API server (no such key)", () => {
            expectOne(run({ lookup: {} }), "GWAPI002", "spec.lookup", /evaluating rule: self\.a == 'x'/);
            expect(run({ lookup: { a: "x" } })).to.deep.equal([]);
        });
        it("a function this evaluator lacks is a warning (GWAPI003), never a pass", () => {
            const f = expectOne(run({ call: "x" }), "GWAPI003", "spec.call", /was not checked/);
            expect(f.severity).to.equal("warning");
        });
        it("a blocking schema error (type, required, enum, too long/many) stops the rules, as the API server does", () => {
            const fs = run({ mode: "strict", namespace: "kube-system" });
            expect(fs.filter((f) => f.code === "GWAPI002" && f.severity === "error")).to.deep.equal([]);
            expectOne(fs, "GWAPI002", "spec", /CEL rules were not checked because of the errors above/);
        });
        it("a non-blocking error (pattern) still lets the rules run", () => {
            const fs = run({ name: "a1", namespace: "kube-system" });
            expect(fs.map((f) => [f.code, f.path])).to.deep.equal([["GWAPI001", "spec.name"], ["GWAPI002", "spec"]]);
        });
    });

    describe("Kubernetes CEL functions registered here", () => {
        const rows: [string, boolean][] = [
            ["10.0.0.1", true],
            ["::1", true],
            ["2001:db8::abcd", true],
            ["::1.2.3.4", true],
            ["010.0.0.1", false], // leading zeros: netip refuses them
            ["::ffff:1.2.3.4", false], // IPv4-mapped IPv6
            ["::FFFF:0102:0304", false],
            ["fe80::1%eth0", false], // zone
            ["1.2.3", false],
            ["gateway.example.com", false],
        ];
        for (const [s, want] of rows) it(`isIP(${JSON.stringify(s)}) is ${want}`, () => expect(kubernetesIsIP(s)).to.equal(want));
        it("isIP in a rule", () => {
            expectOne(run({ ip: "::ffff:1.2.3.4" }), "GWAPI002", "spec.ip", /must be an IP/);
            expect(run({ ip: "10.1.2.3" })).to.deep.equal([]);
        });
    });

    describe("served versions", () => {
        it("a version the CRD does not serve, and a kind it does not have", () => {
            expectOne(admit({ ...widget({}), apiVersion: "gateway.networking.k8s.io/v1beta1" }, crds).findings, "GWAPI000", "apiVersion", /not served by the test CRDs CRD widgets\.gateway\.networking\.k8s\.io \(served: v1\)/);
            expectOne(admit({ ...widget({}), kind: "Gadget" }, crds).findings, "GWAPI000", "kind", /Gadget \(gateway\.networking\.k8s\.io\) is not a kind of the test CRDs/);
        });
    });

    describe("the manifest lock", () => {
        let dir: string;
        beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "gwapi-"))));
        afterEach(() => rmSync(dir, { recursive: true, force: true }));
        const bytes = Buffer.from(WIDGET_CRD);
        const lock = { sha256: sha256(bytes), bytes: bytes.length };

        it("accepts exactly the pinned bytes", () => {
            expect(lockProblem(bytes, lock)).to.equal(undefined);
            expect(lockProblem(Buffer.concat([bytes, Buffer.from("\n")]), lock)).to.match(/bytes/);
            const flipped = Buffer.from(bytes);
            flipped[10] ^= 1;
            expect(lockProblem(flipped, lock)).to.match(/its sha256 is [0-9a-f]{64}, the pinned manifest's/);
        });
        it("loads a verified manifest, and refuses a missing or modified one", () => {
            const file = path.join(dir, "standard-install.yaml");
            expect(() => loadCrds("standard", file, lock)).to.throw(ManifestUnavailable, /not in this checkout/);
            const edited = path.join(dir, "edited.yaml");
            writeFileSync(edited, Buffer.concat([bytes, Buffer.from("# edited\n")]));
            expect(() => loadCrds("standard", edited, lock)).to.throw(ManifestUnavailable, /is not the official Gateway API v1\.5\.1 standard manifest/);
            const good = path.join(dir, "good.yaml");
            writeFileSync(good, bytes);
            expect(loadCrds("standard", good, lock).served.has("gateway.networking.k8s.io/v1/Widget")).to.equal(true);
        });
        it("without the manifest, every Gateway API object is refused (not validated is not valid), with the fix", () => {
            const fs = gatewayApiFindings([widget({})], { root: dir });
            expect(fs).to.have.length(1);
            expect(fs[0]).to.include({ code: "GWAPI000", severity: "error", resource: "Widget default/w" });
            // The gate checks against the channel gateway-api stacks install: experimental (config/versions.ts GATEWAY_API_CHANNEL).
            expect(fs[0].message).to.match(/cannot be validated: the Gateway API v1\.5\.1 experimental CRDs are not in this checkout/);
            expect(fs[0].fix).to.include("npm run gateway-api-crds");
        });
        it("a plan without Gateway API objects never looks for the CRDs", () => {
            const opts = {
                get crds(): GatewayApiCrds {
                    throw new Error("the CRDs were read");
                },
                root: dir,
            };
            const svc: K8sObject = { apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "default" }, spec: {} };
            expect(gatewayApiFindings([svc], opts)).to.deep.equal([]);
            expect(() => gatewayApiFindings([svc, widget({})], opts)).to.throw(/the CRDs were read/);
        });
    });
});
