/** Kubernetes equality-based label selection: every key of the selector has that value in the labels. */
export function matchesLabels(selector: Record<string, string>, labels: Record<string, string>): boolean {
    // A plain loop: the analyzers call this for every subset against every pod behind its host.
    for (const k of Object.keys(selector)) if (labels[k] !== selector[k]) return false;
    return true;
}
