/**
 * The diagram as one self-contained HTML page a user opens from disk: the Mermaid source, the Mermaid
 * bundle inlined (no CDN), no fonts or images from anywhere, and a Content-Security-Policy that lets
 * the page fetch nothing at all — so it draws the same on a plane as on the office network. Heading,
 * what is drawn, a key to the shapes and lines, the analyzer's findings, the source to copy. Pure:
 * the bundle is passed in (`mermaidBundle()` reads it).
 */
import type { DiagramFinding } from "./trafficGraph";

export interface MermaidBundle {
    /** `mermaid.min.js`: an IIFE that defines `globalThis.mermaid`. */
    js: string;
    version: string;
}

export interface PageOptions {
    /** The page's heading and title: `Traffic of stack dev`. */
    title: string;
    /** What is drawn, from what, by which command: one paragraph of plain text. */
    about: string;
    /** Findings of the drawn objects (errors and warnings are listed under the diagram). */
    findings?: readonly DiagramFinding[];
    mermaid: MermaidBundle;
}

const html = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Colours of Mermaid's default theme and of the marks in diagram/mermaid.ts, for the key's samples. */
const NODE = 'fill="#ECECFF" stroke="#9370DB"';
const svg = (body: string) => `<svg width="44" height="26" viewBox="0 0 44 26" aria-hidden="true">${body}</svg>`;
const line = (attrs: string) => svg(`<line x1="2" y1="13" x2="36" y2="13" ${attrs}/><path d="M36 8 L43 13 L36 18 Z" fill="${/stroke="([^"]+)"/.exec(attrs)![1]}"/>`);

/** The shapes and lines of the diagram, each with a drawn sample: the page's key, and docs/diagram.md's. */
export const DIAGRAM_KEY: readonly { sample: string; name: string; meaning: string }[] = [
    { sample: svg(`<polygon points="8,2 36,2 43,13 36,24 8,24 1,13" ${NODE}/>`), name: "hexagon", meaning: "a Gateway (ingress or egress gateway) with its ports and hosts; on ambient also ztunnel and a waypoint, where the traffic passes them" },
    { sample: svg(`<rect x="1" y="2" width="42" height="22" rx="11" ${NODE}/>`), name: "stadium", meaning: "a client: fortio inside the mesh, or a caller an AuthorizationPolicy names" },
    { sample: svg(`<polygon points="1,2 43,2 43,24 1,24 9,13" ${NODE}/>`), name: "flag", meaning: "a VirtualService http rule, with its fault, retries and timeout" },
    { sample: svg(`<rect x="1" y="1" width="42" height="24" fill="#ffffde" stroke="#aaaa33"/><rect x="8" y="9" width="28" height="12" ${NODE}/>`), name: "box titled with a host", meaning: "a Service: its Service node carries the DestinationRule policies, mTLS mode, rate limit and authorization; inside, its subsets and Deployments" },
    { sample: svg(`<rect x="1" y="2" width="42" height="22" rx="5" ${NODE}/>`), name: "rounded rectangle", meaning: "a subset of the DestinationRule, with the labels it selects" },
    { sample: svg(`<rect x="1" y="2" width="42" height="22" ${NODE}/><line x1="6" y1="2" x2="6" y2="24" stroke="#9370DB"/><line x1="38" y1="2" x2="38" y2="24" stroke="#9370DB"/>`), name: "framed rectangle", meaning: "a Deployment: ×replicas and its version label" },
    { sample: svg(`<polygon points="8,2 43,2 36,24 1,24" ${NODE}/>`), name: "parallelogram", meaning: "an external host (a ServiceEntry), or a host that nothing declares" },
    { sample: line('stroke="#333333" stroke-width="1.5"'), name: "arrow", meaning: "traffic as declared: into a rule, the hosts and match it takes; out of it, its split (v1 90 %, v2 10 %)" },
    { sample: line('stroke="#333333" stroke-width="1.5" stroke-dasharray="4 3"'), name: "dashed arrow", meaning: "cannot take effect (an analyzer finding), denied, 0 %, or removed" },
    { sample: line('stroke="#c92a2a" stroke-width="2"'), name: "red", meaning: "an analyzer finding (⚠ and its code; the message on the node) or an AuthorizationPolicy's denial" },
    { sample: line('stroke="#e67700" stroke-width="3"'), name: "thick orange / green", meaning: "changed / new, in the diagram of a change (npm run diff, lab plan)" },
];

/**
 * The page: everything it needs is in it. Mermaid runs with `securityLevel: "strict"` (labels are
 * sanitised) and `startOnLoad: false`; `window.diagramRendered` settles when the drawing is done, and
 * `<body data-rendered>` says `yes` or `error` (then the error is shown in place of the diagram).
 */
export function diagramPage(source: string, o: PageOptions): string {
    const js = o.mermaid.js;
    // The bundle goes into a <script> as it is: it must not be able to end that element early.
    if (/<\/?script/i.test(js)) throw new Error("the Mermaid bundle contains a <script> tag and cannot be inlined as it is");
    const problems = (o.findings ?? []).filter((f) => f.severity !== "info");
    const findings = problems.length
        ? [
              `<h2>Analyzer findings (${problems.length})</h2>`,
              "<table class=\"findings\"><thead><tr><th>code</th><th>severity</th><th>resource</th><th>path</th><th>finding</th></tr></thead><tbody>",
              ...problems.map((f) => `<tr><td>${html(f.code)}</td><td>${html(f.severity)}</td><td>${html(f.resource)}</td><td><code>${html(f.path)}</code></td><td>${html(f.message)}</td></tr>`),
              "</tbody></table>",
          ]
        : [];
    return [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        // Nothing may be fetched: no script, style, font or image from any address, this page's own folder included.
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        `<title>${html(o.title)} — istio-mesh</title>`,
        "<style>",
        "body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif; margin: 1.5rem 2rem; color: #1f2328; }",
        "h1 { font-size: 1.5rem; margin: 0 0 .4rem; } h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; }",
        ".about { margin: 0 0 1rem; max-width: 60rem; color: #444; }",
        "#diagram { overflow: auto; border: 1px solid #d0d7de; border-radius: 6px; padding: 1rem; background: #fff; }",
        "#diagram svg { max-width: none !important; height: auto; }",
        ".key { border-collapse: collapse; } .key td { padding: .15rem .6rem .15rem 0; vertical-align: middle; } .key td:nth-child(2) { white-space: nowrap; font-weight: 600; }",
        ".findings td:nth-child(3) { white-space: nowrap; }",
        "table { border-collapse: collapse; } th, td { text-align: left; vertical-align: top; } thead th { border-bottom: 1px solid #d0d7de; padding: .2rem .6rem .2rem 0; } tbody td { padding: .2rem .6rem .2rem 0; }",
        "pre.error { color: #c92a2a; white-space: pre-wrap; }",
        "footer { margin-top: 1.6rem; color: #666; font-size: .85rem; }",
        "</style>",
        "</head>",
        '<body data-rendered="no">',
        `<h1>${html(o.title)}</h1>`,
        `<p class="about">${html(o.about)}</p>`,
        "<noscript><p>The diagram is drawn by JavaScript (Mermaid, inlined in this page): allow scripts for this file to see it. Its source is below.</p></noscript>",
        `<div id="diagram"><pre class="mermaid">${html(source.trimEnd())}</pre></div>`,
        "<h2>Key</h2>",
        '<table class="key"><tbody>',
        ...DIAGRAM_KEY.map((k) => `<tr><td>${k.sample}</td><td>${html(k.name)}</td><td>${html(k.meaning)}</td></tr>`),
        "</tbody></table>",
        ...findings,
        "<h2>Mermaid source</h2>",
        "<details><summary>the diagram as text (paste it into a ```mermaid block on GitHub or GitLab)</summary>",
        `<pre id="source">${html(source.trimEnd())}</pre>`,
        "</details>",
        `<footer>Drawn in this page by Mermaid ${html(o.mermaid.version)} (inlined); nothing is fetched from the network.</footer>`,
        `<script>${js}</script>`,
        "<script>",
        "mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });",
        "window.diagramRendered = mermaid.run({ querySelector: '#diagram pre.mermaid' }).then(",
        "  function () { document.body.dataset.rendered = 'yes'; },",
        "  function (e) {",
        "    document.body.dataset.rendered = 'error';",
        "    var p = document.createElement('pre'); p.className = 'error';",
        "    p.textContent = 'Mermaid could not draw the diagram: ' + (e && e.message ? e.message : e);",
        "    document.getElementById('diagram').replaceChildren(p);",
        "  });",
        "</script>",
        "</body>",
        "</html>",
        "",
    ].join("\n");
}
