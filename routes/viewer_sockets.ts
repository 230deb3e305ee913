import type { WSContext, WSEvents } from "hono/ws";
import type { Principal } from "./auth.ts";
import type { RateLimiterOptions } from "./rate_limiter.ts";
import { SocketGuard } from "./socket_guard.ts";
import type { SocketLease } from "./socket_registry.ts";
import { VIEWER, type ViewerSocket } from "../actors/viewer_actor.ts";
import type { ActorSystem } from "../actors/runtime/mod.ts";
import type { Metrics } from "../infra/metrics.ts";

/** What the viewer sockets need. */
export interface ViewerSocketsOptions {
  readonly system: ActorSystem;
  /** Frames per second and burst a viewer may send (viewers only listen; this stops floods). */
  readonly rate: Pick<RateLimiterOptions, "perSec" | "burst">;
  readonly metrics?: Metrics;
}

/** How a viewer route hooks into a connection's life. */
export interface ViewerHooks {
  /** The route name for metrics, e.g. "order". */
  readonly route: string;
  /** The socket is open and its ViewerActor is `viewerId`: subscribe it. */
  onOpen(viewerId: string): void;
  /** The socket closed: unsubscribe it. Runs once. */
  onClose(viewerId: string): void;
  /** Its place among the instance's sockets, and the principal's shared rate limiter. */
  readonly lease?: SocketLease | undefined;
}

/**
 * The open viewer sockets of this instance (customers on orders, restaurant dashboards), each with
 * its ViewerActor id. Gives ViewerActors their socket, and builds the WebSocket handlers the viewer
 * routes share: the socket limits of {@linkcode SocketGuard}, and clean-up on close.
 */
export class ViewerSockets {
  #options: ViewerSocketsOptions;
  #open = new Map<string, WSContext>();

  constructor(options: ViewerSocketsOptions) {
    this.#options = options;
  }

  /** The socket of a viewer while it is open; `undefined` once it is closing or gone. */
  socketFor = (viewerId: string): ViewerSocket | undefined => {
    const ws = this.#open.get(viewerId);
    if (!ws || ws.readyState !== 1) return undefined;
    return {
      send: (text) => ws.send(text),
      bufferedAmount: () => (ws.raw as WebSocket | undefined)?.bufferedAmount ?? 0,
      close: (code, reason) => ws.close(code, reason),
    };
  };

  /** Closes every viewer socket (shutdown). */
  closeAll(code: number, reason: string): void {
    for (const ws of this.#open.values()) if (ws.readyState <= 1) ws.close(code, reason);
  }

  /** WebSocket handlers for one viewer connection of `principal`. */
  handlers(principal: Principal, hooks: ViewerHooks): WSEvents {
    const { system, metrics, rate } = this.#options;
    const viewerId = crypto.randomUUID();
    const { lease } = hooks;
    const guard = new SocketGuard(principal, {
      rate,
      clock: system.clock,
      limiter: lease?.limiter,
    });
    return {
      onOpen: (_event, ws) => {
        this.#open.set(viewerId, ws);
        metrics?.sockets.inc({ route: hooks.route });
        guard.open((code, reason) => ws.close(code, reason));
        lease?.opened((code, reason) => ws.close(code, reason));
        hooks.onOpen(viewerId);
      },
      onMessage: (event, ws) => {
        // Viewers only listen: what they send is only screened against the socket limits.
        const frame = guard.screen(event.data);
        if (frame.ok || ws.readyState !== 1) return;
        if (frame.error) ws.send(JSON.stringify({ type: "error", ...frame.error }));
        if (frame.close) ws.close(frame.close.code, frame.close.reason);
      },
      onClose: () => {
        lease?.release();
        if (!guard.closed()) return;
        this.#open.delete(viewerId);
        metrics?.sockets.dec({ route: hooks.route });
        hooks.onClose(viewerId);
        void system.stop(VIEWER, viewerId);
      },
    };
  }
}
