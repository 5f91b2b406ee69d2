/**
 * verify on the ambient data plane: is every pod of the workload namespace really in the mesh? A pod is
 * when istio-cni has set up its redirection (it writes `ambient.istio.io/redirection: enabled` on the
 * pod; `pending` while no ztunnel has taken it) and ztunnel listens inside the pod's network namespace
 * on 15001 (outbound), 15006 (inbound plain text) and 15008 (inbound HBONE) — istio.io
 * docs/ambient/architecture/traffic-redirection, which checks the same listeners with `ss -ntlp`. The
 * listeners are read from /proc/net/tcp{,6} with `cat` in a container of the pod (a socket belongs to
 * its network namespace, whichever process opened it), where the image has a `cat`.
 * After `k3d cluster stop` / `start` pods can keep the annotation and lose the redirection (istio#60882:
 * traffic bypasses ztunnel; #57285: ztunnel's sockets missing; both open in 2026-12): this is what
 * finds them, and says how to recover. Pure: the probe reads, this judges.
 */
import type { Row } from "./verdicts";

/** The ports ztunnel listens on inside each ambient pod. */
export const ZTUNNEL_POD_PORTS = [15001, 15006, 15008] as const;

export interface PodCapture {
    name: string;
    /** The Deployment it belongs to (what `kubectl rollout restart` takes). */
    workload: string;
    /** `ambient.istio.io/redirection`, as istio-cni wrote it (undefined: never). */
    redirection?: string;
    /** Ports in LISTEN in the pod's network namespace; undefined when they could not be read. */
    listening?: number[];
    /** Why the listeners could not be read (an image without `cat`, say). */
    inspectError?: string;
}

export interface CaptureReport {
    namespace: string;
    namespaceLabels: Record<string, string>;
    /** The pods expected in ambient: Running, not opted out (`istio.io/dataplane-mode: none`), not waypoints. */
    pods: PodCapture[];
}

/**
 * The ports in LISTEN (state 0A) in `/proc/net/tcp` and `/proc/net/tcp6` text: each line is
 * `sl local_address rem_address st …`, the address `HEXIP:HEXPORT`.
 */
export function listeningPorts(procNetTcp: string): number[] {
    const ports = new Set<number>();
    for (const line of procNetTcp.split("\n")) {
        const f = line.trim().split(/\s+/);
        if (f.length < 4 || !/^\d+:$/.test(f[0]) || f[3] !== "0A") continue;
        const port = parseInt(f[1].split(":").pop() ?? "", 16);
        if (Number.isInteger(port)) ports.add(port);
    }
    return [...ports].sort((a, b) => a - b);
}

/** A Deployment's pod is `<deployment>-<pod-template-hash>-<suffix>`. */
export function deploymentOf(podName: string, templateHash: string | undefined): string {
    if (templateHash) {
        const i = podName.lastIndexOf(`-${templateHash}-`);
        if (i > 0) return podName.slice(0, i);
    }
    return podName;
}

const POLICY = "ambient data plane";
const CHECK_NS = "namespace enrolled in ambient";
const CHECK_PODS = "pods redirected to ztunnel";

/** What to run to recover, and why. */
export function recovery(namespace: string, workloads: string[]): string {
    return (
        `recreate them: kubectl -n ${namespace} rollout restart deployment ${workloads.join(" ")}` +
        ` (istio#60882, #57285: after a node restart or k3d cluster stop/start, pods can lose their ztunnel redirection); ` +
        `if every pod is affected, restart the node agents first: kubectl -n istio-system rollout restart daemonset ztunnel istio-cni-node`
    );
}

export function captureRows(r: CaptureReport): Row[] {
    const rows: Row[] = [];
    const labels = r.namespaceLabels;
    const ambient = labels["istio.io/dataplane-mode"] === "ambient";
    const injected = labels["istio-injection"] === "enabled" || (labels["istio.io/rev"] ?? "") !== "";
    const nsExpected = "istio.io/dataplane-mode=ambient, and no sidecar injection label";
    if (!ambient) rows.push({ policy: POLICY, check: `${CHECK_NS} (${r.namespace})`, expected: nsExpected, observed: `not labelled istio.io/dataplane-mode=ambient`, verdict: "FAIL", reason: `its pods are not in the mesh: run npm run up (it labels the namespace)` });
    else if (injected) {
        const which = labels["istio-injection"] === "enabled" ? "istio-injection=enabled" : `istio.io/rev=${labels["istio.io/rev"]}`;
        rows.push({ policy: POLICY, check: `${CHECK_NS} (${r.namespace})`, expected: nsExpected, observed: `also labelled ${which}`, verdict: "FAIL", reason: `new pods get a sidecar and leave ambient (MESH020): kubectl label namespace ${r.namespace} ${which.split("=")[0]}- and restart the pods` });
    } else rows.push({ policy: POLICY, check: `${CHECK_NS} (${r.namespace})`, expected: nsExpected, observed: "istio.io/dataplane-mode=ambient", verdict: "PASS" });

    const expected = `every pod: ambient.istio.io/redirection=enabled, ztunnel listening on ${ZTUNNEL_POD_PORTS.join("/")} in the pod`;
    if (r.pods.length === 0) {
        rows.push({ policy: POLICY, check: CHECK_PODS, expected, observed: "no Running pod", verdict: "ERROR", reason: `no Running pod to look at in namespace ${r.namespace}: deploy the stack (npm run up)` });
        return rows;
    }
    const bad: { pod: PodCapture; why: string }[] = [];
    for (const p of r.pods) {
        if (p.redirection !== "enabled") bad.push({ pod: p, why: p.redirection === "pending" ? "redirection pending: no ztunnel has taken it, its traffic goes nowhere" : "never redirected by istio-cni (no ambient.istio.io/redirection)" });
        else if (p.listening) {
            const missing = ZTUNNEL_POD_PORTS.filter((port) => !p.listening!.includes(port));
            if (missing.length) bad.push({ pod: p, why: `ztunnel no longer listens on ${missing.join(", ")} in it: its traffic bypasses ztunnel` });
        }
    }
    const inspected = r.pods.filter((p) => p.listening).length;
    if (bad.length === 0) {
        const notInspected = r.pods.length - inspected;
        rows.push({
            policy: POLICY,
            check: CHECK_PODS,
            expected,
            observed: `${r.pods.length} pod${r.pods.length === 1 ? "" : "s"} redirected; ztunnel's listeners seen in ${inspected}${notInspected ? ` (${notInspected} by the annotation only: ${[...new Set(r.pods.filter((p) => !p.listening).map((p) => p.workload))].join(", ")} has no cat)` : ""}`,
            verdict: "PASS",
        });
        return rows;
    }
    const workloads = [...new Set(bad.map((b) => b.pod.workload))];
    rows.push({
        policy: POLICY,
        check: CHECK_PODS,
        expected,
        observed: bad.map((b) => `${b.pod.name}: ${b.why}`).join("; "),
        verdict: "FAIL",
        reason: recovery(r.namespace, workloads),
    });
    return rows;
}
