/** Kubernetes equality-based label selection: every key of the selector has that value in the labels. */
export function matchesLabels(selector: Record<string, string>, labels: Record<string, string>): boolean {
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
