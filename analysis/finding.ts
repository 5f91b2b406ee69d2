/** What every check reports: a stable code, where, what is wrong, and how to fix it. */
export type Severity = "error" | "warning" | "info";

export interface Finding {
    /** Istio's analyzer code (IST0101…), Kiali's (KIA1105), or this project's (WH…, MESH…, SCHEMA, CONFIG). */
    code: string;
    severity: Severity;
    /** `Kind namespace/name`, or `config` for stack config findings. */
    resource: string;
    /** Field path inside the resource (`spec.http[0].route[1].weight`) or the config path. */
    path: string;
    message: string;
    fix: string;
}

export function resourceName(o: { kind: string; metadata: { name: string; namespace?: string } }): string {
    return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}

export class AnalysisError extends Error {
    constructor(readonly findings: Finding[]) {
        const errors = findings.filter((f) => f.severity === "error");
        super(
            `The mesh config would not do what it says (${errors.length} error${errors.length === 1 ? "" : "s"}); nothing was deployed:\n` +
                errors.map((f) => `  - ${f.code} ${f.resource} ${f.path}: ${f.message}\n    fix: ${f.fix}`).join("\n"),
        );
        this.name = "AnalysisError";
    }
}
