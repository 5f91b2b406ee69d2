/**
 * Long texts (an analyzer's message) as label lines broken between words, never inside one: a word
 * longer than the width (a host, a JSON selector) gets a line of its own, whole. Pure.
 */

/**
 * Characters per line: Mermaid (GitHub's too) wraps any label wider than 200 px, where the browser may
 * break a word at a hyphen; 28 characters of its 16 px sans-serif stay within that width, so these
 * breaks are the only ones (seen with Chromium, 2026-12).
 */
export const WRAP_WIDTH = 28;

export function wrapWords(text: string, width = WRAP_WIDTH): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(/\s+/).filter((w) => w !== "")) {
        if (line === "") line = word;
        else if (line.length + 1 + word.length <= width) line += ` ${word}`;
        else {
            lines.push(line);
            line = word;
        }
    }
    if (line !== "") lines.push(line);
    return lines;
}

/**
 * At most `max` characters, ending at a word boundary with ` …` when longer: a runaway message cannot
 * fill the diagram, and what is shown stays whole words (`npm run analyze` prints the full text).
 */
export function clipWords(text: string, max: number): string {
    const flat = text.replace(/\s+/g, " ").trim();
    if (flat.length <= max) return flat;
    const cut = flat.lastIndexOf(" ", max - 2);
    return `${cut > 0 ? flat.slice(0, cut) : flat.split(" ")[0]} …`;
}
