/**
 * `k3d image import` of an image from the local Docker daemon into every node of the cluster. `--mode
 * direct` fails when a node fails; the default mode (tools-node) only logs per-node failures and exits 0.
 */
export function k3dImageImportScript(ref: string, clusterName: string): string {
    return `set -eu\nk3d image import --mode direct ${ref} -c ${clusterName}\n`;
}
