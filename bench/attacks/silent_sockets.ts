/**
 * Do WebSocket peers that stop answering get cut, and are the ones that talk left alone? Starts
 * the service's HTTP layer (`serveNodeHttp`, accepting every upgrade) with a short ping interval,
 * opens `sockets` clients that never answer a ping (phones gone without a close) and as many that
 * send a message every 300 ms (drivers), waits three intervals, and reports how many of each were
 * pinged and cut. docs/limits.md quotes the result.
 *
 *   bash tools/with_open_files.sh deno run -A bench/attacks/silent_sockets.ts [sockets=2000] [intervalMs=2000]
 *
 * @module
 */
// @ts-types="@types/ws"
import { WebSocket } from "ws";
import { serveNodeHttp } from "../../infra/http/node_http_server.ts";

const sockets = Number(Deno.args[0] ?? 2000);
const intervalMs = Number(Deno.args[1] ?? 2000);
const server = await serveNodeHttp((_request, env) => {
  env.upgrade?.accept();
  return new Response(null, { status: 101 });
}, {
  hostname: "127.0.0.1",
  port: 0,
  reusePort: false,
  maxConnections: sockets * 2 + 100,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 5_000,
  keepAliveTimeoutMs: 5_000,
  maxMessageBytes: 1 << 16,
  pingIntervalMs: intervalMs,
});

function open(autoPong: boolean): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`, { autoPong });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

const silent: WebSocket[] = [];
const talkers: WebSocket[] = [];
for (let i = 0; i < sockets; i++) {
  silent.push(await open(false));
  talkers.push(await open(true));
}
const seen = { silentPinged: 0, silentCut: 0, talkersPinged: 0, talkersCut: 0 };
for (const ws of silent) {
  ws.once("ping", () => seen.silentPinged++);
  ws.once("close", () => seen.silentCut++);
}
for (const ws of talkers) {
  ws.once("ping", () => seen.talkersPinged++);
  ws.once("close", () => seen.talkersCut++);
}
const talking = setInterval(() => talkers.forEach((ws) => ws.send("fix")), 300);
await new Promise((resolve) => setTimeout(resolve, intervalMs * 3 - 500));
clearInterval(talking);
console.log(JSON.stringify({ sockets, intervalMs, ...seen }));
for (const ws of [...silent, ...talkers]) ws.terminate();
await server.shutdown(100);
Deno.exit(0);
