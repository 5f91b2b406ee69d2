/** Istio host matching with wildcards: does the gateway host `g` admit the VirtualService host `h`? */
export function gatewayHostAdmits(g: string, h: string): boolean {
    const gh = g.includes("/") ? g.slice(g.indexOf("/") + 1) : g;
    if (gh === "*") return true;
    if (h === "*") return false;
    if (gh.startsWith("*.")) {
        const suffix = gh.slice(1); // ".fullcycle"
        return h.endsWith(suffix) || (h.startsWith("*.") && h.slice(1).endsWith(suffix));
    }
    return gh === h;
}
