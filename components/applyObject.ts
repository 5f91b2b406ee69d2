/** Turns one plain object from the plan into the matching Kubernetes resource. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { K8sObject } from "../mesh/objects";

export function applyObject(obj: K8sObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    const name = obj.metadata.name;
    // Typed classes where they exist, so previews diff typed fields; Istio kinds are custom resources.
    switch (`${obj.apiVersion}/${obj.kind}`) {
        case "v1/Namespace":
            return new k8s.core.v1.Namespace(name, obj as k8s.types.input.core.v1.Namespace, opts);
        case "v1/ServiceAccount":
            return new k8s.core.v1.ServiceAccount(name, obj as k8s.types.input.core.v1.ServiceAccount, opts);
        case "v1/ConfigMap":
            return new k8s.core.v1.ConfigMap(name, obj as k8s.types.input.core.v1.ConfigMap, opts);
        case "v1/Service":
            return new k8s.core.v1.Service(name, obj as k8s.types.input.core.v1.Service, opts);
        case "apps/v1/Deployment":
            return new k8s.apps.v1.Deployment(name, obj as unknown as k8s.types.input.apps.v1.Deployment, opts);
        default:
            // Istio's kinds and the Gateway API's (HTTPRoute, Gateway; a waypoint is a Gateway) are custom resources.
            if (!obj.apiVersion.includes("istio.io") && !obj.apiVersion.startsWith("gateway.networking.k8s.io/")) throw new Error(`applyObject: no resource mapping for ${obj.apiVersion} ${obj.kind}`);
            return new k8s.apiextensions.CustomResource(name, obj as k8s.apiextensions.CustomResourceArgs, opts);
    }
}
