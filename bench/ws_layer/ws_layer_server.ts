/**
 * The tiny WebSocket server of `bench/ws_layer/ws_layer.ts`, on one of two layers:
 *
 * - `deno`: `Deno.serve` + hono/deno's `upgradeWebSocket` (the service's layer today; Deno's
 *   WebSocket has no message-size option, so like the service it closes with 1009 only after a
 *   message over 64 KiB was assembled);
 * - `ws`: `node:http` + npm `ws` (`noServer`, `maxPayload: 65536`, `perMessageDeflate: false`),
 *   with `WS_NO_BUFFER_UTIL=1` so ws masks and unmasks in JavaScript;
 * - `ws-bufferutil`: the same with the native `bufferutil` addon loaded (its prebuilt binary
 *   from the npm package); `/stats` counts the calls ws makes into it, to prove it is used.
 *
 * On `/ws`, every text message is `JSON.parse`d and every 10th one of a socket (`--ack-every N`)
 * is answered with a small JSON ack, like a driver socket (the service acks every fix of a driver
 * sending one a second or slower: `--ack-every 1` measures that). `GET /stats` answers {@linkcode ServerStats} as JSON.
 * Prints `listening <port>` on stdout once it accepts connections.
 *
 *   deno run -A bench/ws_layer/ws_layer_server.ts --impl deno|ws|ws-bufferutil [--port 0]
 *     [--ack-every 10]
 *     [--max-connections N]   (ws: `server.maxConnections`)
 *     [--catch-finished]      (deno: handle a rejection of `server.finished`)
 * @module
 */
import http from "node:http";
import { parseArgs } from "node:util";
import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
// @ts-types="@types/ws"
import type * as Ws from "ws";

/** What `GET /stats` answers. */
export interface ServerStats {
  impl: string;
  /** text messages received (parsed or not) */
  messages: number;
  acks: number;
  /** messages that were not JSON */
  badJson: number;
  open: number;
  opened: number;
  /** close codes seen, by code */
  closes: Record<string, number>;
  /** errors on sockets and on the HTTP server, by message */
  errors: Record<string, number>;
  heapUsedMiB: number;
  /** calls into the native bufferutil's `unmask` (`ws-bufferutil` only) */
  nativeUnmaskCalls: number;
}

const MAX_MESSAGE = 65536;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    impl: { type: "string", default: "deno" },
    port: { type: "string", default: "0" },
    "ack-every": { type: "string", default: "10" },
    "max-connections": { type: "string" },
    "catch-finished": { type: "boolean", default: false },
  },
});
const impl = values.impl;
const _ACK_EVERY = Number(values["ack-every"]);
if (!Number.isInteger(_ACK_EVERY) || _ACK_EVERY < 1) {
  throw new Error("--ack-every must be a whole number >= 1");
}
const stats: ServerStats = {
  impl,
  messages: 0,
  acks: 0,
  badJson: 0,
  open: 0,
  opened: 0,
  closes: {},
  errors: {},
  heapUsedMiB: 0,
  nativeUnmaskCalls: 0,
};

function _count(map: Record<string, number>, key: string): void {
  if (!map[key]) console.error(`ws_layer_server ${impl}: first "${key}"`);
  map[key] = (map[key] ?? 0) + 1;
}

function _snapshot(): string {
  stats.heapUsedMiB = Math.round(Deno.memoryUsage().heapUsed / 2 ** 20);
  return JSON.stringify(stats);
}

/** Parses one message and says whether this one (the socket's `n`th) gets an ack. */
function _onText(text: string, n: number): boolean {
  stats.messages += 1;
  try {
    JSON.parse(text);
  } catch {
    stats.badJson += 1;
  }
  return n % _ACK_EVERY === 0;
}

function _ack(n: number): string {
  stats.acks += 1;
  return `{"type":"ack","n":${n}}`;
}

function _serveDeno(port: number): void {
  const app = new Hono();
  app.get(
    "/ws",
    upgradeWebSocket(() => {
      let n = 0;
      return {
        onOpen: () => void (stats.open += 1, stats.opened += 1),
        onMessage: (event, ws) => {
          if (typeof event.data !== "string") return;
          if (event.data.length > MAX_MESSAGE) return ws.close(1009, "too big");
          if (_onText(event.data, ++n)) ws.send(_ack(n));
        },
        onClose: (event) => void (stats.open -= 1, _count(stats.closes, String(event.code))),
        onError: () => _count(stats.errors, "socket error"),
      };
    }),
  );
  app.get("/stats", (c) => c.body(_snapshot(), 200, { "content-type": "application/json" }));
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen: (addr) => console.log(`listening ${addr.port}`),
    onError: (e) => {
      _count(stats.errors, String(e).slice(0, 80));
      return new Response("error", { status: 500 });
    },
  }, app.fetch);
  // Without this (the service's case), an accept error such as EMFILE rejects `finished`
  // unhandled and ends the process.
  if (values["catch-finished"]) {
    server.finished.catch((e) => _count(stats.errors, `finished: ${String(e).slice(0, 70)}`));
  }
}

function _onSocket(ws: Ws.WebSocket): void {
  let n = 0;
  stats.open += 1;
  stats.opened += 1;
  ws.on("message", (data, isBinary) => {
    if (isBinary) return;
    if (_onText(String(data), ++n)) ws.send(_ack(n));
  });
  ws.on("close", (code) => void (stats.open -= 1, _count(stats.closes, String(code))));
  ws.on("error", (e) => _count(stats.errors, e.message.slice(0, 80)));
}

async function _serveWs(port: number): Promise<void> {
  if (impl === "ws-bufferutil") {
    const bufferutil = (await import("bufferutil")).default;
    const unmask = bufferutil.unmask;
    bufferutil.unmask = (buffer: Uint8Array, mask: Uint8Array) => {
      stats.nativeUnmaskCalls += 1;
      unmask(buffer, mask);
    };
  } else {
    Deno.env.set("WS_NO_BUFFER_UTIL", "1");
  }
  // ws reads WS_NO_BUFFER_UTIL and loads bufferutil when it is first imported: so only now.
  const { WebSocketServer } = (await import("ws")) as typeof Ws;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const server = http.createServer({
    headersTimeout: 10_000,
    requestTimeout: 15_000,
    connectionsCheckingInterval: 1_000,
  }, (req, res) => {
    res.writeHead(req.url === "/stats" ? 200 : 404, { "content-type": "application/json" });
    res.end(req.url === "/stats" ? _snapshot() : "{}");
  });
  if (values["max-connections"]) server.maxConnections = Number(values["max-connections"]);
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", (e) => _count(stats.errors, `upgrade socket: ${e.message.slice(0, 60)}`));
    if (req.url !== "/ws") return void socket.destroy();
    wss.handleUpgrade(req, socket, head, _onSocket);
  });
  server.on("error", (e) => _count(stats.errors, `server: ${e.message.slice(0, 70)}`));
  server.on("clientError", (e, socket) => {
    _count(stats.errors, `client: ${e.message.slice(0, 70)}`);
    socket.destroy();
  });
  server.listen(port, "127.0.0.1", () => {
    const addr = server.address();
    console.log(`listening ${typeof addr === "object" && addr ? addr.port : port}`);
  });
}

if (impl === "deno") _serveDeno(Number(values.port));
else if (impl === "ws" || impl === "ws-bufferutil") await _serveWs(Number(values.port));
else throw new Error(`--impl must be deno, ws or ws-bufferutil, not ${impl}`);
