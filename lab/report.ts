/**
 * The course report: one line for the course, a summary table, then per lesson what was declared,
 * what the mesh did and the verdict, with the durations of apply, convergence and measurement.
 * Markdown fit for a GitHub job summary ($GITHUB_STEP_SUMMARY); `--json` has the same facts. Pure.
 */
import { CourseResult, formatSeconds, LessonResult } from "./run";

const ICON: Record<string, string> = { PASS: "✅", FAIL: "❌", ERROR: "💥", SKIP: "⏭️", REFUSED: "⛔", "NOT RUN": "➖" };

/** A table cell: one line, pipes escaped. */
const cell = (s: string) => s.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const secs = (s: number | undefined) => (s === undefined ? "–" : formatSeconds(s));

/** `15 of 19 lessons as declared (2 SKIP, 1 FAIL, 1 ERROR), 41 min 12 s`: the rest counted by verdict, so a SKIP is not read as a failure. */
export function courseLine(r: CourseResult): string {
    const count = (v: string) => r.lessons.filter((l) => l.verdict === v).length;
    const others = ["SKIP", "FAIL", "ERROR", "REFUSED", "NOT RUN"].filter((v) => count(v) > 0).map((v) => `${count(v)} ${v}`);
    return `${count("PASS")} of ${r.lessons.length} lesson${r.lessons.length === 1 ? "" : "s"} as declared${others.length ? ` (${others.join(", ")})` : ""}, ${formatSeconds(r.seconds)}`;
}

function lessonSection(l: LessonResult): string[] {
    const out = [`### ${l.index}. ${code(l.lesson.id)} — ${l.lesson.title}: ${ICON[l.verdict]} ${l.verdict}`, ""];
    out.push(`Course section: *${l.lesson.section}*. Applies ${code(l.lesson.scenario)}. Apply ${secs(l.seconds.apply)} · convergence ${secs(l.seconds.convergence)}${l.convergence ? ` (${l.convergence.how})` : ""} · measurement ${secs(l.seconds.measurement)}.`);
    if (l.reason) out.push("", `**Why:** ${l.reason}`);
    if (l.changes.length) out.push("", `<details><summary>Applied: ${l.changes.length} change${l.changes.length === 1 ? "" : "s"}</summary>`, "", ...l.changes.flatMap((c) => [`- **${c.op}** ${code(c.title)}`, ...c.details.map((d) => `  - ${code(d)}`)]), "", "</details>");
    if (l.rows.length) {
        out.push("", "| policy | check | declared | observed | verdict |", "|---|---|---|---|---|");
        for (const row of l.rows) out.push(`| ${cell(row.policy)} | ${cell(row.check)} | ${cell(row.expected)} | ${cell(row.observed + (row.reason ? ` (${row.reason})` : ""))} | ${row.verdict} |`);
    } else if (l.declared.length) {
        out.push("", "Declared (not measured):", "", ...l.declared.map((d) => `- ${d}`));
    }
    return out;
}

export function reportMarkdown(r: CourseResult): string {
    const out = [`## The course on stack \`${r.stack}\`: ${courseLine(r)}`, ""];
    if (r.interrupted) out.push("**Interrupted (Ctrl-C):** the lessons after the one in flight were not run.", "");
    out.push(`Stack config: **${r.restore.status}** — ${r.restore.detail}${r.restore.seconds !== undefined ? ` (${formatSeconds(r.restore.seconds)})` : ""}.`, "");
    out.push("| # | lesson | verdict | apply | convergence | measurement |", "|---|---|---|---|---|---|");
    for (const l of r.lessons) out.push(`| ${l.index} | ${code(l.lesson.id)} ${cell(l.lesson.title)} | ${ICON[l.verdict]} ${l.verdict} | ${secs(l.seconds.apply)} | ${secs(l.seconds.convergence)} | ${secs(l.seconds.measurement)} |`);
    for (const l of r.lessons) out.push("", ...lessonSection(l));
    return out.join("\n") + "\n";
}

export function reportJson(r: CourseResult): string {
    return (
        JSON.stringify(
            {
                stack: r.stack,
                summary: courseLine(r),
                passed: r.lessons.filter((l) => l.verdict === "PASS").length,
                lessons: r.lessons.length,
                seconds: r.seconds,
                interrupted: r.interrupted,
                restore: r.restore,
                results: r.lessons.map((l) => ({
                    id: l.lesson.id,
                    title: l.lesson.title,
                    section: l.lesson.section,
                    scenario: l.lesson.scenario,
                    verdict: l.verdict,
                    ...(l.reason ? { reason: l.reason } : {}),
                    seconds: l.seconds,
                    ...(l.convergence ? { convergence: l.convergence } : {}),
                    declared: l.declared,
                    changes: l.changes,
                    rows: l.rows,
                })),
            },
            null,
            2,
        ) + "\n"
    );
}
