/**
 * The course as data: every lesson, in the order the course (its notes, `seed/`) ran them. A lesson is
 * one scenario file from examples/scenarios/, composed over the stack's own config (lab/compose.ts),
 * plus what to watch and the course's own commands to try by hand. `npm run lab` reads only this list.
 * Section titles are the course's headings, untranslated, so a student finds the video.
 */

export interface HandCommand {
    /** The command as the course typed it (run from the workload namespace's kube context). */
    run: string;
    /** What it prints when the mesh does what the lesson says. */
    expect: string;
}

export interface Lesson {
    /** Also the scenario file's name without `.yaml`; `--from`, `--to` and `--only` take it. */
    id: string;
    title: string;
    /** The course section (its heading) this lesson follows. */
    section: string;
    /** Stack config the lesson applies, relative to the project root. */
    scenario: string;
    /** What the mesh should do, in one or two sentences. */
    observe: string;
    tryByHand: HandCommand[];
    /**
     * The kinds of verify check (verify/checks.ts) that measure what this lesson teaches: only their rows
     * can make the lesson PASS (a FAIL or ERROR anywhere still fails it: the lab is broken). Empty: the
     * lesson teaches nothing verify can measure, and it is SKIP with `unmeasured` as the reason.
     */
    measures: CheckKind[];
    unmeasured?: string;
}

export type CheckKind = "split" | "sticky" | "delay" | "abort" | "circuitBreaker" | "mtls" | "authz" | "rateLimit" | "timeout" | "retries" | "egress";

const FORTIO_POD = `export FORTIO_POD=$(kubectl get pods -l app=fortio -o 'jsonpath={.items[0].metadata.name}')`;
const fortio = (args: string, url: string) => `kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load ${args} -loglevel Warning ${url}`;
const NGINX_LOAD = fortio("-c 2 -qps 0 -t 200s", "http://nginx-service:8000");
// The course's delay runs: a client timeout (11 s) above the injected delay (10 s).
const DELAY_LOAD = fortio("-c 2 -qps 0 -t 20s", "--timeout 11s http://nginx-service:8000");
const SERVICEX_LOAD = fortio("-c 2 -qps 0 -n 200", "http://servicex-service");
const CURL_LOOP = "while true;do curl http://localhost:8000; sleep 0.5; done;";
const KIALI = "istioctl dashboard kiali";
const inMesh = (args: string) => `kubectl exec "$FORTIO_POD" -c fortio -- fortio curl ${args}`;

const scenario = (id: string) => `examples/scenarios/${id}.yaml`;

export const LESSONS: readonly Lesson[] = [
    {
        id: "09-canary-90-10",
        title: "Canary by weight, 90/10",
        section: "Criando virtual service e destination rule",
        scenario: scenario("09-canary-90-10"),
        measures: ["split"],
        observe: "nginx-vs sends about 90 % of the calls to v1 (Full Cycle A) and 10 % to v2 (Full Cycle B), one pod each.",
        tryByHand: [
            { run: FORTIO_POD, expect: "FORTIO_POD holds the fortio-deploy pod's name" },
            { run: NGINX_LOAD, expect: "Code 200 : 100 % of the calls" },
            { run: KIALI, expect: "Graph, nginx-service: about 90 % of the requests to nginx (v1), 10 % to nginx-b (v2)" },
        ],
    },
    {
        id: "09-canary-75-25",
        title: "Canary by weight, 75/25",
        section: "Criando deploy canário em segundos com istio e kiali",
        scenario: scenario("09-canary-75-25"),
        measures: ["split"],
        observe: "The split moves to about 75 % v1 and 25 % v2, in the mesh and at the ingress gateway alike.",
        tryByHand: [
            { run: NGINX_LOAD, expect: "Code 200 : 100 % of the calls" },
            { run: CURL_LOOP, expect: "about one Full Cycle B in four answers" },
            { run: KIALI, expect: "Graph, nginx-service: about 75 % to v1, 25 % to v2" },
        ],
    },
    {
        id: "09-canary-20-80",
        title: "Canary by weight, 20/80 with 8 and 18 pods",
        section: "Criando deploy canário em segundos com istio e kiali",
        scenario: scenario("09-canary-20-80"),
        measures: ["split"],
        observe: "With 8 nginx and 18 nginx-b pods the split is still 20/80: the weights decide it, not the pod counts.",
        tryByHand: [
            { run: "kubectl get pods -L app,version", expect: "8 pods version A and 18 version B, each 2/2 (app + sidecar)" },
            { run: NGINX_LOAD, expect: "Code 200 : 100 % of the calls" },
            { run: KIALI, expect: "Graph, nginx-service: about 20 % to v1, 80 % to v2" },
        ],
    },
    {
        id: "10-load-balancer",
        title: "Load balancer: ROUND_ROBIN, v1 LEAST_REQUEST",
        section: "Tipos de load balancer",
        scenario: scenario("10-load-balancer"),
        measures: [],
        unmeasured: "a load-balancing algorithm leaves no trace a client can measure soundly from a few hundred calls: watch the per-pod request counts in Kiali or Grafana",
        observe: "nginx-dr balances the host ROUND_ROBIN and subset v1 LEAST_REQUEST (the course's LEAST_CONN); the 90/10 split is unchanged.",
        tryByHand: [
            { run: "kubectl get destinationrule nginx-dr -o yaml", expect: "trafficPolicy.loadBalancer.simple: ROUND_ROBIN; subset v1: LEAST_REQUEST" },
            { run: NGINX_LOAD, expect: "Code 200 : 100 % of the calls" },
        ],
    },
    {
        id: "10-load-balancer-random",
        title: "Load balancer: RANDOM, v1 LEAST_REQUEST",
        section: "Tipos de load balancer",
        scenario: scenario("10-load-balancer-random"),
        measures: [],
        unmeasured: "a load-balancing algorithm leaves no trace a client can measure soundly from a few hundred calls: watch the per-pod request counts in Kiali or Grafana",
        observe: "The host-wide algorithm becomes RANDOM; the split stays 90/10.",
        tryByHand: [
            { run: "kubectl get destinationrule nginx-dr -o yaml", expect: "trafficPolicy.loadBalancer.simple: RANDOM" },
            { run: NGINX_LOAD, expect: "Code 200 : 100 % of the calls" },
        ],
    },
    {
        id: "11-sticky-sessions",
        title: "Sticky sessions: consistent hash on x-user",
        section: "Consistent hash na prática",
        scenario: scenario("11-sticky-sessions"),
        measures: ["sticky"],
        observe: "One subset `all` spans both versions; every call with the same x-user header reaches the same pod.",
        tryByHand: [
            { run: inMesh(`-H 'x-user: testUser' http://nginx-service:8000`), expect: "the same page (Full Cycle A or B) on every repeat" },
            { run: inMesh(`-H 'x-user: testUser-2' http://nginx-service:8000`), expect: "the same page on every repeat, not necessarily testUser's" },
        ],
    },
    {
        id: "11-sticky-canary",
        title: "Sticky canary: 90/10 by weight, then kept by a cookie",
        section: "Consistent hash na prática",
        scenario: scenario("11-sticky-canary"),
        measures: ["split", "sticky"],
        observe: "A first call is split 90/10 and sets the cookie nginx-version; later calls with it stay on the same subset (this project's answer to istio/istio#9764).",
        tryByHand: [
            { run: "curl -s -c /tmp/jar -b /tmp/jar http://localhost:8000", expect: "the first answer sets nginx-version=v1 or v2; repeats give the same page" },
        ],
    },
    {
        id: "12-fault-delay",
        title: "Fault injection: 10 s delay on 100 % of the calls",
        section: "Fault injection na prática",
        scenario: scenario("12-fault-delay"),
        measures: ["delay"],
        observe: "Every call to nginx-service waits 10 s, injected by the caller's proxy.",
        tryByHand: [{ run: DELAY_LOAD, expect: "target 50 % about 10.0 s: every call waited" }],
    },
    {
        id: "12-fault-delay-50",
        title: "Fault injection: 10 s delay on 50 % of the calls",
        section: "Fault injection na prática",
        scenario: scenario("12-fault-delay-50"),
        measures: ["delay"],
        observe: "About half the calls wait 10 s, the others answer at once.",
        tryByHand: [{ run: DELAY_LOAD, expect: "about half the calls near 10 s, the rest in milliseconds" }],
    },
    {
        id: "12-fault-delay-0",
        title: "Fault injection: delay rule at 0 %",
        section: "Fault injection na prática",
        scenario: scenario("12-fault-delay-0"),
        measures: ["delay"],
        observe: "The delay rule stays but applies to no call: every call answers in milliseconds.",
        tryByHand: [{ run: DELAY_LOAD, expect: "target 99 % under a second; thousands of calls in 20 s" }],
    },
    {
        id: "12-fault-abort",
        title: "Fault injection: abort with 500 on 100 % of the calls",
        section: "Fault injection na prática",
        scenario: scenario("12-fault-abort"),
        measures: ["abort"],
        observe: "Every call to nginx-service gets HTTP 500 from the caller's proxy, without reaching nginx.",
        tryByHand: [{ run: DELAY_LOAD, expect: "Aborting because of error 500 for http://nginx-service:8000" }],
    },
    {
        id: "13-no-circuit-breaker",
        title: "servicex without a circuit breaker",
        section: "Preparando ambiente para circuit breaker",
        scenario: scenario("13-no-circuit-breaker"),
        measures: [],
        unmeasured: "the lesson removes the breaker: nothing is declared to measure (by hand, the 504s keep coming)",
        observe: "No DestinationRule for servicex-service: about half the calls wait 5 s for servicex-error's 504.",
        tryByHand: [
            { run: fortio("-c 2 -qps 0 -n 20", "http://servicex-service"), expect: "Code 200 about 50 %, Code 504 about 50 %" },
            { run: KIALI, expect: "Graph: servicex-error in red, no lightning bolt on servicex-service" },
        ],
    },
    {
        id: "13-circuit-breaker",
        title: "Circuit breaker: eject after 5 gateway errors",
        section: "Circuit breaker na prática",
        scenario: scenario("13-circuit-breaker"),
        measures: ["circuitBreaker"],
        observe: "circuit-breaker-servicex ejects the failing pod after 5 consecutive 5xx gateway errors; the next run sees only 200.",
        tryByHand: [
            { run: SERVICEX_LOAD, expect: "first run: about 195 × 200 and 5 × 504" },
            { run: SERVICEX_LOAD, expect: "within 30 s: Code 200 : 200 (100.0 %)" },
            { run: KIALI, expect: "Graph: a lightning bolt on servicex-service (circuit breaker)" },
        ],
    },
    {
        id: "13-circuit-breaker-10-errors",
        title: "Circuit breaker: eject after 10 gateway errors",
        section: "Circuit breaker na prática",
        scenario: scenario("13-circuit-breaker-10-errors"),
        measures: ["circuitBreaker"],
        observe: "The threshold is 10: the first run sees about 10 × 504 before the pod is ejected.",
        tryByHand: [
            { run: SERVICEX_LOAD, expect: "first run: about 10 × 504 (the course saw 35 with the rule applied mid-run)" },
            { run: SERVICEX_LOAD, expect: "within 30 s: Code 200 : 200 (100.0 %)" },
        ],
    },
    {
        id: "14-retries-timeout",
        title: "Retries and timeouts",
        section: "Principais Recursos",
        scenario: scenario("14-retries-timeout"),
        measures: ["retries", "timeout"],
        observe: "Calls to nginx-service are retried up to 3 times (2 s per try) and give up after 10 s in all.",
        tryByHand: [
            { run: "kubectl get virtualservice nginx-vs -o yaml", expect: "retries: attempts 3, perTryTimeout 2s; timeout: 10s" },
            { run: NGINX_LOAD, expect: "Code 200 : 100 % of the calls" },
        ],
    },
    {
        id: "15-ingress-gateway",
        title: "Ingress gateway: localhost:8000 through the proxy",
        section: "Configurando ingress gateway",
        scenario: scenario("15-ingress-gateway"),
        measures: ["split"],
        observe: "nginx-vs is bound to ingress-gateway-k3d, 100/0 over v1/v2: http://localhost:8000 now obeys the rules.",
        tryByHand: [
            { run: CURL_LOOP, expect: "Full Cycle A on every answer" },
            { run: "kubectl get gateway,virtualservice", expect: "Gateway ingress-gateway-k3d; VirtualService nginx-vs with hosts [\"*\"] and gateways [ingress-gateway-k3d]" },
        ],
    },
    {
        id: "16-prefix-routing",
        title: "Routing by URI prefix: /b to v2",
        section: "Trabalhando com prefixos",
        scenario: scenario("16-prefix-routing"),
        measures: ["split"],
        observe: "At the gateway, /b goes to v2 and every other path to v1.",
        tryByHand: [
            { run: "curl http://localhost:8000/b", expect: "nginx-b answers (404: it has no /b page, as in the course)" },
            { run: "curl http://localhost:8000/", expect: "Full Cycle A" },
        ],
    },
    {
        id: "17-host-routing",
        title: "Routing by host: a.fullcycle and b.fullcycle",
        section: "Configurando domínios",
        scenario: scenario("17-host-routing"),
        measures: ["split"],
        observe: "The Gateway accepts *.fullcycle; a.fullcycle reaches v1, b.fullcycle v2, and localhost finds no route.",
        tryByHand: [
            { run: "echo '127.0.0.1 a.fullcycle b.fullcycle' | sudo tee -a /etc/hosts", expect: "ping a.fullcycle answers from 127.0.0.1" },
            { run: "curl http://a.fullcycle:8000", expect: "Full Cycle A" },
            { run: "curl http://b.fullcycle:8000", expect: "Full Cycle B" },
        ],
    },
    {
        id: "18-security",
        title: "Security: mTLS, who may call servicex, 200 req/s, an external API with a timeout",
        section: "Principais Recursos",
        scenario: scenario("18-security"),
        measures: ["mtls", "authz", "rateLimit", "timeout", "egress"],
        observe: "Only fortio may call servicex-service (others get 403), servicex's pods let through 200 req/s (429 above), and httpbin.org calls time out after 3 s.",
        tryByHand: [
            { run: inMesh("http://servicex-service"), expect: "HTTP 200 from fortio, an allowed caller" },
            { run: `kubectl exec deploy/nginx -c nginx -- curl -s -o /dev/null -w '%{http_code}' http://servicex-service`, expect: "403 (RBAC: access denied): nginx is not on the list" },
            { run: fortio("-c 8 -qps 1000 -t 10s", "http://servicex-service"), expect: "Code 429 on part of the calls: each servicex pod lets 200 req/s through" },
        ],
    },
];

export function lessonById(id: string): Lesson | undefined {
    return LESSONS.find((l) => l.id === id);
}
