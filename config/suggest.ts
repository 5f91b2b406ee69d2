/** "Did you mean": the nearest of a few known words by edit distance, if it is near enough (config keys, flags, stacks, commands). Pure. */

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++)
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length][b.length];
}

/** The closest candidate within max(2, a third of the word's length) edits, else undefined. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
    const best = candidates
        .map((k) => ({ k, d: editDistance(word.toLowerCase(), k.toLowerCase()) }))
        .sort((x, y) => x.d - y.d)[0];
    return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.k : undefined;
}
