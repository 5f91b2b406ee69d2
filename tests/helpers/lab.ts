import type { CheckKind } from "../../lab/lessons";
/** Fakes for the lab's tests: an engine that records what it is asked and a verify that answers on cue. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import type { ConfigMap } from "../../lab/compose";
import type { LabEngine, Preview } from "../../lab/engine";
import type { Measure, VerifyResult } from "../../lab/measure";
import type { MeshConfig } from "../../config/types";

export const ROOT = path.resolve(__dirname, "..", "..");

export const K3D_URN = "urn:pulumi:dev::istio-mesh::istio-mesh:index:Lab$istio-mesh:cluster:K3dCluster$command:local:Command::k3d-cluster";
export const VS_URN = "urn:pulumi:dev::istio-mesh::istio-mesh:index:Lab$istio-mesh:policies:TrafficPolicies$kubernetes:networking.istio.io/v1:VirtualService::nginx-vs";

/** A clock the fakes move forward: every engine and verify step takes a known time. */
export class FakeClock {
    t = 1_700_000_000_000;
    now = () => this.t;
    advance(seconds: number): void {
        this.t += seconds * 1000;
    }
}

export type Call = { op: "setConfig"; config: ConfigMap } | { op: "restore" } | { op: "preview"; config: ConfigMap | "own" } | { op: "up"; config: ConfigMap | "own" };

/**
 * Applies configs the way the real stack would, as far as the guard is concerned: a config whose
 * `istio-mesh:cluster` differs from the stack's own touches the k3d cluster; anything else changes a policy.
 */
export class FakeEngine implements LabEngine {
    readonly calls: Call[] = [];
    private current: ConfigMap | "own" = "own";
    private applied: ConfigMap | "own" = "own";
    failUpFor?: (config: ConfigMap | "own") => boolean;
    /** Set by a test to act in the middle of a step (e.g. press Ctrl-C during a preview). */
    onPreview?: () => void;
    /** Going back to the stack's own config would touch the cluster (e.g. someone changed the stack file meanwhile). */
    restoreTouchesCluster = false;

    constructor(
        private readonly own: ConfigMap,
        private readonly clock: FakeClock,
    ) {}

    async setConfig(config: ConfigMap) {
        this.calls.push({ op: "setConfig", config: structuredClone(config) });
        this.current = config;
    }
    async restore() {
        this.calls.push({ op: "restore" });
        this.current = "own";
    }
    async preview(): Promise<Preview> {
        this.calls.push({ op: "preview", config: this.current });
        this.clock.advance(5);
        this.onPreview?.();
        const cfg = this.current === "own" ? this.own : this.current;
        const before = this.applied === "own" ? this.own : this.applied;
        if (this.current === "own" && this.restoreTouchesCluster) return { steps: [{ urn: K3D_URN, op: "update" }], changes: [] };
        if (!isDeepStrictEqual(cfg["istio-mesh:cluster"], this.own["istio-mesh:cluster"])) {
            return { steps: [{ urn: K3D_URN, op: "update" }], changes: [{ op: "update", title: "command:local:Command k3d-cluster", details: ["k3d-cluster: create changed"] }] };
        }
        if (isDeepStrictEqual(cfg, before)) return { steps: [], changes: [] };
        return { steps: [{ urn: VS_URN, op: "update" }], changes: [{ op: "update", title: "VirtualService nginx-vs", details: ["nginx-vs: route v1 weight 90 → 75"] }] };
    }
    async up() {
        this.calls.push({ op: "up", config: this.current });
        this.clock.advance(30);
        if (this.failUpFor?.(this.current)) throw new Error("update failed: the Kubernetes API server is unreachable\n  (more detail)");
        this.applied = this.current;
    }
    ops(): string[] {
        return this.calls.map((c) => c.op);
    }
}

export type Cue = "PASS" | "FAIL" | "SKIP" | "throw" | "not-converged" | ((cfg: MeshConfig) => void);

const CHECK_KINDS: CheckKind[] = ["split", "sticky", "delay", "abort", "circuitBreaker", "mtls", "authz", "rateLimit", "timeout", "retries", "egress"];

/** verify, faked: the n-th call answers the n-th cue (PASS when there are no more cues). */
export function fakeMeasure(clock: FakeClock, cues: Cue[] = []): { measure: Measure; seen: MeshConfig[] } {
    const seen: MeshConfig[] = [];
    const measure: Measure = async (cfg) => {
        const cue = cues[seen.length] ?? "PASS";
        seen.push(cfg);
        clock.advance(40);
        if (typeof cue === "function") cue(cfg);
        if (cue === "throw") throw new Error("cannot reach the cluster: connect ECONNREFUSED 127.0.0.1:6550");
        const verdict = cue === "FAIL" ? "FAIL" : cue === "SKIP" ? "SKIP" : "PASS";
        const weights = cfg.services.find((s) => s.name === "nginx-service")?.virtualService?.route;
        const r: VerifyResult = {
            // One row per kind of check, so whatever a lesson measures has a row with the cue's verdict.
            rows: CHECK_KINDS.map((kind) => ({ policy: "nginx-vs", check: `${kind} v1`, expected: `${JSON.stringify(weights ?? {})} | share`, observed: verdict === "FAIL" ? "50.0 % (100/200)" : "74.5 % (149/200)", verdict, kind, ...(verdict === "SKIP" ? { reason: "nothing to send" } : {}) })),
            table: "",
            ok: verdict !== "FAIL",
            convergence: { converged: cue !== "not-converged", seconds: 5, how: "istiod sync status" },
            measureSeconds: 35,
        };
        return r;
    };
    return { measure, seen };
}

/** A throw-away project root: the repo's dev stack file and scenarios, plus extra scenario files. */
export function tempRoot(extra: Record<string, string> = {}, stackText?: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-lab-test-"));
    fs.mkdirSync(path.join(dir, "examples", "scenarios"), { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stackText ?? fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml")));
    for (const f of fs.readdirSync(path.join(ROOT, "examples", "scenarios"))) fs.copyFileSync(path.join(ROOT, "examples", "scenarios", f), path.join(dir, "examples", "scenarios", f));
    for (const [f, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, "examples", "scenarios", f), text);
    return dir;
}
