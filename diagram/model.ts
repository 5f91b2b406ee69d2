/**
 * The traffic picture as a plain graph, before it is written as Mermaid. Keys are stable names
 * (`route:default/nginx-vs#0`, `subset:nginx-service.default.svc.cluster.local#v2`), so two graphs of
 * the same stack at two commits can be compared node by node and edge by edge. Pure data.
 */
export type Shape = "gateway" | "client" | "route" | "group" | "subset" | "workload" | "service" | "external" | "note";

/** How a node or edge is marked: an analyzer finding, or a change in a diff. */
export type Mark = "finding" | "denied" | "changed" | "added" | "removed";

export interface GNode {
    key: string;
    shape: Shape;
    /** Label lines; the first names the object. */
    lines: string[];
    /** Key of the group (a Service box) it is drawn in. */
    group?: string;
    marks: Mark[];
    /** Service host it belongs to: when the diagram is cut at its size limit, whole hosts are left out. */
    unit?: string;
}

export interface GEdge {
    from: string;
    to: string;
    lines: string[];
    /**
     * What each label line is about (the subset, or the host without one), index for index: a
     * VirtualService's split to a Service is one edge with a line per destination, so a changed
     * weight reads `v2 10 % → 25 %` and the other destinations stay as they were.
     */
    subjects?: string[];
    style: "solid" | "dashed" | "thick";
    marks: Mark[];
}

/** A Service drawn as a box around its subsets and Deployments; routes enter it at the Service node. */
export interface GGroup {
    key: string;
    /** The box's title (the Service's host, as VirtualServices and DestinationRules name it). */
    lines: string[];
    marks: Mark[];
    unit?: string;
}

export interface Graph {
    nodes: GNode[];
    edges: GEdge[];
    groups: GGroup[];
    /** Hosts (Services, external hosts) in drawing order; `unit`s refer to them. */
    units: string[];
    /** Hosts the objects hold, drawn or not (a summarised graph builds only as many as can be drawn). */
    total: number;
    /** Summarised: one node per service, no subsets or Deployments. */
    compact: boolean;
}

export const edgeKey = (e: { from: string; to: string }): string => `${e.from}->${e.to}`;
