/**
 * The failures every command reports the same way, and their exit codes:
 * 0 success · 1 the checks or the operation found problems · 2 usage error or a missing prerequisite.
 */

/** A command line that cannot be acted on (unknown flag, missing value, unknown stack, …): exit 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Something the command needs is missing or not answering (docker, k3d, the Pulumi CLI, a cluster): exit 2. */
export class PrerequisiteError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PrerequisiteError";
    }
}

/**
 * The operation ran and failed in a way the user can act on (the analyzer's errors, a failed render in
 * the offline diff): exit 1, no trace. Domain areas extend it (analysis/finding.ts AnalysisError,
 * review/offlineDiff.ts DiffError).
 */
export class OperationError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "OperationError";
    }
}

export const EXIT = { OK: 0, PROBLEMS: 1, USAGE: 2 } as const;
