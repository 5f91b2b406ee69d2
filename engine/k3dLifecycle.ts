/**
 * The k3d cluster as k3d sees it against what the stack's state remembers, decided before the engine
 * runs. A `local.Command` has no read, so the engine alone cannot tell that the cluster was deleted by
 * hand (it would report "no changes") or that a cluster of the same name exists outside the state (the
 * create would fail with "already exists"). Pure: the k3d listing and the state come in as values.
 */
import type { K3dClusterConfig } from "../config/types";
import { clusterResourceName } from "../mesh/k3d/K3dConfig";
import type { LifecycleCommand, StateSummary } from "./engine";

/** One entry of `k3d cluster list -o json` (k3d v5 cmd/cluster/clusterList.go). */
export interface K3dClusterStatus {
    name: string;
    serversRunning: number;
    serversCount: number;
}

/** `k3d cluster list -o json` → its clusters; undefined when the output is not that list. */
export function parseK3dClusterList(stdout: string): K3dClusterStatus[] | undefined {
    let doc: unknown;
    try {
        doc = JSON.parse(stdout.trim() || "[]");
    } catch {
        return undefined;
    }
    if (!Array.isArray(doc)) return undefined;
    return doc.flatMap((c) =>
        c && typeof c.name === "string" ? [{ name: c.name, serversRunning: Number(c.serversRunning ?? 0), serversCount: Number(c.serversCount ?? 0) }] : [],
    );
}

export type K3dPlan =
    /** Go on; `replace` goes to the engine as `--replace`, `notes` are printed first. */
    | { kind: "proceed"; replace: string[]; notes: string[] }
    /** Stop before the engine runs (exit 2): nothing has changed; the problem says what to run. */
    | { kind: "stop"; problem: string };

export interface K3dPlanInput {
    command: LifecycleCommand;
    stack: string;
    cluster: K3dClusterConfig;
    state: StateSummary;
    /** `k3d cluster list`; undefined when it could not be read (the preflight has already checked k3d). */
    clusters: K3dClusterStatus[] | undefined;
}

/** The state's URN of the `k3d cluster create` command of this cluster, if the state has it. */
export function clusterUrnIn(urns: string[], cluster: K3dClusterConfig): string | undefined {
    const suffix = `$command:local:Command::${clusterResourceName(cluster)}`;
    return urns.find((u) => u.endsWith(suffix));
}

export function k3dPlan(i: K3dPlanInput): K3dPlan {
    const name = i.cluster.name;
    const urn = clusterUrnIn(i.state.resources.map((r) => r.urn), i.cluster);
    const interrupted = clusterUrnIn(i.state.pending, i.cluster) !== undefined;
    const k3d = i.clusters?.find((c) => c.name === name);
    const proceed = (replace: string[] = [], notes: string[] = []): K3dPlan => ({ kind: "proceed", replace, notes });
    if (i.clusters === undefined) return proceed();
    const flag = i.stack === "dev" ? "" : ` -- --stack ${i.stack}`;

    if (i.command === "down") {
        if (urn && !k3d) return proceed([], [`the k3d cluster "${name}" no longer exists (deleted outside Pulumi): down only forgets what the state held for it.`]);
        if (!urn && k3d) return proceed([], [`a k3d cluster "${name}" exists that the state of stack "${i.stack}" does not know: down leaves it; delete it with: k3d cluster delete ${name}`]);
        return proceed();
    }

    if (!urn && k3d) {
        const why = interrupted ? "the state records a create of it that was interrupted (Ctrl-C or a crash)" : "its state was deleted, the backend changed (PULUMI_BACKEND_URL), or a create was interrupted";
        return {
            kind: "stop",
            problem:
                `a k3d cluster named "${name}" exists, but the state of stack "${i.stack}" does not know it (${why}); ` +
                `k3d would refuse to create it again ("already exists"). Nothing was changed. Either delete it, with everything in it: ` +
                `k3d cluster delete ${name} && npm run ${i.command}${flag}; or give this stack another cluster: ` +
                `npm run pulumi -- config set --path 'istio-mesh:cluster.name' <name>`,
        };
    }
    if (urn && k3d && k3d.serversRunning < k3d.serversCount) {
        return {
            kind: "stop",
            problem:
                `the k3d cluster "${name}" is stopped (${k3d.serversRunning}/${k3d.serversCount} servers running): the engine cannot reach it, and would ` +
                `treat its objects as gone. Nothing was changed. Start it and run again: k3d cluster start ${name} && npm run ${i.command}${flag}`,
        };
    }
    if (urn && !k3d) {
        return proceed(
            [urn],
            [`the k3d cluster "${name}" no longer exists (deleted outside Pulumi): ${i.command === "up" ? "up recreates it" : "up would recreate it"}, with everything in it (engine --replace of its create command).`],
        );
    }
    return proceed();
}
