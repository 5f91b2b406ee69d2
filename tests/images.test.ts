import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { contextFiles, dockerIgnored, sourceTag } from "../apps/builds";
import { AppImage } from "../components/AppImage";
import { Workloads } from "../components/Workloads";
import type { BuiltAppImage } from "../config/images";
import { defaultPlatform } from "../config/sections/images";
import { DEFAULT_VERSIONS } from "../config/versions";
import { buildPlan } from "../mesh/plan";
import { Lab } from "../program";
import { Registered, runUnderMocks } from "../render/mocks";
import { config, expectProblem } from "./helpers/config";
import { DependsOnRecorder } from "./helpers/ordering";
import { ROOT } from "./helpers/render";

const IMAGE = "docker:index/image:Image";
const COMMAND = "command:local:Command";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const TAG = /^src-[0-9a-f]{12}$/;

/** Mocks hand secret inputs over wrapped in Pulumi's secret signature: unwrap, saying whether it was one. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function unwrap(v: any): { secret: boolean; value: any } {
    return v && typeof v === "object" && SECRET_SIG in v ? { secret: true, value: v.value } : { secret: false, value: v };
}

describe("servicex image", () => {
    describe("Dockerfile (read as text)", () => {
        const text = fs.readFileSync(path.join(ROOT, "apps", "servicex", "Dockerfile"), "utf8");
        const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
        const froms = lines.filter((l) => /^FROM /i.test(l));

        it("is multi-stage: a builder, then the runtime image with only the compiled output", () => {
            expect(froms.length).to.be.at.least(2);
            expect(froms[0]).to.match(/ AS build$/);
            expect(lines).to.include("COPY --from=build /app/dist ./dist");
            expect(lines.at(-1)).to.equal('CMD ["node", "dist/main.js"]');
        });

        it("every stage's base is pinned by tag: NODE_IMAGE defaults to versions.servicexBaseImage", () => {
            const arg = lines.find((l) => l.startsWith("ARG NODE_IMAGE="));
            expect(arg).to.equal(`ARG NODE_IMAGE=${DEFAULT_VERSIONS.servicexBaseImage}`);
            expect(DEFAULT_VERSIONS.servicexBaseImage).to.match(/^node:\d+\.\d+\.\d+-alpine\d+\.\d+$/);
            for (const f of froms) expect(f).to.match(/^FROM \$\{NODE_IMAGE\}( AS \w+)?$/);
        });

        it("runs as a non-root user, by number (Kubernetes' runAsNonRoot can check it), in the final stage", () => {
            const user = lines.filter((l) => l.startsWith("USER "));
            expect(user).to.have.length(1);
            expect(user[0]).to.match(/^USER [1-9]\d*(:[1-9]\d*)?$/);
            expect(lines.indexOf(user[0])).to.be.greaterThan(lines.indexOf(froms.at(-1)!));
        });

        it("installs exact versions from a lock file; .dockerignore keeps node_modules and dist out", () => {
            expect(lines).to.include("RUN npm ci --no-audit --no-fund");
            const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "apps", "servicex", "package-lock.json"), "utf8"));
            const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "apps", "servicex", "package.json"), "utf8"));
            for (const [name, version] of Object.entries(pkg.devDependencies as Record<string, string>)) {
                expect(version, name).to.match(/^\d+\.\d+\.\d+$/);
                expect(lock.packages[`node_modules/${name}`].version).to.equal(version);
                expect(lock.packages[`node_modules/${name}`].integrity).to.match(/^sha512-/);
            }
            expect(dockerIgnored("apps/servicex")).to.deep.equal(["node_modules", "dist"]);
        });
    });

    describe("content tag", () => {
        let copy: string;
        before(() => {
            copy = fs.mkdtempSync(path.join(os.tmpdir(), "servicex-tag-"));
            fs.cpSync(path.join(ROOT, "apps", "servicex"), path.join(copy, "apps", "servicex"), { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
        });
        after(() => fs.rmSync(copy, { recursive: true, force: true }));
        const base = DEFAULT_VERSIONS.servicexBaseImage;

        it("hashes what the build sees; an identical tree has the identical tag", () => {
            expect(contextFiles("apps/servicex")).to.include.members(["Dockerfile", ".dockerignore", "package.json", "package-lock.json", "tsconfig.json", "src/main.ts", "src/server.ts", "src/settings.ts"]);
            expect(sourceTag("servicex", base)).to.match(TAG);
            expect(sourceTag("servicex", base, copy)).to.equal(sourceTag("servicex", base));
        });

        it("ignored files do not change it; a code change or another base image does", () => {
            const before = sourceTag("servicex", base, copy);
            fs.mkdirSync(path.join(copy, "apps", "servicex", "dist"), { recursive: true });
            fs.writeFileSync(path.join(copy, "apps", "servicex", "dist", "main.js"), "// build output\n");
            expect(sourceTag("servicex", base, copy)).to.equal(before);
            expect(sourceTag("servicex", "node:22.22.1-alpine3.23", copy)).to.not.equal(before);
            fs.appendFileSync(path.join(copy, "apps", "servicex", "src", "server.ts"), "// a change\n");
            expect(sourceTag("servicex", base, copy)).to.not.equal(before);
        });
    });

    describe("config istio-mesh:images", () => {
        it("default: built from apps/servicex, tagged by content, under a registry domain that never resolves", () => {
            const img = config().images.servicex as BuiltAppImage;
            expect(img).to.deep.include({ kind: "build", context: "apps/servicex", dockerfile: "apps/servicex/Dockerfile", baseImage: DEFAULT_VERSIONS.servicexBaseImage });
            expect(img.tag).to.equal(sourceTag("servicex", DEFAULT_VERSIONS.servicexBaseImage));
            expect(img.ref).to.equal(`istio-mesh.local/servicex:${img.tag}`);
            const deployments = buildPlan(config()).workloads.filter((o) => o.kind === "Deployment") as any[];
            for (const name of ["servicex", "servicex-error"]) {
                const c = deployments.find((d) => d.metadata.name === name).spec.template.spec.containers[0];
                expect([c.image, c.imagePullPolicy]).to.deep.equal([img.ref, "IfNotPresent"]);
            }
        });

        it("one platform: this machine's on k3d, amd64 on a cloud cluster, or the one the stack names", () => {
            expect(defaultPlatform("k3d", "arm64")).to.equal("linux/arm64");
            expect(defaultPlatform("k3d", "x64")).to.equal("linux/amd64");
            expect(defaultPlatform("eks", "arm64")).to.equal("linux/amd64");
            expect((config({ images: { servicex: { platform: "linux/arm64" } } }).images.servicex as BuiltAppImage).platform).to.equal("linux/arm64");
        });

        it("a prebuilt pinned image instead: both servicex Deployments run it and nothing is built", async () => {
            const c = config({ images: { servicex: { image: "ghcr.io/example/servicex:1.2.3" } } });
            expect(c.images.servicex).to.deep.equal({ kind: "prebuilt", app: "servicex", ref: "ghcr.io/example/servicex:1.2.3" });
            expect(c.workloads.filter((w) => w.appImage === "servicex").map((w) => w.image)).to.deep.equal(["ghcr.io/example/servicex:1.2.3", "ghcr.io/example/servicex:1.2.3"]);
            const mocks = await runUnderMocks(() => new Lab("istio-mesh", c));
            expect(mocks.resources.filter((r) => r.type === IMAGE || r.name === "servicex-import")).to.deep.equal([]);
        });

        it("bad input is named by path, with the fix", () => {
            expectProblem({ images: { servicex: { image: "ghcr.io/example/servicex:latest" } } }, "istio-mesh:images.servicex.image", /not pinned/);
            expectProblem({ images: { servicex: { build: false } } }, "istio-mesh:images.servicex", /no image is given; set image to a prebuilt pinned reference/);
            expectProblem({ images: { servicex: { build: true, image: "ghcr.io/example/servicex:1.2.3" } } }, "istio-mesh:images.servicex", /alternatives/);
            expectProblem({ images: { servicey: {} } }, "istio-mesh:images.servicey", /no app "servicey" under apps\/; the program builds: servicex/);
            expectProblem({ images: { servicex: { platform: "linux/s390x" } } }, "istio-mesh:images.servicex.platform", /linux\/amd64, linux\/arm64/);
            expectProblem({ images: { servicex: { tag: "x" } } }, "istio-mesh:images.servicex.tag", /unknown key/);
            expectProblem({ workloads: { servicex: { image: "nginx:1.28.0-alpine" } } }, "istio-mesh:workloads.servicex.image", /appImage: null/);
            expectProblem({ workloads: { extra: { appImage: "nope" } } }, "istio-mesh:workloads.extra.appImage", /not an app of istio-mesh:images/);
        });

        it("a workload can leave the app image for its own (appImage: null)", () => {
            const w = config({ workloads: { servicex: { appImage: null, image: "nginx:1.28.0-alpine" } } }).workloads.find((x) => x.name === "servicex")!;
            expect([w.image, w.appImage]).to.deep.equal(["nginx:1.28.0-alpine", undefined]);
        });
    });

    describe("pipeline on k3d (program under mocks)", () => {
        let resources: Registered[];
        const recorder = new DependsOnRecorder();
        const replaceWith = new Map<string, string[]>();
        const img = config().images.servicex as BuiltAppImage;

        before(async () => {
            const record: pulumi.ResourceTransformation = (a) => {
                if (a.opts.replaceWith) replaceWith.set(a.name, a.opts.replaceWith.map((r) => DependsOnRecorder.key(r)));
                return undefined;
            };
            resources = (await runUnderMocks(() => new Lab("istio-mesh", config(), { transformations: [recorder.transformation, record] }))).resources;
        });
        const one = (type: string, name: string) => {
            const r = resources.filter((x) => x.type === type && x.name === name);
            expect(r, `${type} ${name}`).to.have.length(1);
            return r[0];
        };

        it("builds apps/servicex for one platform, tagged by content, into the local daemon only", () => {
            const i = one(IMAGE, "servicex").inputs;
            expect(i.build).to.deep.equal({ context: "apps/servicex", dockerfile: "apps/servicex/Dockerfile", platform: defaultPlatform("k3d"), args: { NODE_IMAGE: DEFAULT_VERSIONS.servicexBaseImage } });
            expect(i.imageName).to.equal(img.ref);
            expect(i.skipPush).to.equal(true);
            expect(i.registry).to.equal(undefined);
        });

        it("imports it with k3d (--mode direct fails loudly), again when the tag changes or the cluster is replaced", () => {
            const c = one(COMMAND, "servicex-import").inputs;
            expect(c.create).to.equal(`set -eu\nk3d image import --mode direct ${img.ref} -c istio-mesh\n`);
            expect(c.triggers).to.deep.equal([img.ref]);
            expect(recorder.dependsOn(COMMAND, "servicex-import")).to.deep.equal([`${IMAGE}::servicex`, `${COMMAND}::istio-mesh-cluster`]);
            expect(replaceWith.get("servicex-import")).to.deep.equal([`${COMMAND}::istio-mesh-cluster`]);
        });

        it("the build waits for the docker/k3d prerequisites step, as the cluster does (pulumi up without npm run up)", () => {
            expect(recorder.dependsOn(IMAGE, "servicex")).to.deep.equal([`${COMMAND}::istio-mesh-prerequisites`]);
            expect(recorder.dependsOn(COMMAND, "istio-mesh-cluster")).to.deep.equal([`${COMMAND}::istio-mesh-prerequisites`, `${COMMAND}::istio-mesh-cache-registry`]);
            const p = one(COMMAND, "istio-mesh-prerequisites").inputs;
            expect(p.create).to.include("'docker' is not installed").and.include("'k3d' is not installed").and.include("the Docker daemon does not answer");
        });

        it("both servicex Deployments wait for the import; the others do not", () => {
            for (const name of ["servicex", "servicex-error"]) expect(recorder.dependsOn(DEPLOYMENT, name)).to.include(`${COMMAND}::servicex-import`);
            for (const name of ["nginx", "fortio-deploy"]) expect(recorder.dependsOn(DEPLOYMENT, name)).to.not.include(`${COMMAND}::servicex-import`);
            expect(one(DEPLOYMENT, "servicex").inputs.spec.template.spec.containers[0].image).to.equal(img.ref);
        });

        it("no image is built when no workload runs it", async () => {
            const mocks = await runUnderMocks(() => new Lab("istio-mesh", config({ workloads: { servicex: null, "servicex-error": null } })));
            expect(mocks.resources.filter((r) => r.type === IMAGE || r.name === "servicex-import")).to.deep.equal([]);
        });
    });

    describe("pipeline with a registry (cloud handle, under mocks)", () => {
        let resources: Registered[];
        const recorder = new DependsOnRecorder();
        const img = config().images.servicex as BuiltAppImage;
        const repo = "registry.example.com/lab/servicex";

        before(async () => {
            resources = (
                await runUnderMocks(() => {
                    const root = new pulumi.ComponentResource("test:index:Root", "root", {}, { transformations: [recorder.transformation] });
                    const provider = new k8s.Provider("cloud", { kubeconfig: "unused" }, { parent: root });
                    const ns = new k8s.core.v1.Namespace("lab", { metadata: { name: "lab" } }, { parent: root, provider });
                    const registry = { kind: "registry" as const, repository: repo, server: "registry.example.com", username: "robot", password: pulumi.secret("s3cret"), pullSecret: "regcred" };
                    const dockerProvider = new docker.Provider("docker", {}, { parent: root });
                    const image = new AppImage("servicex", { image: img, registry, provider, namespace: "lab", dependsOn: [ns], docker: dockerProvider }, { parent: root });
                    const objects = buildPlan(config({ namespace: { name: "lab" } })).workloads.filter((o) => o.kind === "Deployment");
                    new Workloads("workloads", { objects, provider, dependsOn: [ns], images: [image.use] }, { parent: root });
                })
            ).resources;
        });
        const one = (type: string, name: string) => resources.find((x) => x.type === type && x.name === name)!;

        it("pushes <repository>:<content tag> with the registry's credentials", () => {
            const i = one(IMAGE, "servicex").inputs;
            expect(i.imageName).to.equal(`${repo}:${img.tag}`);
            expect(i.skipPush).to.not.equal(true);
            const registry = unwrap(i.registry);
            expect(registry.secret, "the password makes the registry input secret").to.equal(true);
            expect(registry.value).to.deep.equal({ server: "registry.example.com", username: "robot", password: "s3cret" });
            expect(i.build.platform).to.equal(img.platform);
        });

        it("creates the docker-registry pull Secret from the credentials, in the workload namespace", () => {
            const s = one("kubernetes:core/v1:Secret", "regcred").inputs;
            expect([s.metadata.name, s.metadata.namespace, s.type]).to.deep.equal(["regcred", "lab", "kubernetes.io/dockerconfigjson"]);
            const data = unwrap(s.stringData);
            expect(data.secret, "the Secret's data is a Pulumi secret").to.equal(true);
            const auths = JSON.parse(unwrap(data.value[".dockerconfigjson"]).value).auths;
            expect(auths["registry.example.com"]).to.deep.equal({ username: "robot", password: "s3cret", auth: Buffer.from("robot:s3cret").toString("base64") });
            expect(recorder.dependsOn("kubernetes:core/v1:Secret", "regcred")).to.deep.equal(["kubernetes:core/v1:Namespace::lab"]);
        });

        it("the servicex Deployments run the pushed image with the pull Secret, after the push", () => {
            for (const name of ["servicex", "servicex-error"]) {
                const pod = one(DEPLOYMENT, name).inputs.spec.template.spec;
                expect(pod.containers[0].image).to.equal(`${repo}:${img.tag}`);
                expect(pod.imagePullSecrets).to.deep.equal([{ name: "regcred" }]);
                expect(recorder.dependsOn(DEPLOYMENT, name)).to.include.members([`${IMAGE}::servicex`, "kubernetes:core/v1:Secret::regcred"]);
            }
            const nginx = one(DEPLOYMENT, "nginx").inputs.spec.template.spec;
            expect([nginx.containers[0].image, nginx.imagePullSecrets]).to.deep.equal([DEFAULT_VERSIONS.nginxImage, undefined]);
        });
    });
});

describe("servicex's environment, checked at config time with servicex's own parser", () => {
    const { expectProblem: problem, config: cfg } = require("./helpers/config") as typeof import("./helpers/config");

    it("error must be yes (or unset/no), not true", () => {
        problem({ workloads: { "servicex-error": { env: { error: "true" } } } }, "istio-mesh:workloads.servicex-error.env", /error="true" is not allowed; set error=yes/);
    });

    it("ERROR_STATUS and ERROR_DELAY_MS are bounded integers", () => {
        problem({ workloads: { "servicex-error": { env: { error: "yes", ERROR_STATUS: "5xx" } } } }, "istio-mesh:workloads.servicex-error.env", /ERROR_STATUS="5xx" is not allowed; expected an integer from 100 to 599/);
        problem({ workloads: { "servicex-error": { env: { error: "yes", ERROR_DELAY_MS: "-1" } } } }, "istio-mesh:workloads.servicex-error.env", /ERROR_DELAY_MS/);
    });

    it("PORT must match the containerPort the Service targets", () => {
        problem({ workloads: { servicex: { env: { PORT: "9000" } } } }, "istio-mesh:workloads.servicex.env", /listens on PORT 9000, but containerPort is 8000/);
    });

    it("the course's variations pass: a 500 failure after 2 s", () => {
        const c = cfg({ workloads: { "servicex-error": { env: { error: "yes", ERROR_STATUS: "500", ERROR_DELAY_MS: "2000" } } } });
        expect(c.workloads.find((w) => w.name === "servicex-error")!.env).to.deep.include({ ERROR_STATUS: "500" });
    });
});
