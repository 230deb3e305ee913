/**
 * Which WebSocket layer for the driver sockets: `Deno.serve` + hono/deno's `upgradeWebSocket`
 * (today), or npm `ws` on `node:http` (`maxPayload` also bounds a message sent in fragments)?
 * Starts `bench/ws_layer/ws_layer_server.ts` once per scenario as a child process and measures that
 * process's own RSS (/proc/<pid>/status) and CPU time (utime + stime of /proc/<pid>/stat), with
 * clients in separate processes (`bench/ws_layer/ws_layer_client.ts`, Deno's built-in WebSocket client,
 * `--per-client` sockets each). For each layer:
 *
 * 1. N sockets (`--sockets`, 10,000) each send one fix and stay idle `--idle` s: KiB per socket =
 *    (RSS after − RSS before) / N;
 * 2. then half of them, then all of them, send one ~150-byte JSON fix a second for
 *    `--load-seconds` s: server CPU µs per message received, peak RSS and KiB per socket;
 * 3. the same with `--big` sockets (19,000: the open-files hard limit here is 20,000, so 20,000
 *    sockets do not fit in the server), all sending;
 * 4. checks: a message in continuation frames (1 MiB in 1 KiB, 256 MiB in 1 MiB), the `ws`
 *    server's `maxConnections`, and each server under `ulimit -n 1024` given 2,000 idle TCP
 *    connections (does it survive, does it answer afterwards?).
 *
 *   deno task bench:ws [--impls deno,ws,ws-bufferutil] [--sockets 10000] [--big 19000]
 *     [--idle 10] [--load-seconds 20] [--per-client 5000] [--ack-every 10] [--skip-checks]
 *
 * `--ack-every N`: each socket gets an ack every N messages (10 by default; the service acks every
 * fix of a driver sending one a second, so `--ack-every 1` prices its writes too).
 *
 * Traffic goes to 127.0.0.1 only. Progress and a table on stderr, JSON on stdout and in
 * `bench/results/<date>-ws-layer.json`. About 6 minutes with the defaults.
 * @module
 */
import { parseArgs } from "node:util";
import { emfileCheck, fragmentCheck, maxConnectionsCheck } from "./ws_layer_checks.ts";
import { formatTable, type ScenarioResult } from "./ws_layer_report.ts";
import { runScenario } from "./ws_layer_scenario.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    impls: { type: "string", default: "deno,ws,ws-bufferutil" },
    sockets: { type: "string", default: "10000" },
    big: { type: "string", default: "19000" },
    idle: { type: "string", default: "10" },
    "load-seconds": { type: "string", default: "20" },
    "per-client": { type: "string", default: "5000" },
    "ack-every": { type: "string", default: "10" },
    "skip-checks": { type: "boolean", default: false },
    out: { type: "string", default: new URL("../results/", import.meta.url).pathname },
  },
});
const impls = values.impls.split(",");
const sockets = Number(values.sockets);
const big = Number(values.big);
const common = {
  perClient: Number(values["per-client"]),
  idleSeconds: Number(values.idle),
  loadSeconds: Number(values["load-seconds"]),
  ackEvery: Number(values["ack-every"]),
};
const started = new Date();
const scenarios: ScenarioResult[] = [];

// ws-bufferutil differs from ws only in unmasking: the CPU phase at N, not the memory ones.
for (const impl of impls) {
  const loads = impl === "ws-bufferutil" ? [sockets] : [Math.floor(sockets / 2), sockets];
  scenarios.push(await runScenario({ impl, sockets, loads, ...common }));
}
for (const impl of big > 0 ? impls.filter((i) => i !== "ws-bufferutil") : []) {
  scenarios.push(await runScenario({ impl, sockets: big, loads: [big], ...common }));
}

const checks: Record<string, unknown[]> = { fragments: [], maxConnections: [], emfile: [] };
if (!values["skip-checks"]) {
  for (const impl of impls.filter((i) => i !== "ws-bufferutil")) {
    console.error(`[${impl}] checks`);
    const sizes: [number, number][] = [[1 << 20, 1 << 10], [256 << 20, 1 << 20]];
    checks.fragments!.push({ impl, outcomes: await fragmentCheck(impl, sizes) });
    if (impl === "ws") checks.maxConnections!.push(await maxConnectionsCheck(impl));
    checks.emfile!.push(await emfileCheck(impl));
    if (impl === "deno") {
      checks.emfile!.push(await emfileCheck(impl, { args: ["--catch-finished"] }));
    }
  }
}

const report = {
  bench: "ws-layer",
  date: started.toISOString(),
  seconds: Math.round((Date.now() - started.getTime()) / 1000),
  deno: Deno.version.deno,
  ws: "8.18.3",
  bufferutil: "4.0.9",
  loadAverage: Deno.loadavg(),
  options: { sockets, big, ...common },
  scenarios,
  checks,
};
const json = JSON.stringify(report, null, 2);
await Deno.mkdir(values.out, { recursive: true });
const stamp = report.date.slice(0, 16).replace(":", "");
await Deno.writeTextFile(`${values.out}/${stamp}-ws-layer.json`, json + "\n");
console.log(json);
console.error(formatTable(scenarios));
for (const [name, list] of Object.entries(checks)) {
  for (const c of list) console.error(`${name}: ${JSON.stringify(c)}`);
}
