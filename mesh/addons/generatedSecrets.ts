/**
 * Secrets the addons need but the user did not set (Kiali's signing key, Grafana's admin password on
 * any cluster but k3d). The plan stays pure: it names each one, where it goes in a chart's values and
 * how long it is; components/Addons.ts makes it a random.RandomPassword (created once, kept in the
 * state as a secret, stable across updates) and puts its result there.
 */
import type { MeshConfig } from "../../config/types";

export interface GeneratedSecret {
    /** Pulumi resource name of the RandomPassword. */
    name: string;
    /** Helm release whose values take it. */
    release: string;
    /** Path in those values. */
    path: string[];
    length: number;
}

/** What the pure plan (and `render` of the plan) shows where a generated secret goes. */
export const GENERATED_PLACEHOLDER = "[generated at deploy time]";

export const KIALI_SIGNING_KEY: GeneratedSecret = { name: "kiali-signing-key", release: "kiali", path: ["login_token", "signing_key"], length: 32 };
export const GRAFANA_ADMIN_PASSWORD: GeneratedSecret = { name: "grafana-admin-password", release: "grafana", path: ["adminPassword"], length: 24 };

export function generatedSecrets(cfg: MeshConfig): GeneratedSecret[] {
    const a = cfg.addons;
    return [
        ...(a.prometheus.enabled && a.grafana.enabled && !a.grafana.anonymous && a.grafana.adminPassword === undefined ? [GRAFANA_ADMIN_PASSWORD] : []),
        ...(a.prometheus.enabled && a.kiali.enabled && a.kiali.auth === "token" && !a.kiali.signingKeyFromConfig ? [KIALI_SIGNING_KEY] : []),
    ];
}

/** A copy of `values` with `value` at `path` (objects along the path copied, nothing else touched). */
export function withValueAt(values: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
    const [head, ...rest] = path;
    const inner = values[head];
    return { ...values, [head]: rest.length === 0 ? value : withValueAt(inner && typeof inner === "object" ? (inner as Record<string, unknown>) : {}, rest, value) };
}
