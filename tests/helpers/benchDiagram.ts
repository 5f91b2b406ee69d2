/**
 * Times trafficDiagram on 10,000 synthetic services in a fresh process, as `render --graph` runs it
 * (the test runner's own heap — Pulumi, Mermaid, jsdom — would slow its garbage collections). Prints
 * JSON: the milliseconds of three runs and the diagram.
 */
import { trafficDiagram } from "../../diagram";
import { syntheticMesh } from "./syntheticMesh";

const objects = syntheticMesh(Number(process.argv[2] ?? 10000));
const times: number[] = [];
let text = "";
for (let k = 0; k < 3; k++) {
    const t0 = process.hrtime.bigint();
    text = trafficDiagram(objects);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
process.stdout.write(JSON.stringify({ times, text }));
