/** What every check reports: a stable code, where, what is wrong, and how to fix it. */
import { OperationError } from "../cli/errors";
import { qualifiedKind } from "./gatewayApi/objects";

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
    /** The stack config path behind it (`istio-mesh:services.nginx-service.weights.v1`), when one is. */
    configPath?: string;
    /** How a stack accepts it as a warning, for the codes that may be downgraded (analysis/severity.ts). */
    downgrade?: string;
}

/** `Kind namespace/name` (the Gateway API's Gateway as `Gateway.gateway.networking.k8s.io`: see qualifiedKind). */
export function resourceName(o: { apiVersion?: string; kind: string; metadata: { name: string; namespace?: string } }): string {
    return `${qualifiedKind(o)} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}

/** Errors beyond this are counted, not printed. */
const MAX_PRINTED_FINDINGS = 20;

export function findingLine(f: Finding): string {
    return (
        `  - ${f.configPath ? `${f.configPath}: ` : ""}${f.code} ${f.resource} ${f.path}: ${f.message}\n    fix: ${f.fix}` +
        (f.downgrade ? `\n    to accept it: ${f.downgrade}` : "")
    );
}

export class AnalysisError extends OperationError {
    constructor(readonly findings: Finding[]) {
        const errors = findings.filter((f) => f.severity === "error");
        const more = errors.length - MAX_PRINTED_FINDINGS;
        super(
            `The mesh config would not do what it says (${errors.length} error${errors.length === 1 ? "" : "s"}); nothing was deployed:\n` +
                errors.slice(0, MAX_PRINTED_FINDINGS).map(findingLine).join("\n") +
                (more > 0 ? `\n  … and ${more} more error${more === 1 ? "" : "s"} (npm run analyze lists them all)` : ""),
        );
        this.name = "AnalysisError";
    }
}
