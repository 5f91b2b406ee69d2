import { expect } from "chai";
import { buildPlan } from "../mesh/plan";
import * as pulumi from "@pulumi/pulumi";
import * as yaml from "js-yaml";
import { parseConfig } from "../config/parse";
import { ConfigError } from "../config/reader";
import type { MeshConfig } from "../config/types";
import { GRAFANA_HELM_REPO, KIALI_HELM_REPO, PROMETHEUS_HELM_REPO } from "../config/versions";
import { addonsPlan, AddonsPlan, dashboardOutputs } from "../mesh/addons/plan";
import { GENERATED_PLACEHOLDER, generatedSecrets } from "../mesh/addons/generatedSecrets";
import { istiodChart } from "../mesh/istio/charts";
import type { K8sObject } from "../mesh/objects";
import { Lab } from "../program";
import { mockRandomPassword, Registered, runUnderMocks } from "../render/mocks";
import { config, expectProblem } from "./helpers/config";
import { DependsOnRecorder } from "./helpers/ordering";
import { render } from "./helpers/render";

/** The two secrets a stack off k3d may set (otherwise they are generated at deploy time). */
const STAGING_SECRETS = { grafana: { adminPassword: "s3cret-pass" }, kiali: { signingKey: "0123456789abcdef0123456789abcdef" } };
/** A cluster that is not k3d: no anonymous dashboards, whatever the stack is called. */
const CLOUD = { cluster: { kind: "eks" } };
/** The mock monitor receives secrets in their wire form: {<sig key>: <secret sig>, value}. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function problemsOf(raw: Record<string, unknown>, stack: string): { path: string; message: string }[] {
    try {
        parseConfig(raw, stack);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as ConfigError).problems;
    }
    return [];
}

const chart = (p: AddonsPlan, release: string) => p.charts.find((c) => c.release === release);
const obj = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const ports = (svc: K8sObject | undefined) => (svc?.spec as { ports: { name: string; port: number; targetPort: number }[] }).ports;
const portOf = (svc: K8sObject | undefined, name: string) => ports(svc).find((p) => p.name === name)?.port;

/** `http://<svc>.<ns>:<port><path>` → the parts, so a URL can be checked against a rendered Service. */
function parseUrl(url: string): { service: string; namespace: string; port: number; path: string } {
    const m = url.match(/^http:\/\/([a-z0-9-]+)\.([a-z0-9-]+):(\d+)(\/.*)?$/);
    expect(m, url).to.not.equal(null);
    return { service: m![1], namespace: m![2], port: Number(m![3]), path: m![4] ?? "" };
}

describe("observability addons", () => {
    describe("config: istio-mesh:addons", () => {
        it("dev defaults: all four on, anonymous Kiali and Grafana, 100 % sampling, no exposure", () => {
            const a = config().addons;
            expect([a.prometheus.enabled, a.grafana.enabled, a.kiali.enabled, a.jaeger.enabled]).to.deep.equal([true, true, true, true]);
            expect(a.kiali.auth).to.equal("anonymous");
            expect(a.grafana.anonymous).to.equal(true);
            expect(a.tracing.samplingPercentage).to.equal(100);
            expect(a.expose.enabled).to.equal(false);
            expect(a.expose.hosts.kiali).to.equal("kiali.localhost");
        });

        it("off k3d (any stack name): token auth, 1 % sampling; without secrets in config both are generated at deploy time", () => {
            expect(problemsOf(CLOUD, "staging")).to.deep.equal([]);
            const cfg = parseConfig(CLOUD, "staging");
            const a = cfg.addons;
            expect([a.kiali.auth, a.grafana.anonymous, a.tracing.samplingPercentage, a.kiali.signingKeyFromConfig, a.grafana.adminPassword]).to.deep.equal(["token", false, 1, false, undefined]);
            expect(generatedSecrets(cfg).map((g) => g.name)).to.deep.equal(["grafana-admin-password", "kiali-signing-key"]);
        });

        it("off k3d, Kiali's chart waits for Grafana's, whose admin Secret it mounts (not optional); on k3d it does not", () => {
            const charts = (raw: Record<string, unknown>) => buildPlan(parseConfig(raw, "staging")).addons.charts;
            expect(charts(CLOUD).map((c) => [c.release, c.waitsFor])).to.deep.equal([["prometheus", []], ["grafana", []], ["kiali", ["grafana"]]]);
            expect(charts({}).find((c) => c.release === "kiali")!.waitsFor).to.deep.equal([]);
        });

        it("off k3d, the user's secrets win over generated ones", () => {
            const cfg = parseConfig({ ...CLOUD, addons: STAGING_SECRETS }, "staging");
            expect([cfg.addons.kiali.signingKeyFromConfig, cfg.addons.grafana.adminPassword]).to.deep.equal([true, "s3cret-pass"]);
            expect(generatedSecrets(cfg)).to.deep.equal([]);
        });

        it("anonymous dashboards follow the cluster kind, not the stack name: a k3d cluster under any stack name is like dev", () => {
            const a = parseConfig({}, "scenario-17").addons;
            expect([a.kiali.auth, a.grafana.anonymous, a.tracing.samplingPercentage]).to.deep.equal(["anonymous", true, 100]);
            expect(generatedSecrets(parseConfig({}, "scenario-17"))).to.deep.equal([]);
        });

        it("anonymous access is refused on any cluster but k3d", () => {
            const problems = problemsOf({ ...CLOUD, addons: { ...STAGING_SECRETS, kiali: { auth: "anonymous" }, grafana: { anonymous: true } } }, "dev");
            expect(problems.find((p) => p.path === "istio-mesh:addons.kiali.auth")?.message).to.match(/only on a cluster.kind "k3d" cluster/);
            expect(problems.find((p) => p.path === "istio-mesh:addons.grafana.anonymous")?.message).to.match(/only on a cluster.kind "k3d" cluster/);
        });

        it("disabled addons get no generated secrets", () => {
            const cfg = parseConfig({ ...CLOUD, addons: { kiali: false, grafana: { enabled: false } } }, "staging");
            expect([cfg.addons.kiali.enabled, cfg.addons.grafana.enabled]).to.deep.equal([false, false]);
            expect(generatedSecrets(cfg)).to.deep.equal([]);
        });

        it("unknown keys are rejected with a suggestion, at every level", () => {
            expectProblem({ addon: {} }, "istio-mesh:addon", /did you mean "addons"/);
            expectProblem({ addons: { grafna: {} } }, "istio-mesh:addons.grafna", /did you mean "grafana"/);
            expectProblem({ addons: { kiali: { auht: "token" } } }, "istio-mesh:addons.kiali.auht", /did you mean "auth"/);
            expectProblem({ addons: { expose: { hosts: { kialli: "k.localhost" } } } }, "istio-mesh:addons.expose.hosts.kialli", /did you mean "kiali"/);
            expectProblem({ addons: { tracing: { sampling: 5 } } }, "istio-mesh:addons.tracing.sampling", /samplingPercentage/);
        });

        it("`<addon>: false` is short for {enabled: false}; a non-boolean is an error", () => {
            expect(config({ addons: { jaeger: false } }).addons.jaeger.enabled).to.equal(false);
            expectProblem({ addons: { jaeger: { enabled: "no" } } }, "istio-mesh:addons.jaeger.enabled", /not a boolean/);
        });

        it("sampling is a percentage from 0 to 100 (decimals allowed, strings from `pulumi config set` too)", () => {
            expect(config({ addons: { tracing: { samplingPercentage: 0.5 } } }).addons.tracing.samplingPercentage).to.equal(0.5);
            expect(config({ addons: { tracing: { samplingPercentage: "25" } } }).addons.tracing.samplingPercentage).to.equal(25);
            expectProblem({ addons: { tracing: { samplingPercentage: 150 } } }, "istio-mesh:addons.tracing.samplingPercentage", /from 0 to 100/);
            expectProblem({ addons: { tracing: { samplingPercentage: "all" } } }, "istio-mesh:addons.tracing.samplingPercentage", /from 0 to 100/);
        });

        it("Kiali and Grafana need Prometheus", () => {
            expectProblem({ addons: { prometheus: false } }, "istio-mesh:addons.kiali", /needs Prometheus/);
            expectProblem({ addons: { prometheus: false } }, "istio-mesh:addons.grafana", /needs Prometheus/);
            expect(config({ addons: { prometheus: false, kiali: false, grafana: false } }).addons.prometheus.enabled).to.equal(false);
        });

        it("Kiali's auth and signing key are checked", () => {
            expectProblem({ addons: { kiali: { auth: "oidc" } } }, "istio-mesh:addons.kiali.auth", /one of anonymous, token/);
            expectProblem({ addons: { kiali: { auth: "token", signingKey: "short" } } }, "istio-mesh:addons.kiali.signingKey", /16, 24 or 32/);
            // Token auth without a key: one is generated (a placeholder in the pure plan).
            const token = addonsPlan(config({ addons: { kiali: { auth: "token" } } }));
            expect((chart(token, "kiali")!.values as any).login_token.signing_key).to.equal(GENERATED_PLACEHOLDER);
            expect(chart(token, "kiali")!.generated.map((g) => g.name)).to.deep.equal(["kiali-signing-key"]);
            // render cannot decrypt a --secret value; its length is checked when the real value arrives.
            expect(config({ addons: { kiali: { auth: "token", signingKey: "[secret]" } } }).addons.kiali.auth).to.equal("token");
        });

        it("exposure hosts are DNS names, one per dashboard", () => {
            expectProblem({ addons: { expose: { enabled: true, hosts: { kiali: "kiali.localhost:8000" } } } }, "istio-mesh:addons.expose.hosts.kiali", /not a host name/);
            expectProblem({ addons: { expose: { hosts: { grafana: "kiali.localhost" } } } }, "istio-mesh:addons.expose.hosts.grafana", /already the host of kiali/);
        });

        it("addon versions are exact: chart versions MAJOR.MINOR.PATCH, Jaeger's image tagged", () => {
            expectProblem({ versions: { kialiChart: "latest" } }, "istio-mesh:versions.kialiChart", /exact chart version/);
            expectProblem({ versions: { grafanaChart: "^9.2.0" } }, "istio-mesh:versions.grafanaChart", /exact chart version/);
            expectProblem({ versions: { jaegerImage: "jaegertracing/jaeger:latest" } }, "istio-mesh:versions.jaegerImage", /not pinned/);
            expect(config({ versions: { prometheusChart: "28.14.0" } }).versions.prometheusChart).to.equal("28.14.0");
        });
    });

    describe("plan: charts, Jaeger, Telemetry (dev)", () => {
        const cfg = config();
        const plan = addonsPlan(cfg);
        const kiali = chart(plan, "kiali")!.values as any;
        const grafana = chart(plan, "grafana")!.values as any;
        const prometheus = chart(plan, "prometheus")!.values as any;

        it("three official charts at the pinned versions, in istio-system", () => {
            expect(plan.charts.map((c) => [c.release, c.chart, c.version, c.repo, c.namespace])).to.deep.equal([
                ["prometheus", "prometheus", "28.13.0", PROMETHEUS_HELM_REPO, "istio-system"],
                ["grafana", "grafana", "11.6.1", GRAFANA_HELM_REPO, "istio-system"],
                ["kiali", "kiali-server", "2.26.0", KIALI_HELM_REPO, "istio-system"],
            ]);
            expect(kiali.deployment.image_version).to.equal("v2.26.0");
        });

        it("Jaeger v2 all-in-one, pinned, with the tracing (80 → 16686), zipkin (9411) and jaeger-collector (OTLP 4317/4318) Services", () => {
            const dep = obj(plan.objects, "Deployment", "jaeger") as any;
            expect(dep.spec.template.spec.containers[0].image).to.equal("quay.io/jaegertracing/jaeger:2.17.0");
            expect(ports(obj(plan.objects, "Service", "tracing")).find((p) => p.name === "http-query")).to.deep.include({ port: 80, targetPort: 16686 });
            expect(portOf(obj(plan.objects, "Service", "zipkin"), "http-zipkin")).to.equal(9411);
            const collector = obj(plan.objects, "Service", "jaeger-collector");
            expect([portOf(collector, "grpc-otel"), portOf(collector, "http-otel")]).to.deep.equal([4317, 4318]);
        });

        it("every Jaeger Service port has a receiver or server listening on its target port", () => {
            const dep = obj(plan.objects, "Deployment", "jaeger") as any;
            const containerPorts = dep.spec.template.spec.containers[0].ports.map((p: any) => p.containerPort);
            const conf = yaml.load(obj(plan.objects, "ConfigMap", "jaeger")!.data && (obj(plan.objects, "ConfigMap", "jaeger") as any).data["config.yaml"]) as any;
            const listening = JSON.stringify(conf);
            for (const svc of plan.objects.filter((o) => o.kind === "Service")) {
                expect((svc.spec as any).selector).to.deep.equal(dep.spec.selector.matchLabels);
                for (const p of ports(svc)) {
                    expect(containerPorts, `${svc.metadata.name}:${p.name}`).to.include(p.targetPort);
                    // 16686/16685 are jaeger_query's built-in ports; the rest are configured receivers.
                    if (![16686, 16685].includes(p.targetPort)) expect(listening, `${svc.metadata.name}:${p.name}`).to.include(`0.0.0.0:${p.targetPort}`);
                }
            }
            expect(conf.extensions.jaeger_query.base_path).to.equal("/jaeger");
        });

        it("no addon pod gets a sidecar, and each has requests and limits", () => {
            const noSidecar = { "sidecar.istio.io/inject": "false" };
            expect(prometheus.server.podLabels).to.deep.equal(noSidecar);
            expect(grafana.podLabels).to.deep.equal(noSidecar);
            expect(kiali.deployment.pod_labels).to.deep.equal(noSidecar);
            const dep = obj(plan.objects, "Deployment", "jaeger") as any;
            expect(dep.spec.template.metadata.labels).to.deep.include(noSidecar);
            for (const r of [prometheus.server.resources, grafana.resources, kiali.deployment.resources, dep.spec.template.spec.containers[0].resources]) {
                expect(r.requests).to.have.keys("cpu", "memory");
                expect(r.limits).to.have.keys("cpu", "memory");
            }
        });

        it("Prometheus keeps the chart's default scrape jobs (the set Istio's sample ships) and serves as `prometheus:9090`", () => {
            expect(prometheus).to.not.have.any.keys("serverFiles", "extraScrapeConfigs");
            expect(prometheus.server).to.not.have.any.keys("serverFiles", "extraScrapeConfigs");
            expect([prometheus.server.fullnameOverride, prometheus.server.service.servicePort]).to.deep.equal(["prometheus", 9090]);
            expect([prometheus.alertmanager.enabled, prometheus["kube-state-metrics"].enabled]).to.deep.equal([false, false]);
        });

        it("Grafana: Prometheus datasource at the rendered Prometheus Service, Istio's four dashboards from the Istio release tag", () => {
            const ds = grafana.datasources["datasources.yaml"].datasources[0];
            expect([ds.type, ds.isDefault]).to.deep.equal(["prometheus", true]);
            expect(parseUrl(ds.url)).to.deep.equal({ service: prometheus.server.fullnameOverride, namespace: "istio-system", port: prometheus.server.service.servicePort, path: "" });
            // Downloaded by the chart's dashboard sidecar from a labelled ConfigMap of `.url` keys …
            const cm = obj(plan.objects, "ConfigMap", "istio-grafana-dashboards") as any;
            expect(cm.metadata).to.deep.include({ namespace: "istio-system", labels: { grafana_dashboard: "1" } });
            const urls = Object.entries(cm.data);
            expect(urls.map(([k]) => k)).to.deep.equal(["istio-mesh.json.url", "istio-service.json.url", "istio-workload.json.url", "istio-control-plane.json.url"]);
            for (const [, u] of urls) expect(u).to.match(/^https:\/\/raw\.githubusercontent\.com\/istio\/istio\/1\.30\.5\/manifests\/addons\/dashboards\/[a-z-]+(\.gen)?\.json$/);
            expect(grafana.sidecar.dashboards).to.deep.include({ enabled: true, label: "grafana_dashboard", labelValue: "1", resource: "configmap", searchNamespace: null });
            // No reload call, so the sidecar gets no admin login to send along with its downloads from GitHub.
            expect(grafana.sidecar.dashboards.skipReload).to.equal(true);
            // … and not by the chart's download init container (`set -euf`: no egress to GitHub → Init:Error).
            expect(grafana).to.not.have.any.keys("dashboards", "dashboardProviders", "downloadDashboards");
            // The sidecar lists ConfigMaps in its own namespace only: a namespaced Role.
            expect(grafana.rbac).to.deep.include({ create: true, namespaced: true });
            expect(grafana.env.GF_AUTH_ANONYMOUS_ENABLED).to.equal("true");
        });

        it("Kiali's URLs point at the Services that are rendered, with matching ports", () => {
            const es = kiali.external_services;
            const p = parseUrl(es.prometheus.url);
            expect(p).to.deep.equal({ service: prometheus.server.fullnameOverride, namespace: "istio-system", port: prometheus.server.service.servicePort, path: "" });

            expect(es.grafana.enabled).to.equal(true);
            expect(parseUrl(es.grafana.internal_url)).to.deep.equal({ service: grafana.fullnameOverride, namespace: "istio-system", port: grafana.service.port, path: "" });
            expect(es.grafana.external_url).to.equal(`http://localhost:${grafana.service.port}`);

            expect(es.tracing).to.deep.include({ enabled: true, provider: "jaeger", use_grpc: true });
            const t = parseUrl(es.tracing.internal_url);
            const tracingSvc = obj(plan.objects, "Service", t.service);
            expect(tracingSvc, `Service ${t.service}`).to.not.equal(undefined);
            expect(tracingSvc!.metadata.namespace).to.equal(t.namespace);
            expect(portOf(tracingSvc, "grpc-query")).to.equal(t.port);
            expect(t.path).to.equal("/jaeger");
            expect(es.tracing.external_url).to.equal("http://localhost:16686/jaeger");
            expect(kiali.auth.strategy).to.equal("anonymous");
            expect(kiali.login_token.signing_key).to.have.length(32);
        });

        it("istiod traces through an OpenTelemetry provider at the jaeger-collector's OTLP gRPC port", () => {
            const mc = istiodChart(cfg).values.meshConfig as any;
            expect(mc.enableTracing).to.equal(true);
            expect(mc.extensionProviders).to.have.length(1);
            const provider = mc.extensionProviders[0];
            const collector = obj(plan.objects, "Service", "jaeger-collector")!;
            expect(provider.opentelemetry).to.deep.equal({ service: `${collector.metadata.name}.${collector.metadata.namespace}.svc.cluster.local`, port: portOf(collector, "grpc-otel") });
            // The istiod values the foundation set are still there.
            expect(istiodChart(cfg).values.base).to.deep.equal({ validationFailurePolicy: "Fail" });
        });

        it("Telemetry mesh-default in istio-system selects that provider at the configured sampling", () => {
            const t = obj(plan.istioResources, "Telemetry", "mesh-default") as any;
            const provider = (istiodChart(cfg).values.meshConfig as any).extensionProviders[0];
            expect(t.apiVersion).to.equal("telemetry.istio.io/v1");
            expect(t.metadata.namespace).to.equal("istio-system");
            expect(t.spec.tracing).to.deep.equal([{ providers: [{ name: provider.name }], randomSamplingPercentage: 100 }]);
            const low = addonsPlan(config({ addons: { tracing: { samplingPercentage: 10 } } }));
            expect((obj(low.istioResources, "Telemetry", "mesh-default") as any).spec.tracing[0].randomSamplingPercentage).to.equal(10);
        });

        it("no exposure by default: no Gateway or VirtualService for the addons", () => {
            expect(plan.istioResources.map((o) => o.kind)).to.deep.equal(["Telemetry"]);
        });

        it("access: a port-forward command and local URL per dashboard", () => {
            const out = dashboardOutputs(cfg, plan, "k3d-istio-mesh");
            expect(Object.keys(out).sort()).to.deep.equal(["grafana", "jaeger", "kiali", "prometheus"]);
            expect(out.kiali).to.deep.equal({ portForward: "kubectl --context k3d-istio-mesh -n istio-system port-forward svc/kiali 20001:20001", url: "http://localhost:20001/kiali" });
            expect(out.jaeger).to.deep.equal({ portForward: "kubectl --context k3d-istio-mesh -n istio-system port-forward svc/tracing 16686:80", url: "http://localhost:16686/jaeger" });
            expect(out.grafana?.portForward).to.match(/port-forward svc\/grafana 3000:3000$/);
            expect(out.prometheus?.portForward).to.match(/port-forward svc\/prometheus 9090:9090$/);
        });
    });

    describe("disabling an addon removes it and its Kiali link", () => {
        const kialiOf = (cfg: MeshConfig) => (chart(addonsPlan(cfg), "kiali")!.values as any).external_services;

        it("jaeger: no Jaeger objects, no Telemetry, no tracing in istiod, Kiali's tracing off with no URL", () => {
            const cfg = config({ addons: { jaeger: false } });
            const plan = addonsPlan(cfg);
            expect(plan.objects.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal(["ConfigMap/istio-grafana-dashboards"]); // Grafana's, not Jaeger's
            expect(plan.istioResources).to.deep.equal([]);
            expect(istiodChart(cfg).values).to.not.have.key("meshConfig");
            expect(kialiOf(cfg).tracing).to.deep.equal({ enabled: false });
            expect(plan.dashboards).to.not.have.key("jaeger");
        });

        it("grafana: no Grafana chart, Kiali's Grafana link off", () => {
            const cfg = config({ addons: { grafana: false } });
            expect(chart(addonsPlan(cfg), "grafana")).to.equal(undefined);
            expect(kialiOf(cfg).grafana).to.deep.equal({ enabled: false });
            expect(kialiOf(cfg).tracing.enabled).to.equal(true);
        });

        it("kiali: no Kiali chart; the others stay", () => {
            const plan = addonsPlan(config({ addons: { kiali: false } }));
            expect(plan.charts.map((c) => c.release)).to.deep.equal(["prometheus", "grafana"]);
            expect(plan.dashboards).to.not.have.key("kiali");
        });

        it("all of them: nothing at all, and istiod without tracing", () => {
            const cfg = config({ addons: { prometheus: false, grafana: false, kiali: false, jaeger: false, expose: { enabled: true } } });
            const plan = addonsPlan(cfg);
            expect([plan.charts, plan.objects, plan.istioResources, plan.dashboards]).to.deep.equal([[], [], [], {}]);
        });
    });

    describe("exposure through the ingress gateway by host", () => {
        const cfg = config({ addons: { expose: { enabled: true, hosts: { grafana: "graphs.localhost" } } } });
        const plan = addonsPlan(cfg);

        it("one Gateway in istio-system on the gateway pods' HTTP port, with every dashboard's host", () => {
            const gw = obj(plan.istioResources, "Gateway", "addons-gateway") as any;
            expect(gw.metadata.namespace).to.equal("istio-system");
            expect(gw.spec.selector).to.deep.equal({ istio: "ingressgateway" });
            expect(gw.spec.servers).to.deep.equal([{ port: { number: 80, name: "http-addons", protocol: "HTTP" }, hosts: ["prometheus.localhost", "graphs.localhost", "jaeger.localhost", "kiali.localhost"] }]);
        });

        it("one VirtualService per dashboard, routed to the Service and port that serve its UI", () => {
            const vs = (n: string) => obj(plan.istioResources, "VirtualService", `${n}-dashboard`) as any;
            expect(vs("kiali").spec).to.deep.equal({ hosts: ["kiali.localhost"], gateways: ["addons-gateway"], http: [{ route: [{ destination: { host: "kiali.istio-system.svc.cluster.local", port: { number: 20001 } } }] }] });
            expect(vs("jaeger").spec.http[0].route[0].destination).to.deep.equal({ host: "tracing.istio-system.svc.cluster.local", port: { number: portOf(obj(plan.objects, "Service", "tracing"), "http-query") } });
            expect(vs("grafana").spec.hosts).to.deep.equal(["graphs.localhost"]);
            expect(vs("prometheus").spec.http[0].route[0].destination.port.number).to.equal(9090);
        });

        it("Kiali's links and the outputs use the exposed hosts on the k3d host port", () => {
            const es = (chart(plan, "kiali")!.values as any).external_services;
            expect(es.grafana.external_url).to.equal("http://graphs.localhost:8000");
            expect(es.tracing.external_url).to.equal("http://jaeger.localhost:8000/jaeger");
            expect(dashboardOutputs(cfg, plan, "k3d-istio-mesh").kiali?.exposedUrl).to.equal("http://kiali.localhost:8000/kiali");
        });

        it("a disabled addon is not exposed", () => {
            const p = addonsPlan(config({ addons: { grafana: false, expose: { enabled: true } } }));
            expect((obj(p.istioResources, "Gateway", "addons-gateway") as any).spec.servers[0].hosts).to.not.include("grafana.localhost");
            expect(obj(p.istioResources, "VirtualService", "grafana-dashboard")).to.equal(undefined);
        });
    });

    describe("off k3d: token auth with the user's secrets", () => {
        const cfg = parseConfig({ ...CLOUD, addons: STAGING_SECRETS }, "staging");
        const plan = addonsPlan(cfg);

        it("Kiali uses token auth with the configured signing key; the chart's values are marked secret", () => {
            const k = chart(plan, "kiali")!;
            expect((k.values as any).auth.strategy).to.equal("token");
            expect((k.values as any).login_token.signing_key).to.equal(STAGING_SECRETS.kiali.signingKey);
            expect(k.secretValues).to.equal(true);
        });

        it("Grafana asks for a login: admin with the configured password, no anonymous access", () => {
            const g = chart(plan, "grafana")!;
            expect(g.values).to.deep.include({ adminUser: "admin", adminPassword: "s3cret-pass", admin: { existingSecret: "", userKey: "admin-user", passwordKey: "admin-password" } });
            expect(g.values).to.not.have.key("env");
            expect(g.secretValues).to.equal(true);
            expect(g.secretPaths).to.deep.equal([["adminPassword"]]);
        });

        it("Kiali reaches Grafana with Grafana's own login, by secret reference (no password in Kiali's values)", () => {
            const k = chart(plan, "kiali")!.values as any;
            const g = chart(plan, "grafana")!.values as any;
            expect(k.external_services.grafana.auth).to.deep.equal({ type: "basic", username: `secret:${g.fullnameOverride}:${g.admin.userKey}`, password: `secret:${g.fullnameOverride}:${g.admin.passwordKey}` });
            expect(JSON.stringify(k)).to.not.include("s3cret-pass");
            // Anonymous Grafana (k3d): no login, no credentials.
            expect((chart(addonsPlan(config()), "kiali")!.values as any).external_services.grafana).to.not.have.key("auth");
        });

        it("Kiali's ingress is off through the chart's real key (deployment.ingress.enabled), not the dead ingress_enabled", () => {
            for (const p of [plan, addonsPlan(config())]) {
                const d = (chart(p, "kiali")!.values as any).deployment;
                expect(d.ingress).to.deep.equal({ enabled: false });
                expect(d).to.not.have.key("ingress_enabled");
            }
        });

        it("the cloud render shows Kiali's Grafana credentials by secret reference, and no plain password", async function () {
            this.timeout(60000);
            const r = await render(["cloud"]);
            expect(r.status, r.stderr).to.equal(0);
            expect(r.stdout).to.match(/grafana:\n(\s+)auth:\n\1  password: secret:grafana:admin-password\n\1  type: basic\n\1  username: secret:grafana:admin-user/);
            expect(r.stdout).to.match(/adminPassword: '\[secret\]'/);
            expect(r.stdout).to.not.match(/\[generated at deploy time\]/);
        });

        it("dev's charts carry no secret", () => {
            expect(addonsPlan(config()).charts.map((c) => c.secretValues)).to.deep.equal([false, false, false]);
        });
    });

    describe("program under mocks (dev)", () => {
        const CHART = "kubernetes:helm.sh/v4:Chart";
        const RANDOM = "random:index/randomPassword:RandomPassword";
        const recorder = new DependsOnRecorder();
        let resources: Registered[];
        let outputs: Record<string, any>;

        before(async () => {
            const mocks = await runUnderMocks(() => {
                const lab = new Lab("istio-mesh", config(), { transformations: [recorder.transformation] });
                return pulumi.output(lab.outputs).apply((o) => (outputs = o as Record<string, any>));
            });
            resources = mocks.resources;
        });

        const addonKeys = [
            `${CHART}::prometheus`,
            `${CHART}::grafana`,
            `${CHART}::kiali`,
            "kubernetes:core/v1:ConfigMap::jaeger",
            "kubernetes:apps/v1:Deployment::jaeger",
            "kubernetes:core/v1:Service::tracing",
            "kubernetes:core/v1:Service::zipkin",
            "kubernetes:core/v1:Service::jaeger-collector",
        ];

        it("registers the addons under one istio-mesh:addons:Addons component, on the cluster's provider", () => {
            const addons = resources.filter((r) => r.type === "istio-mesh:addons:Addons");
            expect(addons).to.have.length(1);
            const names = resources.map((r) => `${r.type}::${r.name}`);
            expect(names).to.include.members([...addonKeys, "kubernetes:telemetry.istio.io/v1:Telemetry::mesh-default"]);
            for (const k of addonKeys) expect(recorder.providers.get(k), k).to.equal("pulumi:providers:kubernetes::istio-mesh");
            const kiali = resources.find((r) => r.type === CHART && r.name === "kiali")!;
            expect([kiali.inputs.chart, kiali.inputs.version, kiali.inputs.repositoryOpts.repo]).to.deep.equal(["kiali-server", "2.26.0", "https://kiali.org/helm-charts"]);
            expect(kiali.inputs.values.external_services.tracing.enabled).to.equal(true);
        });

        it("charts and Jaeger wait for Istio's base chart only; Telemetry waits for istiod's webhook and its CA bundle", () => {
            for (const k of addonKeys) expect(recorder.edges.get(k), k).to.deep.equal([`${CHART}::istio-base`]);
            expect(recorder.dependsOn("kubernetes:telemetry.istio.io/v1:Telemetry", "mesh-default")).to.deep.equal([
                `${CHART}::istiod`,
                "kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfigurationPatch::istiod-default-validator-ready",
            ]);
        });

        it("nothing outside the addons waits for them: workloads and policies never block on a dashboard", () => {
            const addonResources = new Set([...addonKeys, "kubernetes:telemetry.istio.io/v1:Telemetry::mesh-default"]);
            for (const [resource, deps] of recorder.edges) {
                if (addonResources.has(resource)) continue;
                expect(deps.filter((d) => addonResources.has(d)), resource).to.deep.equal([]);
            }
        });

        it("stack output `dashboards`: port-forward command and URL per addon", () => {
            expect(Object.keys(outputs.dashboards).sort()).to.deep.equal(["grafana", "jaeger", "kiali", "prometheus"]);
            expect(outputs.dashboards.kiali.portForward).to.equal("kubectl --context k3d-istio-mesh -n istio-system port-forward svc/kiali 20001:20001");
            expect(outputs.dashboards.kiali.url).to.equal("http://localhost:20001/kiali");
        });

        it("off k3d the Kiali chart depends on the Grafana chart (its admin Secret), and still on Istio's base", async () => {
            const rec = new DependsOnRecorder();
            await runUnderMocks(() => new Lab("istio-mesh", parseConfig(CLOUD, "staging"), { transformations: [rec.transformation] }));
            expect(rec.dependsOn(CHART, "kiali")).to.deep.equal([`${CHART}::istio-base`, `${CHART}::grafana`]);
            expect(rec.dependsOn(CHART, "grafana")).to.deep.equal([`${CHART}::istio-base`]);
        });

        it("a user's secret in chart values is registered as a secret", async () => {
            const mocks = await runUnderMocks(() => new Lab("istio-mesh", parseConfig({ ...CLOUD, addons: STAGING_SECRETS }, "staging")));
            const values = (name: string) => mocks.resources.find((r) => r.type === CHART && r.name === name)!.inputs.values;
            expect(values("kiali")).to.have.property(SECRET_SIG);
            expect(values("grafana")).to.have.property(SECRET_SIG);
            expect(values("prometheus")).to.not.have.property(SECRET_SIG);
            // Config wins: nothing is generated, the user's values are the ones deployed.
            expect(mocks.resources.filter((r) => r.type === RANDOM)).to.deep.equal([]);
            expect(values("kiali").value.login_token.signing_key).to.equal(STAGING_SECRETS.kiali.signingKey);
            expect(values("grafana").value.adminPassword).to.equal("s3cret-pass");
        });

        it("secrets not in config are generated once (random.RandomPassword), put into the charts as secrets, and Grafana's exported", async () => {
            let outputs: Record<string, any> = {};
            const mocks = await runUnderMocks(() => {
                const lab = new Lab("istio-mesh", parseConfig(CLOUD, "staging"));
                return pulumi.output(lab.outputs).apply((o) => (outputs = o as Record<string, any>));
            });
            const randoms = mocks.resources.filter((r) => r.type === RANDOM);
            expect(randoms.map((r) => [r.name, r.inputs.length, r.inputs.special])).to.deep.equal([
                ["grafana-admin-password", 24, false],
                ["kiali-signing-key", 32, false],
            ]);
            const values = (name: string) => mocks.resources.find((r) => r.type === CHART && r.name === name)!.inputs.values;
            // The generated value sits at its path as RandomPassword.result, which the engine keeps secret
            // (@pulumi/random's additionalSecretOutputs; mocks do not apply them, render masks the value).
            expect(values("kiali").login_token.signing_key).to.equal(mockRandomPassword("kiali-signing-key", 32)).and.to.have.length(32);
            expect(values("grafana").adminPassword).to.equal(mockRandomPassword("grafana-admin-password", 24));
            expect(values("kiali").external_services.grafana.auth).to.deep.equal({ type: "basic", username: "secret:grafana:admin-user", password: "secret:grafana:admin-password" });
            expect(JSON.stringify(values("kiali"))).to.not.include(GENERATED_PLACEHOLDER);
            expect(outputs.grafanaAdminPassword).to.equal(mockRandomPassword("grafana-admin-password", 24));
        });

        it("on k3d nothing is generated and no Grafana password is exported", async () => {
            let outputs: Record<string, any> = {};
            const mocks = await runUnderMocks(() => {
                const lab = new Lab("istio-mesh", config());
                return pulumi.output(lab.outputs).apply((o) => (outputs = o as Record<string, any>));
            });
            expect(mocks.resources.filter((r) => r.type === RANDOM)).to.deep.equal([]);
            expect(outputs).to.not.have.property("grafanaAdminPassword");
        });
    });

    describe("npm run render -- dev", function () {
        this.timeout(60000);

        it("shows the four addons, istiod's tracing meshConfig and the Telemetry resource", async () => {
            const r = await render(["dev"]);
            expect(r.status, r.stderr).to.equal(0);
            const docs = yaml.loadAll(r.stdout) as any[];
            const charts = docs.filter((d) => d.type === "kubernetes:helm.sh/v4:Chart").map((d) => `${d.inputs.chart}@${d.inputs.version}`);
            expect(charts).to.include.members(["prometheus@28.13.0", "grafana@11.6.1", "kiali-server@2.26.0"]);
            expect(docs.find((d) => d.kind === "Deployment" && d.metadata.name === "jaeger")?.metadata.namespace).to.equal("istio-system");
            const istiod = docs.find((d) => d.type === "kubernetes:helm.sh/v4:Chart" && d.name === "istiod");
            expect(istiod.inputs.values.meshConfig.enableTracing).to.equal(true);
            expect(istiod.inputs.values.meshConfig.extensionProviders[0].opentelemetry.port).to.equal(4317);
            expect(docs.find((d) => d.kind === "Telemetry")?.metadata).to.deep.equal({ name: "mesh-default", namespace: "istio-system" });
        });
    });
});

describe("addons exposure warnings (config/parse.ts)", () => {
    const { parseConfig: parse } = require("../config/parse") as typeof import("../config/parse");
    const paths = (raw: Record<string, unknown>) => parse(raw, "dev").warnings.map((w) => [w.path, w.message]);

    it("anonymous dashboards exposed beyond loopback: a warning naming the bind address", () => {
        const w = paths({ cluster: { ingress: { bindAddress: "0.0.0.0" } }, addons: { expose: { enabled: true } } });
        expect(w).to.have.length(1);
        expect(w[0][0]).to.equal("istio-mesh:addons.expose.enabled");
        expect(w[0][1]).to.match(/Kiali and Grafana need no login .* 0\.0\.0\.0 makes them reachable from your network/);
    });

    it("no warning on loopback, or with exposure off", () => {
        expect(paths({ addons: { expose: { enabled: true } } })).to.deep.equal([]);
        expect(paths({ cluster: { ingress: { bindAddress: "0.0.0.0" } } })).to.deep.equal([]);
    });

    it("*.localhost hosts on a cloud load balancer: a warning to use real DNS names", () => {
        const cfg = parse({ cluster: { kind: "eks" }, addons: { expose: { enabled: true } } }, "cloud");
        const w = cfg.warnings.find((x) => x.path === "istio-mesh:addons.expose.hosts");
        expect(w?.message).to.match(/kiali\.localhost.* resolve to your own machine/);
    });
});
