/**
 * The real Mermaid parser (the `mermaid` package's own `parse`), offline, loaded once per test run.
 * Mermaid sanitizes labels with DOMPurify, which needs a DOM: a jsdom window is lent as `window` only
 * while mermaid loads (DOMPurify keeps its own reference) and removed again, so other tests see no DOM.
 * The default config is kept on purpose: GitHub renders with the default limits (500 edges, 50,000
 * characters), so a diagram that passes here is not rejected there for its size.
 */

/** What the flowchart parser recorded: node texts and edges, to check labels survive the escaping. */
export interface ParsedFlowchart {
    diagramType: string;
    vertices: { id: string; text: string }[];
    edges: { start: string; end: string; text: string }[];
    subgraphs: { id: string; title: string; nodes: string[] }[];
}

type Mermaid = {
    parse(text: string): Promise<{ diagramType: string }>;
    mermaidAPI: { getDiagramFromText(text: string): Promise<{ type: string; db: any }> };
};

let loading: Promise<{ mermaid: Mermaid; decode: (s: string) => string }> | undefined;

// A variable specifier keeps tsc (CommonJS output) from rewriting these ESM-only imports into require().
const esm = (name: string): Promise<any> => import(name);

function load() {
    loading ??= (async () => {
        const { JSDOM } = await esm("jsdom");
        const dom = new JSDOM("<!doctype html><html><body></body></html>");
        const g = globalThis as Record<string, unknown>;
        g.window = dom.window;
        try {
            const mermaid = (await esm("mermaid")).default as Mermaid;
            // Registers the diagram types; later calls go straight to the parse `mermaid.parse` makes.
            await mermaid.parse("flowchart LR\n    a --> b\n");
            // Mermaid keeps entities as placeholders until it renders; the browser then decodes them.
            const textarea = dom.window.document.createElement("textarea");
            const decode = (s: string) => {
                textarea.innerHTML = s.replace(/ﬂ°°(\d+)¶ß/g, "&#$1;").replace(/ﬂ°(\w+)¶ß/g, "&$1;");
                return textarea.value;
            };
            return { mermaid, decode };
        } finally {
            delete g.window;
        }
    })();
    return loading;
}

/** Parses with Mermaid; throws Mermaid's own error for invalid input. */
export async function parseMermaid(text: string): Promise<ParsedFlowchart> {
    const { mermaid, decode } = await load();
    // What mermaid.parse does (preprocess, detect the type, run its parser), keeping the parser's database.
    const { type: diagramType, db } = await mermaid.mermaidAPI.getDiagramFromText(text);
    const vertices = [...(db.getVertices() as Map<string, { id: string; text: string }>).values()].map((v) => ({ id: v.id, text: decode(v.text) }));
    const edges = (db.getEdges() as { start: string; end: string; text: string }[]).map((e) => ({ start: e.start, end: e.end, text: decode(e.text) }));
    const subgraphs = (db.getSubGraphs() as { id: string; title: string; nodes: string[] }[]).map((s) => ({ id: s.id, title: decode(s.title), nodes: s.nodes }));
    return { diagramType, vertices, edges, subgraphs };
}
