/**
 * What a preview or an offline diff found, resource by resource, and how it is read out of the
 * engine's events. Both the engine preview and the offline diff end up as a ChangeSet, so the pull
 * request comment looks the same whichever produced it. Pure.
 */
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { diffObjects, formatPath, getAt, LeafChange, maskSecrets, parsePath, SECRET, Segment } from "./objectDiff";
import { describeChange } from "./policyWords";

export type ChangeOp = "create" | "update" | "replace" | "delete";

export interface ResourceChange {
    op: ChangeOp;
    /** `VirtualService nginx-vs`, or `<type> <name>` for what is not a Kubernetes manifest. */
    title: string;
    /** Property-level changes in plain words. */
    details: string[];
    /** Properties whose change forces the replacement, when known. */
    replaceBecause?: string[];
}

export interface ChangeSet {
    changes: ResourceChange[];
    unchanged: number;
}

type Inputs = Record<string, unknown> | undefined;

/** Kind and name of a Kubernetes manifest, or undefined. */
export function manifestIdentity(o: Inputs): { kind: string; name: string } | undefined {
    const md = o?.metadata as { name?: unknown } | undefined;
    return typeof o?.kind === "string" && typeof md?.name === "string" ? { kind: o.kind, name: md.name } : undefined;
}

/** A Secret's data is secret as a whole, whatever the provider marked. */
export function maskSecretData(o: Inputs): Inputs {
    if (!o || o.kind !== "Secret") return o;
    const out: Record<string, unknown> = { ...o };
    for (const k of ["data", "stringData"]) {
        if (out[k] && typeof out[k] === "object") out[k] = Object.fromEntries(Object.keys(out[k] as object).map((x) => [x, SECRET]));
    }
    return out;
}

/** Plain-word lines for the changes between two versions of one resource. */
export function describeChanges(name: string, kind: string | undefined, before: Inputs, after: Inputs, only?: Segment[][]): string[] {
    const b = maskSecrets(maskSecretData(before)) as Inputs;
    const a = maskSecrets(maskSecretData(after)) as Inputs;
    let leaves: LeafChange[] = diffObjects(b, a);
    const lines: string[] = [];
    if (only) {
        const prefix = (p: Segment[], q: Segment[]) => p.length <= q.length && p.every((s, i) => s === q[i]);
        // Keep what the engine says changed; a path it names but the inputs do not show is still reported.
        leaves = leaves.filter((l) => only.some((o) => prefix(o, l.path) || prefix(l.path, o) || prefix(o, l.beforePath)));
        for (const o of only) {
            if (leaves.some((l) => prefix(o, l.path) || prefix(l.path, o) || prefix(o, l.beforePath))) continue;
            const secret = getAt(b, o) === SECRET || getAt(a, o) === SECRET;
            lines.push(`${name}: ${formatPath(o)} changed${secret ? ` (${SECRET})` : ""}`);
        }
    }
    return [...leaves.map((l) => describeChange(name, kind, b, a, l)), ...lines];
}

function opOf(op: StepEventMetadata["op"]): ChangeOp | "same" | undefined {
    switch (op) {
        case "create":
        case "import":
            return "create";
        case "update":
            return "update";
        case "delete":
            return "delete";
        case "replace":
        case "create-replacement":
        case "delete-replaced":
        case "import-replacement":
            return "replace";
        case "same":
            return "same";
        default:
            return undefined; // read, refresh, discard: nothing the stack changes
    }
}

/** `urn:pulumi:dev::istio-mesh::a$b::name` → name */
function urnName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The ChangeSet of a preview, from its `resourcePreEvent`s (metadata with detailedDiff). */
export function changesFromEvents(events: EngineEvent[]): ChangeSet {
    const byUrn = new Map<string, { op: ChangeOp | "same"; meta: StepEventMetadata }>();
    for (const e of events) {
        const meta = e.resourcePreEvent?.metadata;
        if (!meta || meta.type === "pulumi:pulumi:Stack") continue;
        const op = opOf(meta.op);
        if (!op) continue;
        const prev = byUrn.get(meta.urn);
        // A replacement arrives as several steps (create-replacement, replace, delete-replaced): merge them.
        if (!prev) byUrn.set(meta.urn, { op, meta });
        else if (op === "replace") {
            const p = prev.meta;
            byUrn.set(meta.urn, { op, meta: { ...p, ...meta, old: meta.old ?? p.old, new: meta.new ?? p.new, detailedDiff: meta.detailedDiff ?? p.detailedDiff, diffs: meta.diffs ?? p.diffs, keys: meta.keys ?? p.keys } });
        }
    }
    const changes: ResourceChange[] = [];
    let unchanged = 0;
    for (const { op, meta } of byUrn.values()) {
        if (op === "same") {
            unchanged++;
            continue;
        }
        const before = meta.old?.inputs as Inputs;
        const after = meta.new?.inputs as Inputs;
        const id = manifestIdentity(after) ?? manifestIdentity(before);
        const name = id?.name ?? urnName(meta.urn);
        const title = id ? `${id.kind} ${id.name}` : `${meta.type} ${name}`;
        const change: ResourceChange = { op, title, details: [] };
        if (op === "update" || op === "replace") {
            const dd = meta.detailedDiff ?? undefined;
            const only = dd ? Object.keys(dd).map(parsePath) : meta.diffs?.length ? meta.diffs.map(parsePath) : undefined;
            change.details = describeChanges(name, id?.kind, before, after, only);
            const forcing = dd ? Object.entries(dd).filter(([, d]) => String(d.diffKind).endsWith("-replace")).map(([k]) => k) : op === "replace" ? meta.keys ?? [] : [];
            if (op === "replace" && forcing.length) change.replaceBecause = forcing;
        }
        changes.push(change);
    }
    return { changes, unchanged };
}
