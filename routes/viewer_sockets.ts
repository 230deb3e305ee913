import type { WSContext, WSEvents } from "hono/ws";
import type { Principal } from "./auth.ts";
import { RateLimiter, type RateLimiterOptions } from "./rate_limiter.ts";
import { closeOnExpiry } from "./token_expiry.ts";
import { VIEWER_CLOSE_CODES } from "../actors/order_protocol.ts";
import { CLOSE_CODES, MAX_FRAME_CHARS } from "../actors/driver_protocol.ts";
import type { ViewerSocket } from "../actors/viewer_actor.ts";
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
}

/**
 * The open viewer sockets of this instance (customers on orders, restaurant dashboards), each with
 * its ViewerActor id. Gives ViewerActors their socket, and builds the WebSocket handlers the viewer
 * routes share: token expiry (4001), flood limit (4029), and clean-up on close.
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
    const { system, metrics } = this.#options;
    const viewerId = crypto.randomUUID();
    const limiter = new RateLimiter({ ...this.#options.rate, clock: system.clock });
    let cancelExpiry: (() => void) | undefined;
    return {
      onOpen: (_event, ws) => {
        this.#open.set(viewerId, ws);
        metrics?.sockets.inc({ route: hooks.route });
        cancelExpiry = closeOnExpiry(principal, (code, reason) => ws.close(code, reason), {
          clock: system.clock,
        });
        hooks.onOpen(viewerId);
      },
      onMessage: (event, ws) => {
        // Viewers only listen; anything they send counts against the flood limit.
        if (typeof event.data === "string" && event.data.length > MAX_FRAME_CHARS) {
          return ws.close(CLOSE_CODES.tooLarge, "frame too large");
        }
        const verdict = limiter.take();
        if (verdict === "abusive") ws.close(VIEWER_CLOSE_CODES.rateLimited, "rate limit exceeded");
        else if (verdict === "limited") {
          ws.send(JSON.stringify({ type: "error", code: "rate_limited", message: "slow down" }));
        }
      },
      onClose: () => {
        // Deno may report a vanished client's close twice.
        if (!cancelExpiry) return;
        cancelExpiry();
        cancelExpiry = undefined;
        this.#open.delete(viewerId);
        metrics?.sockets.dec({ route: hooks.route });
        hooks.onClose(viewerId);
        void system.stop("viewer", viewerId);
      },
    };
  }
}
