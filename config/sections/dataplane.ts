import { Node } from "../reader";
import type { ClusterKind, CniPlatform, DataplaneConfig, DataplaneMode, WaypointPolicy } from "../types";

export const DATAPLANE_MODES: readonly DataplaneMode[] = ["sidecar", "ambient"];
const WAYPOINT_POLICIES: readonly WaypointPolicy[] = ["auto", "none"];

/**
 * The `global.platform` values the Istio 1.30 cni and ztunnel charts know (their
 * files/profile-platform-<name>.yaml, checked 2026-12 on istio/istio release-1.30); an unknown one makes
 * the chart's render fail ("unknown platform"). OpenShift is left out: it also needs cni and ztunnel in
 * kube-system and the platform on every chart, which this lab does not do.
 */
export const CNI_PLATFORMS: readonly CniPlatform[] = ["k3d", "k3s", "gke", "minikube", "microk8s"];

export const SIDECAR: DataplaneConfig = { mode: "sidecar", waypoints: "auto" };

/**
 * `istio-mesh:dataplane`: `sidecar` (the default: an Envoy in every pod) or `ambient` (ztunnel on every
 * node for mTLS and L4 policy, a waypoint proxy for the services whose policies need L7). Written as the
 * mode alone, or as `{mode, waypoints, platform}`:
 * - `waypoints`: `auto` (a waypoint for the services whose policies need one; mesh/ambient/waypoints.ts)
 *   or `none` (ztunnel only: the gate then says which L7 policies would do nothing);
 * - `platform`: the cni chart's platform on an existing cluster whose CNI paths are not the defaults
 *   (k3d and EKS are known from cluster.kind: mesh/ambient/platform.ts).
 */
export function parseDataplane(n: Node, clusterKind: ClusterKind): DataplaneConfig {
    if (!n.isSet) return SIDECAR;
    if (typeof n.value === "string") return { mode: n.oneOf<DataplaneMode>("sidecar", DATAPLANE_MODES), waypoints: "auto" };
    if (typeof n.value !== "object" || Array.isArray(n.value)) {
        n.problems.add(n.path, `${n.shown()} is not allowed; expected sidecar, ambient, or {mode: ambient, waypoints: auto|none, platform: <name>}`);
        return SIDECAR;
    }
    n.object(["mode", "waypoints", "platform"]);
    const modeN = n.child("mode");
    if (!modeN.isSet) n.problems.add(modeN.path, `is required: sidecar or ambient`);
    const mode = modeN.oneOf<DataplaneMode>("sidecar", DATAPLANE_MODES);
    const waypointsN = n.child("waypoints");
    const waypoints = waypointsN.oneOf<WaypointPolicy>("auto", WAYPOINT_POLICIES);
    const ambientOnly = (c: Node, what: string) => {
        if (c.isSet && mode !== "ambient") c.problems.add(c.path, `is a setting of the ambient data plane (${what}); remove it, or set ${n.path}.mode: ambient`);
    };
    ambientOnly(waypointsN, "where waypoint proxies run");
    const platformN = n.child("platform");
    ambientOnly(platformN, "the cni chart's platform");
    let platform: CniPlatform | undefined;
    if (platformN.isSet && mode === "ambient") {
        if (clusterKind === "k3d") {
            if (platformN.value !== "k3d") n.problems.add(platformN.path, `${platformN.shown()} does not apply to cluster.kind k3d: the program sets platform k3d itself (k3d's CNI paths); remove it`);
        } else if (clusterKind === "eks") {
            n.problems.add(platformN.path, `does not apply to cluster.kind eks: EKS keeps its CNI files where the cni chart looks by default (/opt/cni/bin, /etc/cni/net.d); remove it`);
        } else if (platformN.value === "openshift") {
            n.problems.add(platformN.path, `"openshift" is not supported by this lab: OpenShift needs istio-cni and ztunnel in kube-system and the platform on every chart (istio.io ambient platform prerequisites); use the sidecar data plane there`);
        } else {
            // "none": the chart's default paths (/opt/cni/bin, /etc/cni/net.d), as on most clusters.
            const p = platformN.oneOf<CniPlatform | "none">("none", [...CNI_PLATFORMS, "none"]);
            platform = p === "none" ? undefined : p;
        }
    }
    return { mode, waypoints, ...(platform ? { platform } : {}) };
}
