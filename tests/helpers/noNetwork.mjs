// Preloaded into CLI child processes by tests: no test may reach the network. Every fetch is
// refused at once and recorded (one line per URL) in $ISTIO_MESH_TEST_FETCH_LOG.
import { appendFileSync } from "node:fs";

globalThis.fetch = async (url) => {
    if (process.env.ISTIO_MESH_TEST_FETCH_LOG) appendFileSync(process.env.ISTIO_MESH_TEST_FETCH_LOG, `${String(url)}\n`);
    throw new TypeError("fetch failed (the test harness allows no network)");
};
