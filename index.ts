/**
 * istio-mesh: the Pulumi program. Reads and validates the stack's `istio-mesh:*` config (all problems
 * at once, before any resource is registered), then deploys the lab. See README.md.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseConfig } from "./config/parse";
import { projectValues } from "./config/stackConfig";
import { Lab } from "./program";

const config = parseConfig(projectValues(pulumi.runtime.allConfig()), pulumi.getStack());
const lab = new Lab("istio-mesh", config);

export const ingressUrl = lab.outputs.ingressUrl;
export const kubeconfig = lab.outputs.kubeconfig;
export const clusterName = lab.outputs.clusterName;
export const kubeContext = lab.outputs.kubeContext;
export const namespace = lab.outputs.namespace;
export const commands = lab.outputs.commands;
export const dashboards = lab.outputs.dashboards;
