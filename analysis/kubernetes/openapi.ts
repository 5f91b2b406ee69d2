/**
 * Field types of the Kubernetes OpenAPI schema, per object, with a maintained validator
 * (kubernetes-models, generated from Kubernetes' OpenAPI spec). ESM-only like @kubernetes-models/istio,
 * and loaded the same way (see analysis/schema.ts): a dynamic import the CommonJS build keeps.
 */
import type { K8sObject } from "../../mesh/objects";
import { Finding, resourceName } from "../finding";
import { isGatewayApiObject } from "../gatewayApi/objects";
import { modelLoader, modelViolations } from "../schema";

/** apiVersion/kind → module under kubernetes-models. */
const MODULES: Record<string, string> = {
    "v1/Namespace": "kubernetes-models/v1/Namespace",
    "v1/ServiceAccount": "kubernetes-models/v1/ServiceAccount",
    "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
    "v1/Secret": "kubernetes-models/v1/Secret",
    "v1/Service": "kubernetes-models/v1/Service",
    "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
};

const model = modelLoader((key) => MODULES[key]);

export const OPENAPI_CODE = "K8S001";

export async function openApiFindings(objects: K8sObject[]): Promise<Finding[]> {
    const out: Finding[] = [];
    // Load each kind's model once, then validate synchronously: an await per object costs more than the check.
    const keys = [...new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`))].filter((k) => MODULES[k]);
    const models = new Map(await Promise.all(keys.map(async (k) => [k, await model(k)] as const)));
    for (const o of objects) {
        if (o.apiVersion.includes("istio.io")) continue; // Istio's CRD schemas: analysis/schema.ts
        if (isGatewayApiObject(o)) continue; // the Gateway API's CRDs: analysis/gatewayApi/
        const key = `${o.apiVersion}/${o.kind}`;
        if (!MODULES[key]) {
            out.push({ code: OPENAPI_CODE, severity: "error", resource: resourceName(o), path: "apiVersion", message: `${key} is not a kind this program knows how to check`, fix: "this is a bug in istio-mesh's builders; please report it" });
            continue;
        }
        for (const v of modelViolations(models.get(key)!, o)) {
            out.push({ code: OPENAPI_CODE, severity: "error", resource: resourceName(o), path: v.path, message: `the Kubernetes API server would reject this: does not match the ${o.kind} schema: ${v.message}`, fix: "give the config value the type Kubernetes expects" });
        }
    }
    return out;
}
