import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ingressUrlFromStatus } from "../mesh/ingress/externalAddress";

export interface IngressGatewayAddressArgs {
    /** The gateway Service the gateway chart creates: `<namespace>/<release>`. */
    namespace: string;
    service: string;
    /** Its plain-HTTP port on the load balancer. */
    port: number;
    provider: k8s.Provider;
    /** The gateway chart: read only once all of its objects are ready. */
    gateway: pulumi.Resource;
}

/** A value not known yet, as the engine's own outputs are during a preview (OutputImpl's constructor, @pulumi/pulumi 3.x). */
function unknownOutput<T>(dependsOn: pulumi.Resource[]): pulumi.Output<T> {
    type OutputCtor = new (resources: Set<pulumi.Resource>, value: Promise<T>, isKnown: Promise<boolean>, isSecret: Promise<boolean>, allResources: Promise<Set<pulumi.Resource>>) => pulumi.Output<T>;
    const Output = pulumi.Output as unknown as OutputCtor;
    return new Output(new Set(dependsOn), Promise.resolve(undefined as T), Promise.resolve(false), Promise.resolve(false), Promise.resolve(new Set(dependsOn)));
}

/**
 * The ingress URL on a cloud cluster: the gateway Service's load balancer hostname (AWS) or IP, read
 * back from the cluster. The Kubernetes provider treats a LoadBalancer Service as ready only once the
 * cloud has assigned that address, and the read waits for the whole gateway chart.
 *
 * Read only in an update, never in a preview: a read step in a preview runs against the cluster at
 * once (the provider's config is known on an existing cluster) and fails while the chart has not
 * created the Service yet, which is every first preview and every `pulumi up` (it previews first).
 * In a preview the URL is unknown, as any output of a resource not created yet.
 */
export class IngressGatewayAddress extends pulumi.ComponentResource {
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: IngressGatewayAddressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:ingress:IngressGatewayAddress", name, {}, opts);
        if (pulumi.runtime.isDryRun()) {
            this.url = unknownOutput<string>([args.gateway]);
        } else {
            const svc = k8s.core.v1.Service.get(name, `${args.namespace}/${args.service}`, { parent: this, provider: args.provider, dependsOn: [args.gateway] });
            const pending = `(no address yet: kubectl -n ${args.namespace} get service ${args.service}, then pulumi up again)`;
            this.url = svc.status.apply((status) => ingressUrlFromStatus(status, args.port) ?? pending);
        }
        this.registerOutputs({ url: this.url });
    }
}
