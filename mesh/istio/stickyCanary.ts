/**
 * The opt-in sticky canary. Consistent hashing picks a pod within the subset a route chose, so it
 * cannot keep a user on one of several weighted subsets (istio/istio#9764). Instead: requests that
 * carry the pin (cookie or header) match a route to that subset; all others are split by weight and
 * the chosen destination adds the pin to its response.
 */
import type { StickyCanaryConfig } from "../../config/policy";
import type { RouteDestination } from "../../config/types";
import { durationMs } from "../../config/duration";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The pin may be anywhere in the Cookie header, among other cookies (RE2, as Istio and Envoy read it). */
export const pinRegex = (cookie: string, subset: string): string => `^(.*?; ?)?${escape(cookie)}=${escape(subset)}(;.*)?$`;

/** Istio header match for a request pinned to `subset`. */
export function pinMatch(sticky: StickyCanaryConfig, subset: string): Record<string, unknown> {
    if (sticky.header) return { headers: { [sticky.header]: { exact: subset } } };
    return { headers: { cookie: { regex: pinRegex(sticky.cookie!, subset) } } };
}

/** The response header that pins the user to `subset`: the header set, or a cookie added. Shared with the HTTPRoute form. */
export function pinResponseHeader(sticky: StickyCanaryConfig, subset: string): { op: "set" | "add"; name: string; value: string } {
    if (sticky.header) return { op: "set", name: sticky.header, value: subset };
    const maxAge = Math.floor(durationMs(sticky.ttl) / 1000);
    return { op: "add", name: "set-cookie", value: `${sticky.cookie}=${subset}; Path=/; Max-Age=${maxAge}; HttpOnly` };
}

/** Response headers that pin the user to `subset`. */
export function pinResponse(sticky: StickyCanaryConfig, subset: string): Record<string, unknown> {
    const h = pinResponseHeader(sticky, subset);
    return { response: { [h.op]: { [h.name]: h.value } } };
}

export function stickyRoutes(
    sticky: StickyCanaryConfig,
    host: string,
    route: RouteDestination[],
    policy: Record<string, unknown>,
): Record<string, unknown>[] {
    const pinned = route.map((r) => ({ match: [pinMatch(sticky, r.subset)], route: [{ destination: { host, subset: r.subset } }], ...policy }));
    const split = { route: route.map((r) => ({ destination: { host, subset: r.subset }, weight: r.weight, headers: pinResponse(sticky, r.subset) })), ...policy };
    return [...pinned, split];
}
