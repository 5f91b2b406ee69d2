/**
 * renovate.json against the files it manages: every custom regex manager matches exactly the pin lines
 * it is meant for (so renaming or reshaping a pin fails here, not silently in Renovate), its regexes
 * are valid for RE2 (which Renovate runs them with) as well as JavaScript, its chart repositories are
 * the program's, and the version rules say what the comments say.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { RE2JS } from "re2js";
import * as semver from "semver";
import { parseConfig } from "../config/parse";
import { DEFAULT_VERSIONS, GRAFANA_HELM_REPO, ISTIO_HELM_REPO, KIALI_HELM_REPO, PROMETHEUS_HELM_REPO } from "../config/versions";
import { ROOT } from "./helpers/render";

interface CustomManager {
    customType: string;
    description?: string;
    managerFilePatterns: string[];
    matchStrings: string[];
    datasourceTemplate?: string;
    depNameTemplate?: string;
    packageNameTemplate?: string;
    registryUrlTemplate?: string;
    versioningTemplate?: string;
    autoReplaceStringTemplate?: string;
}
interface PackageRule { matchDepNames?: string[]; matchPackageNames?: string[]; matchManagers?: string[]; matchDatasources?: string[]; allowedVersions?: string; pinDigests?: boolean; groupName?: string }
interface Renovate { extends?: string[]; customManagers: CustomManager[]; packageRules: PackageRule[] }

const renovate = JSON.parse(fs.readFileSync(path.join(ROOT, "renovate.json"), "utf8")) as Renovate;

/** A dependency as Renovate's regex manager would extract it: named groups first, then the templates. */
interface Dep { file: string; manager: number; match: string; depName?: string; currentValue?: string; datasource?: string; packageName?: string; registryUrl?: string }

/** `/regex/` (Renovate's managerFilePatterns syntax for a regex) → RegExp. */
function filePattern(p: string): RegExp {
    const m = /^\/(.*)\/([a-z]*)$/.exec(p);
    expect(m, `managerFilePatterns entry ${p} is a /regex/`).to.not.equal(null);
    return new RegExp(m![1], m![2]);
}

/** The repository's files (relative, POSIX separators), without node_modules and .git. */
function repoFiles(dir = ROOT, rel = ""): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        if (e.name === "node_modules" || e.name === ".git") return [];
        const r = rel ? `${rel}/${e.name}` : e.name;
        return e.isDirectory() ? repoFiles(path.join(dir, e.name), r) : [r];
    });
}
const FILES = repoFiles();

function extract(): Dep[] {
    const deps: Dep[] = [];
    renovate.customManagers.forEach((m, i) => {
        const files = FILES.filter((f) => m.managerFilePatterns.some((p) => filePattern(p).test(f)));
        expect(files, `manager ${i} (${m.description}) finds its files`).to.not.be.empty;
        for (const file of files) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            for (const s of m.matchStrings) {
                for (const x of text.matchAll(new RegExp(s, "g"))) {
                    const g = x.groups ?? {};
                    deps.push({
                        file,
                        manager: i,
                        match: x[0],
                        depName: g.depName ?? m.depNameTemplate,
                        currentValue: g.currentValue,
                        datasource: g.datasource ?? m.datasourceTemplate,
                        packageName: g.packageName ?? m.packageNameTemplate,
                        registryUrl: g.registryUrl ?? m.registryUrlTemplate,
                    });
                }
            }
        }
    });
    return deps;
}

/** `nginx:1.30.4-alpine` → ["nginx", "1.30.4-alpine"]. */
const splitImage = (ref: string): [string, string] => [ref.slice(0, ref.lastIndexOf(":")), ref.slice(ref.lastIndexOf(":") + 1)];

/** What each pin of config/versions.ts must be extracted as. */
const MANAGED: Record<string, Omit<Dep, "file" | "manager" | "match">> = {
    istio: { datasource: "helm", depName: "istio", packageName: "base", registryUrl: ISTIO_HELM_REPO, currentValue: DEFAULT_VERSIONS.istio },
    kialiChart: { datasource: "helm", depName: "kiali-server", registryUrl: KIALI_HELM_REPO, currentValue: DEFAULT_VERSIONS.kialiChart },
    prometheusChart: { datasource: "helm", depName: "prometheus", registryUrl: PROMETHEUS_HELM_REPO, currentValue: DEFAULT_VERSIONS.prometheusChart },
    grafanaChart: { datasource: "helm", depName: "grafana", registryUrl: GRAFANA_HELM_REPO, currentValue: DEFAULT_VERSIONS.grafanaChart },
    nginxImage: { datasource: "docker", depName: splitImage(DEFAULT_VERSIONS.nginxImage)[0], currentValue: splitImage(DEFAULT_VERSIONS.nginxImage)[1] },
    servicexBaseImage: { datasource: "docker", depName: splitImage(DEFAULT_VERSIONS.servicexBaseImage)[0], currentValue: splitImage(DEFAULT_VERSIONS.servicexBaseImage)[1] },
    fortioImage: { datasource: "docker", depName: splitImage(DEFAULT_VERSIONS.fortioImage)[0], currentValue: splitImage(DEFAULT_VERSIONS.fortioImage)[1] },
    jaegerImage: { datasource: "docker", depName: splitImage(DEFAULT_VERSIONS.jaegerImage)[0], currentValue: splitImage(DEFAULT_VERSIONS.jaegerImage)[1] },
    registryCacheImage: { datasource: "docker", depName: splitImage(DEFAULT_VERSIONS.registryCacheImage)[0], currentValue: splitImage(DEFAULT_VERSIONS.registryCacheImage)[1] },
    k3sImage: { datasource: "github-releases", depName: "k3s-io/k3s", currentValue: splitImage(DEFAULT_VERSIONS.k3sImage)[1] },
};
/** Pins Renovate deliberately leaves alone, and why (a new pin must be added to one of the two lists). */
const NOT_MANAGED: Record<string, string> = {
    istioHub: "a location (a registry or a mirror), not a version",
    eksKubernetes: "follows the k3s minor inside Istio's range; EKS availability is not a datasource",
    gatewayApi: "follows the Gateway API release the pinned Istio is built on (its go.mod), and the sha256 of its manifests is pinned beside it (GATEWAY_API_CRDS): bumped by hand with Istio",
};

/** The two Handlebars forms the templates use: {{{name}}} and {{{replace 'regex' 'with' name}}}. */
function renderTemplate(t: string, vars: Record<string, string>): string {
    return t
        .replace(/\{\{\{replace '((?:\\'|[^'])*)' '((?:\\'|[^'])*)' (\w+)\}\}\}/g, (_, find: string, by: string, v: string) => vars[v].replace(new RegExp(find, "g"), by))
        .replace(/\{\{\{(\w+)\}\}\}/g, (_, v: string) => vars[v]);
}

const rule = (p: (r: PackageRule) => boolean) => renovate.packageRules.find(p);
/** allowedVersions `/regex/` → RegExp. */
const allowedRegex = (r: PackageRule | undefined) => filePattern(r?.allowedVersions ?? "//");

describe("Renovate (renovate.json)", () => {
    const deps = extract();
    const versionsTs = deps.filter((d) => d.file === "config/versions.ts");

    it("every custom manager is a regex manager whose matchStrings compile in RE2 and in JavaScript, with depName and currentValue", () => {
        for (const m of renovate.customManagers) {
            expect(m.customType).to.equal("regex");
            for (const s of m.matchStrings) {
                expect(() => RE2JS.compile(s), s).to.not.throw();
                expect(s, "captures currentValue").to.include("(?<currentValue>");
                expect(s.includes("(?<depName>") || m.depNameTemplate !== undefined, `${s}: depName`).to.equal(true);
                expect(s.includes("(?<datasource>") || m.datasourceTemplate !== undefined, `${s}: datasource`).to.equal(true);
            }
        }
    });

    for (const [pin, want] of Object.entries(MANAGED)) {
        it(`config/versions.ts ${pin}: extracted once, as ${want.datasource} ${want.depName}@${want.currentValue}`, () => {
            const line = new RegExp(`\\n\\s+${pin}: "`);
            const hits = versionsTs.filter((d) => line.test(d.match));
            expect(hits, `${pin} matched by ${hits.length} regexes`).to.have.length(1);
            const { file: _f, manager: _m, match: _x, ...got } = hits[0];
            const clean = Object.fromEntries(Object.entries(got).filter(([, v]) => v !== undefined));
            expect(clean).to.deep.equal(want);
        });
    }

    it("nothing else in config/versions.ts is matched, and every pin is either managed or listed as not managed", () => {
        expect(versionsTs).to.have.length(Object.keys(MANAGED).length);
        for (const k of Object.keys(DEFAULT_VERSIONS)) expect(k in MANAGED || k in NOT_MANAGED, `pin ${k}: add it to renovate.json or NOT_MANAGED`).to.equal(true);
    });

    it("a renamed pin is no longer matched (the regexes are keyed on the pin names)", () => {
        const text = fs.readFileSync(path.join(ROOT, "config/versions.ts"), "utf8").replace(/\n(\s+)grafanaChart: "/, '\n$1grafanaChartVersion: "');
        const m = renovate.customManagers.find((x) => x.depNameTemplate === "grafana")!;
        expect(m.matchStrings.some((s) => new RegExp(s).test(text))).to.equal(false);
    });

    it("the e2e workflow's K3D_VERSION is managed (k3d-io/k3d releases)", () => {
        const k3d = deps.filter((d) => d.file === ".github/workflows/e2e.yml");
        expect(k3d.map((d) => [d.datasource, d.depName, d.currentValue])).to.deep.equal([["github-releases", "k3d-io/k3d", "v5.9.0"]]);
    });

    describe("k3s: a release tag (v1.36.5+k3s1) is written back as the image tag (v1.36.5-k3s1)", () => {
        const m = renovate.customManagers.find((x) => x.depNameTemplate === "k3s-io/k3s")!;
        const versioning = new RegExp(m.versioningTemplate!.replace(/^regex:/, ""));

        it("the versioning regex reads the current image tag and a release tag; a release candidate is not a version", () => {
            for (const v of [splitImage(DEFAULT_VERSIONS.k3sImage)[1], "v1.36.5+k3s1", "v1.36.10+k3s2"]) expect(v, v).to.match(versioning);
            for (const v of ["v1.36.5-rc1+k3s1", "1.36.5", "v1.36+k3s1"]) expect(v, v).to.not.match(versioning);
        });

        it("the replacement is a pin line the regex matches again and the config accepts", () => {
            const text = fs.readFileSync(path.join(ROOT, "config/versions.ts"), "utf8");
            const x = new RegExp(m.matchStrings[0]).exec(text)!;
            const updated = text.replace(x[0], renderTemplate(m.autoReplaceStringTemplate!, { newValue: "v1.36.5+k3s1" }));
            const again = new RegExp(m.matchStrings[0]).exec(updated);
            expect(again?.groups?.currentValue).to.equal("v1.36.5-k3s1");
            expect(updated.length - text.length).to.equal(0);
            const image = /\n\s+k3sImage: "([^"]+)"/.exec(updated)![1];
            expect(parseConfig({ versions: { k3sImage: image } }, "dev").versions.k3sImage).to.equal("rancher/k3s:v1.36.5-k3s1");
        });

        it("only minors inside the pinned Istio's range are allowed (1.32–1.36)", () => {
            const allowed = allowedRegex(rule((r) => !!r.matchDepNames?.includes("k3s-io/k3s")));
            for (const v of ["v1.36.5+k3s1", "v1.32.13+k3s1"]) expect(v).to.match(allowed);
            for (const v of ["v1.37.0+k3s1", "v1.31.9+k3s1"]) expect(v).to.not.match(allowed);
        });
    });

    it("Istio stays on the pinned minor; nginx on its stable (even) line", () => {
        const istio = rule((r) => !!r.matchDepNames?.includes("istio"))!.allowedVersions!;
        expect([semver.satisfies(DEFAULT_VERSIONS.istio, istio), semver.satisfies("1.30.9", istio), semver.satisfies("1.31.0", istio)]).to.deep.equal([true, true, false]);
        const nginx = allowedRegex(rule((r) => !!r.matchDepNames?.includes("nginx")));
        expect(splitImage(DEFAULT_VERSIONS.nginxImage)[1]).to.match(nginx);
        expect("1.32.1-alpine").to.match(nginx);
        for (const v of ["1.31.4-alpine", "1.30.4", "1.30.4-alpine-slim"]) expect(v).to.not.match(nginx);
    });

    it("npm: typescript stays on 5.x; @types/node on the oldest Node major engines.node allows", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        const ts = rule((r) => !!r.matchPackageNames?.includes("typescript"))!.allowedVersions!;
        expect([semver.satisfies(semver.minVersion(pkg.devDependencies.typescript)!, ts), semver.satisfies("5.99.0", ts), semver.satisfies("6.0.0", ts), semver.satisfies("7.0.0", ts)]).to.deep.equal([true, true, false, false]);
        const major = semver.minVersion(pkg.engines.node)!.major;
        expect(major).to.equal(22);
        const types = rule((r) => !!r.matchPackageNames?.includes("@types/node"))!.allowedVersions!;
        expect([semver.satisfies(`${major}.19.0`, types), semver.satisfies(`${major + 1}.0.0`, types)]).to.deep.equal([true, false]);
    });

    it("GitHub Actions stay pinned by commit digest", () => {
        expect(rule((r) => !!r.matchManagers?.includes("github-actions"))?.pinDigests).to.equal(true);
    });
});
