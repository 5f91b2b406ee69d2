/**
 * Pure decisions behind the engine: the state backend and the secrets passphrase. No Pulumi engine
 * here, so every rule is unit-tested.
 */
import * as path from "path";
import { UsageError } from "../cli/errors";
import type { ClusterKind } from "../config/types";

/**
 * Default: a file backend inside the project (git-ignored). PULUMI_BACKEND_URL selects Pulumi Cloud,
 * S3, … A `file://` URL names a directory this program creates when `up` first needs it (the engine
 * itself refuses a missing one).
 */
export function backendUrl(env: Record<string, string | undefined>, projectRoot: string): { url: string; localDir?: string } {
    const u = env.PULUMI_BACKEND_URL;
    if (u) {
        if (u.startsWith("file://")) {
            const dir = decodeURIComponent(u.slice("file://".length).split("?")[0]);
            if (dir && dir !== "~" && !dir.startsWith("~/")) return { url: u, localDir: path.resolve(dir) };
        }
        return { url: u };
    }
    const dir = path.join(projectRoot, ".pulumi-state");
    return { url: `file://${dir}`, localDir: dir };
}

/** Only for stacks on a local k3d cluster, whose only secret is the cluster's own kubeconfig. */
export const DEV_PASSPHRASE = "istio-mesh-dev-only";

/**
 * Secrets are encrypted with a passphrase unless the backend is Pulumi Cloud. A k3d stack gets a
 * default; any other cluster kind must be given one, so a real credential (an EKS account, an
 * existing cluster's kubeconfig) is never protected by a passphrase written in this repository. The
 * cluster kind decides, not the stack's name: a stack named "dev" on EKS gets no default.
 */
export function passphraseEnv(env: Record<string, string | undefined>, stack: string, clusterKind: ClusterKind): Record<string, string> {
    if (env.PULUMI_CONFIG_PASSPHRASE !== undefined || env.PULUMI_CONFIG_PASSPHRASE_FILE) return {};
    if (env.PULUMI_BACKEND_URL && /^https?:\/\//.test(env.PULUMI_BACKEND_URL)) return {}; // Pulumi Cloud encrypts secrets itself
    if (clusterKind === "k3d") return { PULUMI_CONFIG_PASSPHRASE: DEV_PASSPHRASE };
    throw new UsageError(
        `stack "${stack}" (istio-mesh:cluster.kind ${clusterKind}) needs a secrets passphrase: export PULUMI_CONFIG_PASSPHRASE=... ` +
            `(or PULUMI_CONFIG_PASSPHRASE_FILE=<file>). Only stacks on a local k3d cluster have a built-in one.`,
    );
}
