import type { K8sObject } from "../../mesh/objects";
import type { Finding } from "../finding";
import { apiFinding, ApiRule } from "./rule";
import { configMapKey } from "./validation";

/** etcd's object limit as the API server applies it to ConfigMap data (ValidateConfigMap). */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

export const configMapData: ApiRule = {
    code: "K8S008",
    name: "ConfigMap data",
    kinds: ["ConfigMap"],
    check(o: K8sObject): Finding[] {
        const out: Finding[] = [];
        let bytes = 0;
        for (const field of ["data", "binaryData"] as const) {
            for (const [k, v] of Object.entries((o[field] ?? {}) as Record<string, unknown>)) {
                const kp = configMapKey(k);
                if (kp) out.push(apiFinding(this, o, `${field}.${k}`, `key ${JSON.stringify(k)} ${kp}`, `use a file-name-like key such as index.html`));
                bytes += Buffer.byteLength(k) + Buffer.byteLength(String(v));
            }
        }
        if (bytes > CONFIG_MAP_MAX_BYTES) out.push(apiFinding(this, o, "data", `data is ${bytes} bytes, more than a ConfigMap's 1 MiB limit`, `keep the content under 1 MiB (serve large files from an image instead)`));
        return out;
    },
};
