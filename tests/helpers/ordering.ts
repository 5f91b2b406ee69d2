import * as pulumi from "@pulumi/pulumi";

/**
 * Mocks do not expose dependsOn (pulumi/pulumi#14421), but legacy transformations on a component run
 * in-process for every child and see `opts.dependsOn`. This records each resource's explicit
 * dependencies as `type::name` keys.
 */
export class DependsOnRecorder {
    readonly edges = new Map<string, string[]>();
    readonly providers = new Map<string, string | undefined>();
    /** `deletedWith` and `replaceWith` as each resource was given them (after its own components' transformations). */
    readonly deletedWith = new Map<string, string | undefined>();
    readonly replaceWith = new Map<string, string[]>();

    static key(r: pulumi.Resource): string {
        const x = r as unknown as { __pulumiType: string; __name: string };
        return `${x.__pulumiType}::${x.__name}`;
    }

    readonly transformation: pulumi.ResourceTransformation = (args) => {
        const deps = args.opts.dependsOn;
        const list = Array.isArray(deps) ? deps : deps ? [deps] : [];
        this.edges.set(`${args.type}::${args.name}`, (list as pulumi.Resource[]).map((d) => DependsOnRecorder.key(d)));
        const provider = args.opts.provider;
        this.providers.set(`${args.type}::${args.name}`, provider ? DependsOnRecorder.key(provider) : undefined);
        const opts = args.opts as pulumi.CustomResourceOptions;
        this.deletedWith.set(`${args.type}::${args.name}`, opts.deletedWith ? DependsOnRecorder.key(opts.deletedWith) : undefined);
        this.replaceWith.set(`${args.type}::${args.name}`, (opts.replaceWith ?? []).map((r) => DependsOnRecorder.key(r)));
        return undefined;
    };

    dependsOn(type: string, name: string): string[] {
        const e = this.edges.get(`${type}::${name}`);
        if (!e) throw new Error(`no resource ${type}::${name} was registered; have: ${[...this.edges.keys()].join(", ")}`);
        return e;
    }
}
