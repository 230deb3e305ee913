import assert from "node:assert/strict";
// @ts-types="@types/ws"
import { WebSocket } from "ws";
import { type NodeFetch, serveNodeHttp } from "./node_http_server.ts";

/** Accepts every upgrade and echoes nothing: the heartbeat is all that happens on the socket. */
const _accept: NodeFetch = (_request, env) => {
  env.upgrade?.accept();
  return new Response(null, { status: 101 });
};

function _serve(pingIntervalMs: number) {
  return serveNodeHttp(_accept, {
    hostname: "127.0.0.1",
    port: 0,
    reusePort: false,
    maxConnections: 100,
    headersTimeoutMs: 5_000,
    requestTimeoutMs: 5_000,
    keepAliveTimeoutMs: 5_000,
    maxMessageBytes: 1 << 16,
    pingIntervalMs,
  });
}

function _open(port: number, autoPong: boolean): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { autoPong });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

Deno.test("over real sockets, a client that sends is never pinged, one that answers pings stays, one that answers nothing is cut", async () => {
  // Rounds far apart next to the talker's sends, so that a busy test machine delaying this
  // process's timers by a few hundred ms does not leave the talker silent for a whole round.
  const server = await _serve(500);
  const talker = await _open(server.port, true);
  const answerer = await _open(server.port, true);
  const deaf = await _open(server.port, false);
  const pings = { talker: 0, answerer: 0, deaf: 0 };
  talker.on("ping", () => pings.talker++);
  answerer.on("ping", () => pings.answerer++);
  deaf.on("ping", () => pings.deaf++);
  const deafClosed = new Promise<number>((resolve) => deaf.once("close", resolve));
  const talking = setInterval(() => talker.send("fix"), 20);
  try {
    talker.send("fix"); // before the first round: heard since its connection
    const code = await deafClosed;
    assert.equal(code, 1006, "cut without a close frame");
    assert.ok(pings.deaf >= 1, "pinged before it was cut");
    assert.ok(pings.answerer >= 1, "a silent socket is pinged");
    assert.equal(answerer.readyState, WebSocket.OPEN, "its pongs keep it");
    assert.equal(pings.talker, 0, "a socket that sends is never pinged");
    assert.equal(talker.readyState, WebSocket.OPEN);
  } finally {
    clearInterval(talking);
    talker.terminate();
    answerer.terminate();
    deaf.terminate();
    await server.shutdown(100);
  }
});
