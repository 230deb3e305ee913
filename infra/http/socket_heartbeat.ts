// @ts-types="@types/ws"
import type { WebSocket } from "ws";

/** Sockets a ping round visits in one turn of the event loop before it lets other work run. */
export const HEARTBEAT_SLICE = 500;

/** What {@linkcode socketHeartbeat} returns. */
export interface SocketHeartbeat {
  /** Starts listening to a new socket: what it sends from now on counts as a sign of life. */
  watch(ws: WebSocket): void;
  stop(): void;
}

/**
 * One timer for every WebSocket of a server: each round pings every socket that has been silent
 * since the previous round, and cuts one that has answered neither that ping nor with a message (a
 * phone that left the network without a close). A socket that sent something since the last round
 * is alive and is not pinged: a driver sending a fix a second, or every 10 s, costs no ping and no
 * pong at all (each a socket write or read, about 15 µs of CPU in Deno's Node layer).
 *
 * A socket is listened to from its connection (`watch`), so a driver that connected since the last
 * round and has sent a fix is not pinged either. (Listening from the first round instead pinged
 * every newly connected driver in one turn: 10,000 pings, then their pongs, held every ack behind
 * them for a tenth of a second.) A round visits {@linkcode HEARTBEAT_SLICE} sockets a turn, so
 * even a fleet of silent sockets is pinged in short turns between the others' work. A socket costs
 * a set entry while it is unheard or its ping is out, not a timer or a closure of its own.
 */
export function socketHeartbeat(
  sockets: ReadonlySet<WebSocket>,
  intervalMs: number,
): SocketHeartbeat {
  const waiting = new WeakSet<WebSocket>();
  const heard = new WeakSet<WebSocket>();
  const answered = function (this: WebSocket) {
    waiting.delete(this);
  };
  const spoke = function (this: WebSocket) {
    heard.add(this);
  };
  const watch = (ws: WebSocket) => {
    if (ws.listenerCount("pong") > 0) return;
    ws.on("pong", answered);
    ws.on("message", spoke);
  };
  const visit = (ws: WebSocket) => {
    if (heard.has(ws)) {
      heard.delete(ws);
      waiting.delete(ws);
    } else if (waiting.has(ws)) {
      ws.terminate();
    } else {
      watch(ws); // a socket that was never handed to `watch`
      waiting.add(ws);
      ws.ping();
    }
  };
  let round: Iterator<WebSocket> | undefined;
  let next: ReturnType<typeof setTimeout> | undefined;
  const slice = () => {
    next = undefined;
    for (let i = 0; i < HEARTBEAT_SLICE; i++) {
      const step = round!.next();
      if (step.done) {
        round = undefined;
        return;
      }
      visit(step.value);
    }
    next = setTimeout(slice, 0);
  };
  const timer = setInterval(() => {
    if (round) return; // the last round is still going (hundreds of thousands of sockets)
    round = sockets.values();
    slice();
  }, intervalMs);
  return {
    watch,
    stop: () => {
      clearInterval(timer);
      if (next !== undefined) clearTimeout(next);
      round = undefined;
    },
  };
}
