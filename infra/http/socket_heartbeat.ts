// @ts-types="@types/ws"
import type { WebSocket } from "ws";

/**
 * One timer for every WebSocket of a server: each round pings every socket, and cuts one that has
 * not answered the previous round's ping (a phone that left the network without a close). A socket
 * costs a set entry while its ping is out, not a timer or a closure of its own.
 */
export function socketHeartbeat(
  sockets: ReadonlySet<WebSocket>,
  intervalMs: number,
): { stop(): void } {
  const waiting = new WeakSet<WebSocket>();
  const answered = function (this: WebSocket) {
    waiting.delete(this);
  };
  const timer = setInterval(() => {
    for (const ws of sockets) {
      if (waiting.has(ws)) {
        ws.terminate();
        continue;
      }
      if (ws.listenerCount("pong") === 0) ws.on("pong", answered);
      waiting.add(ws);
      ws.ping();
    }
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}
