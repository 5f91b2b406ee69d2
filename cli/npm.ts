/**
 * `npm run up --stack dev` without the `--`: npm takes `--stack` for one of its own options and the
 * command never sees it. npm 10 and 11 export it as `npm_config_stack=true` and pass `dev` on as an
 * argument (`--stack=dev` gives `npm_config_stack=dev`), so the run would go ahead on the default stack,
 * or fail on a stray `dev`. Read what npm left in the environment and name the fix. Pure.
 */
import type { CommandSpec } from "./commandLine";
import { COMMON_OPTIONS } from "./commandLine";

type Env = Record<string, string | undefined>;

/** npm's name for an option it took: lower case, dashes as underscores. */
const npmKey = (option: string) => `npm_config_${option.toLowerCase().replace(/-/g, "_")}`;

/**
 * The message when npm swallowed some of this command's options, else undefined. Only when npm ran
 * this very script (npm_lifecycle_event), and only for options the command did not receive anyway.
 */
export function npmSwallowedOptions(spec: CommandSpec, argv: string[], env: Env): string | undefined {
    const [script, ...sub] = spec.name.split(" ");
    if (env.npm_lifecycle_event !== script) return undefined;
    const options = { ...spec.options, debug: COMMON_OPTIONS.debug };
    const given = new Set(argv.filter((a) => a.startsWith("--")).map((a) => a.slice(2).split("=")[0]));
    const eaten = Object.entries(options).filter(([name]) => !given.has(name) && (env[npmKey(name)] ?? "") !== "");
    if (!eaten.length) return undefined;

    // Rebuild the command line: a string option npm read as a switch left its value among the
    // arguments; taken from the end, last option first, which is how they were typed in the usual case.
    const rest = [...argv];
    const flags: string[][] = [];
    const said: string[] = [];
    for (const [name, o] of [...eaten].reverse()) {
        const v = env[npmKey(name)]!;
        said.unshift(`${npmKey(name)}=${v}`);
        if (o.type === "boolean" || (o.optionalValue && v === "true")) flags.unshift([`--${name}`]);
        else if (v !== "true") flags.unshift([`--${name}`, v]);
        else {
            const i = rest.map((a) => !a.startsWith("-")).lastIndexOf(true);
            flags.unshift([`--${name}`, i >= 0 ? rest.splice(i, 1)[0] : (o.value ?? "<value>")]);
        }
    }
    const words = [...sub, ...rest, ...flags.flat()].map((w) => (/^[\w@%+=:,./<>-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`));
    const names = eaten.map(([n]) => `--${n}`).join(", ");
    return (
        `npm run ${script}: npm took ${names} for its own option${eaten.length > 1 ? "s" : ""} and the command never saw ${eaten.length > 1 ? "them" : "it"} ` +
        `(npm set ${said.join(", ")}). Put -- between the script and its options:\n  npm run ${script} -- ${words.join(" ")}`
    );
}
