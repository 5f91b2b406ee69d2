import type { ServiceEntryConfig } from "../../config/security";
import { ISTIO_NETWORKING, K8sObject } from "../objects";

/** Registers an external API in the mesh, so calls to it get telemetry and policies (timeouts). */
export function serviceEntry(e: ServiceEntryConfig, namespace: string): K8sObject {
    return {
        apiVersion: ISTIO_NETWORKING,
        kind: "ServiceEntry",
        metadata: { name: e.name, namespace },
        spec: { hosts: [e.host], location: "MESH_EXTERNAL", resolution: "DNS", ports: [{ number: e.port, name: `${e.protocol.toLowerCase()}-${e.port}`, protocol: e.protocol }] },
    };
}

/** Timeout for calls from the mesh to the external API (the course's "timeout with an external API"). */
export function externalTimeoutVirtualService(e: ServiceEntryConfig, namespace: string): K8sObject | undefined {
    if (!e.timeout) return undefined;
    return {
        apiVersion: ISTIO_NETWORKING,
        kind: "VirtualService",
        metadata: { name: `${e.name}-timeout`, namespace },
        spec: { hosts: [e.host], http: [{ timeout: e.timeout, route: [{ destination: { host: e.host, port: { number: e.port } } }] }] },
    };
}
