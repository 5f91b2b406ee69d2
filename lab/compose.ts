/**
 * A lesson's stack config: its scenario file laid over the stack's own config, by the same rules the
 * program lays a stack's config over the course defaults (config/merge.ts): in `workloads`, `services`,
 * `images` and `ingress.virtualServices` an entry the lesson names replaces the stack's entry field by
 * field, and `null` removes it; any other section is overlaid one level deep. A removal stays in the
 * composed config as `null`, so the program also drops the course default of that name. Pure, except
 * for the file readers at the end.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseConfig, CONFIG_NAMESPACE } from "../config/parse";
import { flattenStackFile, projectValues } from "../config/stackConfig";
import type { MeshConfig, TrafficApi } from "../config/types";
import { isObject, Raw } from "../config/merge";

/** The `config:` map of a stack file, keys with their namespace (`istio-mesh:services`, `aws:region`). */
export type ConfigMap = Record<string, unknown>;

/** A stack file as a document: its `config:` and everything else (secrets provider, encryption salt). */
export interface StackDoc {
    /** Every top-level key but `config`, kept as is (encryptionsalt, secretsprovider, environment, …). */
    rest: Raw;
    config: ConfigMap;
}

const ENTRY_SECTIONS = new Set(["workloads", "services", "images"].map((k) => `${CONFIG_NAMESPACE}:${k}`));
const INGRESS = `${CONFIG_NAMESPACE}:ingress`;

/** Pulumi reads a key without a namespace as the project's own. */
export const qualified = (key: string): string => (key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`);

function entries(stack: unknown, lesson: unknown): unknown {
    if (!isObject(lesson) || !isObject(stack)) return lesson;
    const out: Raw = { ...stack };
    for (const [k, v] of Object.entries(lesson)) {
        if (v === null || v === false) out[k] = v;
        else out[k] = isObject(stack[k]) && isObject(v) ? { ...(stack[k] as Raw), ...v } : v;
    }
    return out;
}

function section(key: string, stack: unknown, lesson: unknown): unknown {
    if (stack === undefined) return lesson;
    if (ENTRY_SECTIONS.has(key)) return entries(stack, lesson);
    if (!isObject(stack) || !isObject(lesson)) return lesson;
    if (key === INGRESS && ("virtualServices" in stack || "virtualServices" in lesson)) {
        return { ...stack, ...lesson, virtualServices: lesson.virtualServices === undefined ? stack.virtualServices : entries(stack.virtualServices, lesson.virtualServices) };
    }
    return { ...stack, ...lesson };
}

/** The stack's config with the lesson's laid over it. Neither input is modified. */
export function composeConfig(stack: ConfigMap, lesson: ConfigMap): ConfigMap {
    const out: ConfigMap = {};
    for (const [k, v] of Object.entries(stack)) out[qualified(k)] = v;
    for (const [k, v] of Object.entries(lesson)) out[qualified(k)] = section(qualified(k), out[qualified(k)], v);
    return out;
}

export function parseStackDoc(text: string, file: string): StackDoc {
    const doc = yaml.load(text) ?? {};
    if (!isObject(doc)) throw new Error(`${file}: not a stack file (expected a YAML mapping with a "config:" key)`);
    const { config, ...rest } = doc;
    if (config !== undefined && config !== null && !isObject(config)) throw new Error(`${file}: "config:" is not a mapping`);
    return { rest, config: (config as ConfigMap | null | undefined) ?? {} };
}

/** A stack file's text for a config: the same document, only its `config:` replaced. */
export function stackText(doc: StackDoc, config: ConfigMap): string {
    return yaml.dump({ ...doc.rest, config }, { lineWidth: -1, noRefs: true });
}

/** `istio-mesh:trafficApi`, as the lab sets it over a stack's config (`--api`). */
export const TRAFFIC_API_KEY = `${CONFIG_NAMESPACE}:trafficApi`;

/** The config with its routing lessons in `api`: every lesson composed over it keeps that API. */
export function withTrafficApi(config: ConfigMap, api: TrafficApi): ConfigMap {
    const out: ConfigMap = { ...config };
    delete out.trafficApi; // the same key written without its namespace
    out[TRAFFIC_API_KEY] = api;
    return out;
}

/** The validated config the program would see (secure values as `[secret]`); throws a ConfigError. */
export function meshConfigOf(config: ConfigMap, stack: string): MeshConfig {
    const flat = flattenStackFile(yaml.dump({ config }, { lineWidth: -1, noRefs: true }));
    return parseConfig(projectValues(flat.values), stack);
}

export function readStackDoc(file: string): StackDoc {
    return parseStackDoc(fs.readFileSync(file, "utf8"), file);
}

/** A scenario file's `config:` (examples/scenarios/*.yaml). */
export function readScenario(root: string, scenario: string): ConfigMap {
    return readStackDoc(path.join(root, scenario)).config;
}
