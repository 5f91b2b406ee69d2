/** n Services, each with two versions (2 pods each) in subsets v1/v2 split 90/10 by a mesh VirtualService. */
export function syntheticMesh(n: number, name = (i: number) => `svc-${i}`): Record<string, any>[] {
    const out: Record<string, any>[] = [];
    for (let i = 0; i < n; i++) {
        const s = name(i);
        out.push({ kind: "Service", metadata: { name: s, namespace: "default" }, spec: { selector: { app: s }, ports: [{ port: 80 }] } });
        for (const v of ["a", "b"]) out.push({ kind: "Deployment", metadata: { name: `${s}-${v}`, namespace: "default" }, spec: { replicas: 2, template: { metadata: { labels: { app: s, version: v } }, spec: { containers: [{ image: "app" }] } } } });
        out.push({ kind: "DestinationRule", metadata: { name: `${s}-dr`, namespace: "default" }, spec: { host: s, trafficPolicy: { loadBalancer: { simple: "ROUND_ROBIN" } }, subsets: [{ name: "v1", labels: { version: "a" } }, { name: "v2", labels: { version: "b" } }] } });
        out.push({ kind: "VirtualService", metadata: { name: `${s}-vs`, namespace: "default" }, spec: { hosts: [s], http: [{ route: [{ destination: { host: s, subset: "v1" }, weight: 90 }, { destination: { host: s, subset: "v2" }, weight: 10 }] }] } });
    }
    return out;
}
