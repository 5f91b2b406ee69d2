/**
 * Runs the real program under Pulumi's mocks and records every resource it registers, in order.
 * This is what `npm run render` prints and what the program tests inspect. No engine, no cluster.
 */
import * as pulumi from "@pulumi/pulumi";

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
}

/** What a fake `k3d kubeconfig get` returns under mocks: never a real credential. */
export const MOCK_KUBECONFIG = "apiVersion: v1\nkind: Config\n# mock kubeconfig (render/tests): no real cluster\n";

export class RecordingMocks implements pulumi.runtime.Mocks {
    readonly resources: Registered[] = [];
    /** Strings the mocks hand out as secret outputs; render masks them. */
    readonly secretValues = new Set<string>([MOCK_KUBECONFIG]);

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
        this.resources.push({ type: args.type, name: args.name, custom: args.custom ?? false, inputs: args.inputs, provider: args.provider });
        const state: Record<string, any> = { ...args.inputs };
        if (args.type === "command:local:Command") state.stdout = typeof args.inputs.create === "string" && args.inputs.create.includes("kubeconfig get") ? MOCK_KUBECONFIG : "";
        return { id: args.custom ? `${args.name}-id` : undefined, state };
    }

    call(_args: pulumi.runtime.MockCallArgs): Record<string, any> {
        return {};
    }
}

/**
 * Sets mocks (and optionally the flat stack config), runs `program`, and waits until every
 * registration has gone through. Throws what the program throws (e.g. a ConfigError).
 */
export async function runUnderMocks(
    program: () => unknown,
    opts: { project?: string; stack?: string; config?: Record<string, string>; secretKeys?: string[] } = {},
): Promise<RecordingMocks> {
    const mocks = new RecordingMocks();
    if (opts.config) pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
    await pulumi.runtime.setMocks(mocks, opts.project ?? "istio-mesh", opts.stack ?? "dev", false);
    let exported = program();
    // A program module may export an async function, which Pulumi calls for the stack outputs.
    if (typeof exported === "function") exported = await (exported as () => unknown)();
    // Settle whatever the program returns (a module's exports, outputs), then every registration.
    await new Promise<void>((resolve) => pulumi.output(exported as any).apply(() => resolve()));
    await waitForRPCs();
    return mocks;
}
