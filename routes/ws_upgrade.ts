import { Buffer } from "node:buffer";
import type { Context } from "hono";
import {
  defineWebSocketHelper,
  WSContext,
  type WSContextInit,
  type WSEvents,
  type WSReadyState,
} from "hono/ws";
// @ts-types="@types/ws"
import type { RawData, WebSocket } from "ws";

/**
 * The server's side of an upgrade, in `c.env.upgrade` (see `infra/http/node_http_server.ts`):
 * `accept()` completes the handshake and answers the socket, or `undefined` when the client's
 * handshake was invalid (the server has answered 400).
 */
interface _Upgrade {
  accept(): WebSocket | undefined;
  readonly accepted: boolean;
}

/** A server-side socket, as the routes' events see it in `ws.raw`. */
export type ServerSocket = WebSocket;

/**
 * What hono's `WSContext` calls on a socket, as one small object whose methods are shared: an
 * object literal with a getter kept its properties in a dictionary of its own (about 470 bytes a
 * socket) besides a closure per method. No `url`: no route reads it, and `WSContext` would keep a
 * copy of its own, two URLs per socket whose text holds the token.
 */
class _SocketInit implements WSContextInit<WebSocket> {
  readonly raw: WebSocket;

  constructor(ws: WebSocket) {
    this.raw = ws;
  }

  get protocol(): string {
    return this.raw.protocol;
  }

  get readyState(): WSReadyState {
    return this.raw.readyState;
  }

  send(data: string | ArrayBuffer | Uint8Array<ArrayBuffer>): void {
    this.raw.send(data);
  }

  close(code?: number, reason?: string): void {
    this.raw.close(code, reason);
  }
}

function _upgradeOf(c: Context): _Upgrade | undefined {
  return (c.env as { upgrade?: _Upgrade } | undefined)?.upgrade;
}

/**
 * hono's `upgradeWebSocket` for the service's `node:http` server and the `ws` library: the route's
 * middleware runs first, so a refused client never gets a socket; then the handshake completes
 * and the route's events get the socket's messages (text as a string, binary as an ArrayBuffer).
 * A message over the server's size limit never reaches them: `ws` closes the socket with 1009
 * while reading its fragments. A request that is not an upgrade passes on (`next()`); one that
 * did not come through the server (`app.request` in tests) gets 426.
 */
export const upgradeWebSocket = defineWebSocketHelper<WebSocket>(
  (c, events: WSEvents<WebSocket>) => {
    if (!isUpgradeRequest(c)) return Promise.resolve();
    const upgrade = _upgradeOf(c);
    if (!upgrade) return Promise.resolve(new Response(null, { status: 426 }));
    const ws = upgrade.accept();
    if (!ws) return Promise.resolve(new Response(null, { status: 400 }));
    const ctx = new WSContext<WebSocket>(new _SocketInit(ws));
    // The events only read `data`: a plain object instead of a MessageEvent per message.
    if (events.onMessage) {
      const onMessage = events.onMessage;
      ws.on("message", (data: RawData, isBinary: boolean) => {
        onMessage(
          { data: isBinary ? _arrayBuffer(data) : (data as Buffer).toString() } as MessageEvent,
          ctx,
        );
      });
    }
    ws.on("close", (code: number, reason: Buffer) => {
      events.onClose?.(new CloseEvent("close", { code, reason: reason.toString() }), ctx);
    });
    events.onOpen?.(new Event("open"), ctx);
    return Promise.resolve(new Response(null, { status: 200 }));
  },
);

/** Whether this request asks to be upgraded to a WebSocket (`Upgrade: websocket`). */
export function isUpgradeRequest(c: Context): boolean {
  return c.req.header("upgrade")?.toLowerCase() === "websocket";
}

/** Whether this request was upgraded to a WebSocket (the app's answer is then not sent). */
export function upgraded(c: Context): boolean {
  return _upgradeOf(c)?.accepted === true;
}

function _arrayBuffer(data: RawData): ArrayBuffer {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
