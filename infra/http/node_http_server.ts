import http, { type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { getRequestListener } from "@hono/node-server";
// @ts-types="@types/ws"
import { type WebSocket, WebSocketServer } from "ws";
import { logger } from "../../lib/log.ts";
import { type SocketHeartbeat, socketHeartbeat } from "./socket_heartbeat.ts";
import { writeRefusal } from "./write_refusal.ts";

const _log = logger("http");

/**
 * What a WebSocket upgrade request carries in the app's `env` (hono's `c.env`): the route that
 * decides to accept calls `accept()` after its checks; until then nothing is written to the
 * client, so a refused request gets the app's answer and no socket.
 */
export interface WsUpgrade {
  /** Completes the handshake; `undefined` when the handshake is invalid (a 400 was written). */
  accept(): WebSocket | undefined;
  /** Whether `accept()` produced a socket. */
  readonly accepted: boolean;
}

/**
 * The app's fetch: a request, and in `env` the address of the peer (`remoteAddress`: the
 * client's, or the reverse proxy's) and, on upgrade requests, `{ upgrade }`.
 */
export type NodeFetch = (
  request: Request,
  env: { readonly upgrade?: WsUpgrade; readonly remoteAddress?: string | undefined },
) => Response | Promise<Response>;

/** Options of {@linkcode serveNodeHttp}; every limit is documented in docs/limits.md. */
export interface NodeHttpOptions {
  readonly hostname: string;
  readonly port: number;
  /** SO_REUSEPORT, so several processes share the port. */
  readonly reusePort: boolean;
  /** TCP connections held at once (HTTP, upgraded or idle); a new one over it is closed at once. */
  readonly maxConnections: number;
  /** Time for a client to send its request's headers, ms (slow-header clients). */
  readonly headersTimeoutMs: number;
  /** Time for a client to send its whole request, ms (slow bodies). */
  readonly requestTimeoutMs: number;
  /** Time an idle keep-alive connection stays open between requests, ms. */
  readonly keepAliveTimeoutMs: number;
  /** Largest WebSocket message, bytes, counted over its fragments while reading: close 1009. */
  readonly maxMessageBytes: number;
  /** A socket that has not answered a ping within this many ms is cut. */
  readonly pingIntervalMs: number;
  /** Called for each connection refused because `maxConnections` was reached. */
  readonly onConnectionRefused?: () => void;
}

/** A running server. */
export interface NodeHttpServer {
  /** The port it listens on (useful with port 0). */
  readonly port: number;
  /**
   * Stops accepting, closes idle connections and WebSockets with 1001, and resolves once every
   * connection is gone or `graceMs` passed (then the rest are cut).
   */
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * Serves `fetch` with `node:http` and WebSockets with the `ws` library, for the limits Deno's own
 * server lacks: a header and request timeout, a cap on connections (below the open-files limit,
 * so idle TCP connections cannot exhaust it), and a WebSocket message size counted over
 * continuation frames while reading. An accept error (EMFILE) is logged and survived.
 */
export function serveNodeHttp(fetch: NodeFetch, options: NodeHttpOptions): Promise<NodeHttpServer> {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: true,
  });
  const heartbeat = socketHeartbeat(wss.clients, options.pingIntervalMs);
  wss.on("connection", heartbeat.watch);
  const server = http.createServer(
    {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs),
    },
    getRequestListener(
      (request, { incoming }) =>
        fetch(_native(request), { remoteAddress: incoming.socket.remoteAddress }),
      { overrideGlobalObjects: false },
    ),
  );
  server.maxConnections = options.maxConnections;
  server.on("drop", () => options.onConnectionRefused?.());
  server.on("upgrade", (req, socket, head) => void _upgrade(fetch, wss, { req, socket, head }));
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => {
      heartbeat.stop(); // nothing to ping: the server never listened
      reject(error);
    };
    server.once("error", failed);
    server.listen(
      { host: options.hostname, port: options.port, reusePort: options.reusePort },
      () => {
        server.off("error", failed);
        server.on("error", _acceptError);
        const address = server.address();
        resolve({
          port: typeof address === "object" && address ? address.port : options.port,
          shutdown: (graceMs = 1_000) => _shutdown(server, wss, heartbeat, graceMs),
        });
      },
    );
  });
}

/** Runs the app for an upgrade request; a request it does not accept gets the app's answer. */
async function _upgrade(
  fetch: NodeFetch,
  wss: WebSocketServer,
  raw: { req: IncomingMessage; socket: Duplex; head: Buffer },
): Promise<void> {
  const { req, socket, head } = raw;
  socket.on("error", _ignore);
  let socketOf: WebSocket | undefined;
  const upgrade: WsUpgrade = {
    accept() {
      if (socketOf || socket.destroyed) return socketOf;
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on("error", _ignore); // a refused message (1009) is reported here, then closed
        socketOf = ws;
        wss.emit("connection", ws, req);
      });
      return socketOf;
    },
    get accepted() {
      return socketOf !== undefined;
    },
  };
  let response: Response;
  try {
    response = await fetch(_upgradeRequest(req), {
      upgrade,
      remoteAddress: req.socket.remoteAddress,
    });
  } catch (error) {
    _log.error("upgrade request failed", { error });
    response = new Response(null, { status: 500 });
  }
  if (!upgrade.accepted) await writeRefusal(socket, response);
}

/**
 * A Deno `Request` for the adapter's lazy one, which Deno's own `Request` constructor (used by
 * hono's body limit) refuses: `@hono/node-server` only makes it acceptable by replacing the global
 * classes, which this service does not do.
 */
function _native(request: Request): Request {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    ...(hasBody && { body: request.body, duplex: "half" }),
  });
}

/**
 * The upgrade request as a Deno `Request`. Its headers are given as pairs: filling a `Headers` one
 * `set` at a time, which the constructor then copies, took 30 µs a handshake, pairs 7 µs (alone,
 * 8 headers), and its garbage was a seventh of all the service allocated while drivers connected.
 */
function _upgradeRequest(req: IncomingMessage): Request {
  const headers: [string, string][] = [];
  for (const key in req.headers) {
    const value = req.headers[key];
    if (value !== undefined) headers.push([key, Array.isArray(value) ? value.join(", ") : value]);
  }
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, { headers });
}

let _acceptErrors = 0;
/** An error of the listening socket (EMFILE on accept): logged (the first, then every 1,000th). */
function _acceptError(error: Error): void {
  if (_acceptErrors++ % 1_000 === 0) {
    _log.warn("accepting a connection failed", { error, count: _acceptErrors });
  }
}

function _ignore(): void {}

async function _shutdown(
  server: http.Server,
  wss: WebSocketServer,
  heartbeat: SocketHeartbeat,
  graceMs: number,
): Promise<void> {
  heartbeat.stop();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  for (const ws of wss.clients) ws.close(1001, "server shutting down");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => timer = setTimeout(resolve, graceMs));
  await Promise.race([closed, late]);
  clearTimeout(timer);
  for (const ws of wss.clients) ws.terminate();
  server.closeAllConnections();
  await closed;
}
