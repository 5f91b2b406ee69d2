/**
 * The charts the ambient data plane adds, as Istio's Helm guide installs them
 * (istio.io docs/ambient/install/helm, stored copy 05f8505d): istiod with `profile: ambient`, then
 * `cni` with `profile: ambient` and the cluster's platform, then `ztunnel`. Values read on the 1.30
 * charts (istio/istio release-1.30, 2026-12): cni reads `.Values.hub | default .Values.global.hub`
 * (and copies anything under `cni.` to the top); ztunnel reads `.Values.hub` and flattens `global.*`
 * onto the top level; both take `resources` at the top. Pure.
 */
import type { MeshConfig } from "../../config/types";
import { ISTIO_HELM_REPO } from "../../config/versions";
import { AMBIENT_REQUESTS } from "../ambient/footprint";
import { ambientPlatform } from "../ambient/platform";
import type { HelmChartSpec } from "./charts";

/** Helm release names, as the Helm guide names them (`helm install istio-cni istio/cni`, `helm install ztunnel istio/ztunnel`). */
export const CNI_RELEASE = "istio-cni";
export const ZTUNNEL_RELEASE = "ztunnel";

/**
 * Istio's image hub for the node agents: the pin istiod's images come from (versions.istioHub,
 * mesh/istio/charts.ts istioImageHubValues); the 1.30 charts default to the retired registry.istio.io.
 */
function hubOf(cfg: MeshConfig): string {
    return cfg.versions.istioHub;
}

const platformValues = (cfg: MeshConfig): Record<string, unknown> => {
    const p = ambientPlatform(cfg.cluster, cfg.dataplane)?.platform;
    return p ? { platform: p } : {};
};

const globals = (g: Record<string, unknown>): Record<string, unknown> => (Object.keys(g).length ? { global: g } : {});

/** The CNI node agent: it sets up each ambient pod's redirection to ztunnel. */
export function cniChart(cfg: MeshConfig): HelmChartSpec {
    const hub = hubOf(cfg);
    return {
        release: CNI_RELEASE,
        chart: "cni",
        version: cfg.versions.istio,
        repo: ISTIO_HELM_REPO,
        namespace: cfg.istio.namespace,
        values: {
            profile: "ambient",
            hub,
            global: { ...platformValues(cfg), hub },
            resources: { requests: { ...AMBIENT_REQUESTS } },
        },
    };
}

/** ztunnel, a DaemonSet: mTLS (HBONE) and L4 policy for every ambient pod on its node. The docs install it without a profile. */
export function ztunnelChart(cfg: MeshConfig): HelmChartSpec {
    const hub = hubOf(cfg);
    const platform = platformValues(cfg);
    return {
        release: ZTUNNEL_RELEASE,
        chart: "ztunnel",
        version: cfg.versions.istio,
        repo: ISTIO_HELM_REPO,
        namespace: cfg.istio.namespace,
        values: {
            hub,
            ...globals(platform),
            resources: { requests: { ...AMBIENT_REQUESTS } },
        },
    };
}
