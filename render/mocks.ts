/**
 * Runs the real program under Pulumi's mocks and records every resource it registers, in order.
 * This is what `npm run render` prints and what the program tests inspect. No engine, no cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { Machine, OFFLINE, useMachine } from "../stacks/machine";

// Internal (stripped from the .d.ts) but present throughout 3.x: resolves once every outstanding
// registration has completed. Without it a render could print before the last resource registers.
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };

export interface Registered {
    type: string;
    name: string;
    custom: boolean;
    inputs: Record<string, any>;
    /** Provider reference (`<urn>::<id>`) for custom resources. */
    provider?: string;
    /** A read of an existing resource (`.get`), not a resource the program creates. */
    read?: boolean;
}

/** What a fake `k3d kubeconfig get` returns under mocks: never a real credential. */
export const MOCK_KUBECONFIG = "apiVersion: v1\nkind: Config\n# mock kubeconfig (render/tests): no real cluster\n";

/** Plausible cloud state under mocks: an account id no real account has, and a password no one uses. */
export const MOCK_AWS_ACCOUNT = "123456789012";
export const MOCK_ECR_PASSWORD = "mock-ecr-authorization-password";
/** The address a cloud load balancer would give the gateway Service (read back with Service.get). */
export const MOCK_LOAD_BALANCER_HOSTNAME = "mock-istio-ingressgateway-0123456789.elb.amazonaws.com";

/** What a random.RandomPassword would generate, deterministic for tests. */
export function mockRandomPassword(name: string, length: number): string {
    return `mock${name.replace(/[^A-Za-z0-9]/g, "")}`.padEnd(length, "0").slice(0, length);
}

export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: Registered[] = [];
    /** Strings the mocks hand out as secret outputs; render masks them. */
    readonly secretValues = new Set<string>([MOCK_KUBECONFIG, MOCK_ECR_PASSWORD]);
    /** Region of each AWS provider by name, so ECR URLs name the configured region. */
    private readonly awsRegions = new Map<string, string>();

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        this.resources.push({ type: args.type, name: args.name, custom: args.custom ?? false, inputs: args.inputs, provider: args.provider, ...(args.id ? { read: true } : {}) });
        const state: Record<string, any> = { ...args.inputs, ...this.cloudState(args) };
        if (args.type === "command:local:Command") state.stdout = typeof args.inputs.create === "string" && args.inputs.create.includes("kubeconfig get") ? MOCK_KUBECONFIG : "";
        return { id: args.id || (args.custom ? `${args.name}-id` : undefined), state };
    }

    /** Outputs the program reads from cloud resources, remote components and reads (`.get`). */
    private cloudState(args: pulumi.runtime.MockResourceArgs): Record<string, any> {
        const i = args.inputs;
        switch (args.type) {
            case "pulumi:providers:aws":
                this.awsRegions.set(args.name, i.region);
                return {};
            // @pulumi/eks v4 is a multi-language component: under mocks it is one resource with its outputs.
            case "eks:index:Cluster":
                return { kubeconfigJson: MOCK_KUBECONFIG, kubeconfig: { apiVersion: "v1", kind: "Config" } };
            case "aws:iam/role:Role":
                return { arn: `arn:aws:iam::${MOCK_AWS_ACCOUNT}:role/${args.name}`, name: args.name };
            case "aws:ecr/repository:Repository": {
                const region = this.awsRegions.get(/pulumi:providers:aws::([^:]+)::/.exec(args.provider ?? "")?.[1] ?? "") ?? "us-east-1";
                return { registryId: MOCK_AWS_ACCOUNT, arn: `arn:aws:ecr:${region}:${MOCK_AWS_ACCOUNT}:repository/${i.name}`, repositoryUrl: `${MOCK_AWS_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${i.name}` };
            }
            case "random:index/randomPassword:RandomPassword": {
                const result = mockRandomPassword(args.name, i.length);
                this.secretValues.add(result);
                return { result };
            }
            case "kubernetes:core/v1:Service":
                // A read of the gateway Service once its load balancer is up.
                if (!args.id) return {};
                return { status: { loadBalancer: { ingress: [{ hostname: MOCK_LOAD_BALANCER_HOSTNAME }] } } };
        }
        return {};
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        if (args.token === "aws:ecr/getAuthorizationToken:getAuthorizationToken") {
            const proxyEndpoint = `https://${args.inputs.registryId ?? MOCK_AWS_ACCOUNT}.dkr.ecr.amazonaws.com`;
            return { id: "mock", userName: "AWS", password: MOCK_ECR_PASSWORD, authorizationToken: Buffer.from(`AWS:${MOCK_ECR_PASSWORD}`).toString("base64"), proxyEndpoint, expiresAt: "2099-01-01T00:00:00Z" };
        }
        return {};
    }
}

/**
 * Sets mocks (and optionally the flat stack config), runs `program`, and waits until every
 * registration has gone through. Throws what the program throws (e.g. a ConfigError).
 */
export async function runUnderMocks(
    program: () => unknown,
    opts: {
        project?: string;
        stack?: string;
        config?: Record<string, string>;
        secretKeys?: string[];
        mocks?: RecordingMocks;
        /** Run as `pulumi preview` does (isDryRun). */
        preview?: boolean;
        /** What the program learns about this machine (default: nothing, OFFLINE). */
        machine?: Machine;
    } = {},
): Promise<RecordingMocks> {
    // A caller may pass its own recorder, to inspect what was registered even when the program throws.
    const mocks = opts.mocks ?? new RecordingMocks();
    if (opts.config) pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
    await pulumi.runtime.setMocks(mocks, opts.project ?? "istio-mesh", opts.stack ?? "dev", opts.preview ?? false);
    const previous = useMachine(opts.machine ?? OFFLINE);
    try {
        let exported = program();
        // A program module may export an async function, which Pulumi calls for the stack outputs.
        if (typeof exported === "function") exported = await (exported as () => unknown)();
        // Settle whatever the program returns (a module's exports, outputs), then every registration.
        // In a preview some outputs are unknown and an apply on them never runs: settle on "unknown" too.
        const settled = pulumi.output(exported as any);
        await new Promise<void>((resolve) => {
            settled.apply(() => resolve());
            void (settled as unknown as { isKnown: Promise<boolean> }).isKnown.then((known) => known || resolve());
        });
        await waitForRPCs();
    } finally {
        useMachine(previous);
    }
    return mocks;
}
