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

/**
 * The ingress URL on a cloud cluster: the gateway Service's load balancer hostname (AWS) or IP, read
 * back from the cluster. The Kubernetes provider treats a LoadBalancer Service as ready only once the
 * cloud has assigned that address, and the read waits for the whole gateway chart.
 */
export class IngressGatewayAddress extends pulumi.ComponentResource {
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: IngressGatewayAddressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:ingress:IngressGatewayAddress", name, {}, opts);
        const svc = k8s.core.v1.Service.get(name, `${args.namespace}/${args.service}`, { parent: this, provider: args.provider, dependsOn: [args.gateway] });
        const pending = `(no address yet: kubectl -n ${args.namespace} get service ${args.service}, then pulumi up again)`;
        this.url = svc.status.apply((status) => ingressUrlFromStatus(status, args.port) ?? pending);
        this.registerOutputs({ url: this.url });
    }
}
