/**
 * The pre-deploy gate: the one function `pulumi up` (index.ts), `npm run render` and `npm run analyze`
 * call, so all of them apply the same layers in the same order, before any resource is registered:
 * stack file (hostile-input safe) → config parser → plan → Kubernetes API, cross-object, Istio
 * schema, webhook and analyzer layers. Pure: no Pulumi, no file system unless given a file name.
 */
import { ConfigError, CREDENTIAL_PATHS, isSecretPath } from "../config/reader";
import { parseConfig } from "../config/parse";
import { FlatConfig, flattenStackFile, projectValues, readStackFile, SECRET_PLACEHOLDER } from "../config/stackConfig";
import type { MeshConfig } from "../config/types";
import { buildPlan, MeshPlan } from "../mesh/plan";
import { checkPlan, hasErrors } from ".";
import { AnalysisError, Finding, resourceName } from "./finding";
import { DUPLICATE_CODE } from "./kubernetes/crossObject";
import { buildOrigins, configPathOf } from "./origins";
import { applySeverities, checkSeverityConfig } from "./severity";

export interface StackCheck {
    config: MeshConfig;
    plan: MeshPlan;
    /** Every finding, warnings included (errors too when the caller asked not to throw). */
    findings: Finding[];
}

export interface CheckOptions {
    /** Name of the stack file, for messages about its YAML (default "stack file"). */
    file?: string;
    /** false: return findings with errors instead of throwing AnalysisError (npm run analyze prints them all). */
    throwOnErrors?: boolean;
}

const BUG_FIX = "no config value reaches this field, so this is a bug in istio-mesh's builders; please report it with your stack file";

/** Names the config path behind each finding; only a field no config value reaches is called a bug. */
export function attachConfigPaths(findings: Finding[], cfg: MeshConfig, plan: MeshPlan): Finding[] {
    const origins = buildOrigins(cfg);
    const byResource = new Map<string, { apiVersion: string; kind: string; metadata: { name: string } }>();
    for (const group of [plan.workloads, [plan.workloadNamespace, plan.istio.namespace], Object.values(plan.trafficPolicies).flat(), plan.addons.objects, plan.addons.istioResources, plan.ambient?.waypoints ?? []]) {
        for (const o of group) byResource.set(resourceName(o), o);
    }
    return findings.map((f) => {
        if (f.configPath || f.resource === "config") return f;
        const o = byResource.get(f.resource);
        if (!o) return f;
        const duplicate = f.code === DUPLICATE_CODE;
        const { known, path, first } = configPathOf(origins, o, f.path, duplicate ? "last" : "first");
        if (!known) return f;
        if (path === undefined) return { ...f, fix: BUG_FIX };
        if (duplicate && first && first !== path) return { ...f, configPath: path, message: `${f.message}; the other is declared at ${first}` };
        return { ...f, configPath: path };
    });
}

/** Replaces every credential's value (numbers too) in a message: a safety net behind Node.shown(). */
function secretScrubber(raw: Record<string, unknown>): (s: string) => string {
    const secrets: string[] = [];
    for (const p of CREDENTIAL_PATHS) {
        let v: unknown = raw;
        for (const k of p.slice("istio-mesh:".length).split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
        if ((typeof v === "string" || typeof v === "number") && String(v) !== SECRET_PLACEHOLDER && String(v).length >= 3) secrets.push(String(v));
    }
    return (s: string) => secrets.reduce((acc, sec) => acc.split(sec).join("[secret]"), s);
}

function scrubSecrets(findings: Finding[], raw: Record<string, unknown>): Finding[] {
    const scrub = secretScrubber(raw);
    return findings.map((f) => ({ ...f, message: scrub(f.message), fix: scrub(f.fix), path: scrub(f.path) }));
}

/**
 * Reads, parses, plans and checks a stack. Throws ConfigError (bad config, every problem with its
 * config path) or AnalysisError (a rendered object the API server, Istio or its analyzers refuse).
 * @param input the flat config the engine passes (index.ts), or a stack file's text.
 */
export async function checkStack(input: FlatConfig | string, stack: string, opts: CheckOptions = {}): Promise<StackCheck> {
    const flat = typeof input === "string" ? flattenStackFile(input, opts.file) : input;
    const raw = projectValues(flat.values);
    let config: MeshConfig;
    try {
        config = parseConfig(raw, stack, { secretKeys: flat.secretKeys, ...(flat.secretPaths ? { secretPaths: flat.secretPaths } : {}) });
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        const scrub = secretScrubber(raw);
        throw new ConfigError(e.problems.map((p) => ({ path: p.path, message: scrub(p.message) })));
    }
    const severityProblems = checkSeverityConfig(config);
    if (severityProblems.length > 0) throw new ConfigError(severityProblems);
    let plan: MeshPlan;
    let findings: Finding[];
    try {
        plan = buildPlan(config);
        findings = await checkPlan(config, plan);
    } catch (e) {
        // The parser accepted the config, so a throw here is ours, not the user's.
        throw new Error(`istio-mesh could not build the plan for this config (a bug in istio-mesh; please report it with your stack file): ${e instanceof Error ? e.message : String(e)}`);
    }
    findings = scrubSecrets(applySeverities(attachConfigPaths(findings, config, plan), config), raw);
    if (opts.throwOnErrors !== false && hasErrors(findings)) throw new AnalysisError(findings);
    return { config, plan, findings };
}

/** `checkStack` of a stack file on disk (render and analyze entry points). */
export function checkStackFile(file: string, stack: string, opts: Omit<CheckOptions, "file"> = {}): Promise<StackCheck> {
    return checkStack(readStackFile(file), stack, { ...opts, file });
}

export { isSecretPath };
