/**
 * The architecture of istio-mesh, as rules `npm test` checks (dependency-cruiser; docs/architecture.md
 * says the same in prose). Layers read one way, top to bottom:
 *
 *   cli/main.ts          the entry point: lists every command
 *   commands/            one module per command, its option table beside its handler
 *   domain areas         engine/ preflight/ supplychain/ review/ verify/ lab/ render/ diagram/ analysis/ and the
 *                        Pulumi program (index.ts, program.ts, stacks/, components/, mesh/, apps/)
 *   cli/ (the shell)     strict parser, dispatcher, help, stack names: used by the commands only
 *   config/              the typed stack config
 *   cli/errors.ts,       the floor: the errors and exit codes every layer may throw, and the
 *   cli/paths.ts         user's paths (named from where they ran the command)
 *
 * Nothing imports upward, and there are no cycles. Tests may import anything (no rule below applies
 * to tests/ except no-circular).
 *
 * Run it alone: npm run deps
 */
const FLOOR = "^cli/(errors|paths)\\.ts$";

/** A rule's `to` for "anything in this project but these paths" (npm packages and Node's own modules never match). */
const projectPathsBut = (allowed) => ({ path: "^(?!node_modules/)", pathNot: allowed, dependencyTypesNot: ["core"] });

module.exports = {
    forbidden: [
        {
            name: "no-circular",
            severity: "error",
            comment:
                "No import cycles, type-only ones included: every module can be read, tested and loaded knowing only what it imports. " +
                "Break a cycle by moving the shared part (often a type) down to the layer both sides may import.",
            from: {},
            to: { circular: true },
        },
        {
            name: "domain-does-not-import-commands",
            severity: "error",
            comment:
                "The command layer is the top: nothing below it (domain areas, the command-line shell, config) imports a command. " +
                "cli/main.ts lists the commands; a command may use the modules beside it in commands/ (stack.ts, options.ts, lab.ts).",
            from: { pathNot: "^(commands/|cli/main\\.ts$|tests/)" },
            to: { path: "^commands/" },
        },
        {
            name: "only-commands-use-the-command-line-shell",
            severity: "error",
            comment:
                "The command-line shell (cli/commandLine.ts parser and help, cli/run.ts dispatcher, cli/stacks.ts stack names) is for the commands: " +
                "domain areas take typed options and never see argv. They may throw the shared errors of cli/errors.ts and name the user's files " +
                "as the user typed them (cli/paths.ts).",
            from: { pathNot: "^(cli/|commands/|tests/)" },
            to: { path: "^cli/", pathNot: FLOOR },
        },
        {
            name: "cli-shell-imports-nothing-above",
            severity: "error",
            comment:
                "cli/ (all but the entry point cli/main.ts) is small infrastructure under the commands: it imports only itself and config/ " +
                "(did-you-mean suggestions, ConfigError's exit code). Errors it must recognise extend cli/errors.ts' classes.",
            from: { path: "^cli/", pathNot: "^cli/main\\.ts$" },
            to: projectPathsBut("^(cli|config)/"),
        },
        {
            name: "the-floor-imports-nothing",
            severity: "error",
            comment:
                "cli/errors.ts and cli/paths.ts are the floor: they import nothing of the project, so every layer, config/ included, may throw a " +
                "UsageError, PrerequisiteError or OperationError, and name a file as the user typed it.",
            from: { path: FLOOR },
            to: projectPathsBut("^$"),
        },
        {
            name: "config-imports-nothing-above",
            severity: "error",
            comment:
                "config/ is the bottom: the typed, validated stack config imports only itself, the apps' own settings and content tags (apps/) " +
                "and the shared errors. Everything else reads config; config reads nothing of theirs.",
            from: { path: "^config/" },
            to: projectPathsBut(`^(config|apps)/|${FLOOR}`),
        },
        {
            name: "mesh-builds-from-config-only",
            severity: "error",
            comment: "mesh/ turns the config into plain Kubernetes/Istio objects: it imports only itself, config/ and apps/.",
            from: { path: "^mesh/" },
            to: projectPathsBut(`^(mesh|config|apps)/|${FLOOR}`),
        },
        {
            name: "pure-core-has-no-pulumi",
            severity: "error",
            comment:
                "Pure core, thin shell: config, the builders (mesh/), the checks (analysis/) and the diagram are plain TypeScript with no Pulumi in them, " +
                "so they run in tests, in render and in the lab without an engine. Only components/, stacks/, the program, render/ and engine/ speak Pulumi.",
            from: { path: "^(config|mesh|analysis|diagram)/" },
            to: { path: "@pulumi/" },
        },
        {
            name: "analysis-checks-objects-only",
            severity: "error",
            comment: "analysis/ checks the config and the planned objects offline: it imports only itself, mesh/, config/, apps/ and the shared errors.",
            from: { path: "^analysis/" },
            to: projectPathsBut(`^(analysis|mesh|config|apps)/|${FLOOR}`),
        },
        {
            name: "diagram-stands-alone",
            severity: "error",
            comment: "diagram/ draws plain objects and findings it is handed: it imports nothing of the project but itself.",
            from: { path: "^diagram/" },
            to: projectPathsBut("^diagram/"),
        },
        {
            name: "engine-is-an-adapter",
            severity: "error",
            comment:
                "engine/ wraps the Automation API, the state backend and the passphrase: it imports only itself, mesh/ (the names of what the program " +
                "creates, e.g. the k3d cluster's create command in the state), config/ and the floor. The prerequisites, the CLI and k3d's cluster " +
                "list come in as functions from the command.",
            from: { path: "^engine/" },
            to: projectPathsBut(`^(engine|mesh|config)/|${FLOOR}`),
        },
        {
            name: "preflight-stands-alone",
            severity: "error",
            comment:
                "preflight/ checks this machine for what the stack's cluster kind needs: it imports only itself, supplychain/ (the pinned charts " +
                "must still be where they are pinned), mesh/ (the names of what the program will create, e.g. the registry cache's container), " +
                "config/ and the floor.",
            from: { path: "^preflight/" },
            to: projectPathsBut(`^(preflight|supplychain|mesh|config)/|${FLOOR}`),
        },
        {
            name: "supplychain-reads-the-plan-only",
            severity: "error",
            comment:
                "supplychain/ lists what the stacks pin (charts, images, the CLI and plugins) from the config and the plan, and asks where each " +
                "pin points: it imports only itself, mesh/, config/ and the floor.",
            from: { path: "^supplychain/" },
            to: projectPathsBut(`^(supplychain|mesh|config)/|${FLOOR}`),
        },
        {
            name: "review-is-offline",
            severity: "error",
            comment:
                "review/ (the ChangeSet, policy words, the pull-request comment, the offline diff) works on objects and engine events: " +
                "it imports only itself, diagram/, config/ and the shared errors; it renders a base ref as a separate process, never by import.",
            from: { path: "^review/" },
            to: projectPathsBut(`^(review|diagram|config)/|${FLOOR}`),
        },
        {
            name: "verify-measures-what-was-declared",
            severity: "error",
            comment: "verify/ derives its checks from the declared objects: it imports only itself, mesh/, config/, apps/ and the shared errors.",
            from: { path: "^verify/" },
            to: projectPathsBut(`^(verify|mesh|config|apps)/|${FLOOR}`),
        },
        {
            name: "components-only-from-the-program",
            severity: "error",
            comment: "ComponentResources (components/) are the thin Pulumi shell: only the program (program.ts) and the stacks (which cluster) create them.",
            from: { pathNot: "^(components/|stacks/|program\\.ts$|tests/)" },
            to: { path: "^components/" },
        },
        {
            name: "components-do-not-import-stacks",
            severity: "error",
            comment: "The stacks choose components, never the other way round: what both need (ImageRegistry) lives in components/.",
            from: { path: "^components/" },
            to: { path: "^(stacks/|program\\.ts$|index\\.ts$)" },
        },
        {
            name: "stacks-only-from-the-program",
            severity: "error",
            comment:
                "stacks/ is the one place stacks differ (which cluster, which provider, what the machine is asked): only the program asks it, " +
                "and render/, which runs the program under mocks on an OFFLINE machine.",
            from: { pathNot: "^(stacks/|program\\.ts$|render/|tests/)" },
            to: { path: "^stacks/" },
        },
        {
            name: "the-program-runs-under-pulumi-or-render",
            severity: "error",
            comment: "The Pulumi program (index.ts → program.ts) is run by Pulumi, or under mocks by render/ (npm run render, the offline diff, tests); nothing else imports it.",
            from: { pathNot: "^(index\\.ts$|render/|tests/)" },
            to: { path: "^(index|program)\\.ts$" },
        },
        {
            name: "product-does-not-import-tests",
            severity: "error",
            comment: "tests/ may import anything; nothing imports tests/.",
            from: { pathNot: "^tests/" },
            to: { path: "^tests/" },
        },
        {
            name: "no-dev-dependencies-in-the-product",
            severity: "error",
            comment: "What a user runs imports only dependencies: devDependencies (chai, mermaid, jsdom, …) are for tests.",
            from: { path: "\\.(ts|js|mjs|cjs)$", pathNot: "^(tests/|\\.dependency-cruiser\\.cjs$)" },
            to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
        },
        {
            name: "no-unresolvable-imports",
            severity: "error",
            comment: "Every import resolves to a file or an installed package.",
            from: {},
            to: { couldNotResolve: true },
        },
    ],
    options: {
        // The project's own files; packages are leaves (never cruised into).
        doNotFollow: { path: "node_modules" },
        exclude: { path: "^(node_modules|bin|\\.pulumi|\\.pulumi-state|\\.pulumi-cli|apps/servicex/node_modules)/" },
        // Type-only imports are dependencies too: a type cycle is a cycle.
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        // Unchanged files are not parsed again (content hashes; node_modules/ is git-ignored): about half the time on a second run.
        cache: { folder: "node_modules/.cache/dependency-cruiser", strategy: "content" },
        enhancedResolveOptions: {
            exportsFields: ["exports"],
            conditionNames: ["require", "import", "node", "default", "types"],
            extensions: [".ts", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
        },
    },
};
