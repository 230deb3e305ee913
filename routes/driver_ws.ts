import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import type { WSContext } from "hono/ws";
import { authenticate, type AuthEnv } from "./auth.ts";
import { originGuard } from "./origin_guard.ts";
import { RateLimiter, type RateLimiterOptions } from "./rate_limiter.ts";
import { closeOnExpiry } from "./token_expiry.ts";
import {
  CLOSE_CODES,
  type DriverServerFrame,
  type DriverSocket,
  MAX_FRAME_CHARS,
} from "../actors/driver_protocol.ts";
import type { DriverMessage } from "../actors/driver_actor.ts";
import { type ActorSystem, type Clock, MailboxFullError } from "../actors/runtime/mod.ts";
import type { Metrics } from "../infra/metrics.ts";

/** What the driver socket route needs. */
export interface DriverWsDeps {
  readonly system: ActorSystem;
  readonly secret: string;
  readonly metrics?: Metrics;
  /** Sockets currently open, so shutdown can close them with 1001. */
  readonly open: Set<DriverSocket>;
  /** Browser origins allowed to connect (`*` for all); requests without `Origin` always pass. */
  readonly allowedOrigins: readonly string[];
  /** Frames per second and burst per socket; persistent abuse closes it with 4029. */
  readonly rate: Pick<RateLimiterOptions, "perSec" | "burst">;
  /** Time for rate limits and token expiry; defaults to the system clock. */
  readonly clock?: Clock | undefined;
}

/**
 * `GET /ws/driver`: checks the origin, authenticates the driver and hands every text frame to
 * its DriverActor, within a per-socket rate limit; closes the socket when the token expires.
 * The route only translates; the actor decides what to accept.
 */
export function driverWsRoute(deps: DriverWsDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get(
    "/ws/driver",
    originGuard(deps.allowedOrigins),
    authenticate(deps.secret, ["driver"]),
    upgradeWebSocket((c) => {
      const principal = c.get("principal");
      const driver = deps.system.ref<DriverMessage>("driver", principal.sub);
      const clock = deps.clock;
      const limiter = new RateLimiter({ ...deps.rate, clock });
      let socket: DriverSocket | undefined;
      let cancelExpiry = () => {};
      return {
        onOpen(_event, ws) {
          const opened = _socket(ws);
          socket = opened;
          deps.open.add(opened);
          deps.metrics?.sockets.inc({ route: "driver" });
          const close = (code: number, reason: string) => opened.close(code, reason);
          cancelExpiry = closeOnExpiry(principal, close, { clock });
        },
        onMessage(event, ws) {
          if (!socket || ws.readyState !== 1) return;
          const verdict = limiter.take();
          if (verdict === "abusive") {
            deps.metrics?.fixesRejected.inc({ reason: "rate_limited" });
            return socket.close(CLOSE_CODES.rateLimited, "rate limit exceeded");
          }
          if (verdict === "limited") {
            return _error(
              socket,
              deps,
              "rate_limited",
              `over ${deps.rate.perSec} frames/s (burst ${deps.rate.burst}); slow down`,
            );
          }
          const data = event.data;
          if (typeof data !== "string") {
            return _error(socket, deps, "invalid_frame", "send JSON text frames");
          }
          if (data.length > MAX_FRAME_CHARS) {
            _error(
              socket,
              deps,
              "frame_too_large",
              `frames are limited to ${MAX_FRAME_CHARS} bytes`,
            );
            return socket.close(CLOSE_CODES.tooLarge, "frame too large");
          }
          try {
            driver.tell({ type: "frame", text: data, socket });
          } catch (error) {
            if (!(error instanceof MailboxFullError)) throw error;
            _error(socket, deps, "busy", "too many frames in flight; slow down and resend");
          }
        },
        onClose() {
          cancelExpiry();
          // Idempotent: Deno may report one close twice.
          if (!socket || !deps.open.delete(socket)) return;
          deps.metrics?.sockets.dec({ route: "driver" });
        },
      };
    }),
  );
  return app;
}

function _socket(ws: WSContext): DriverSocket {
  return {
    send(frame: DriverServerFrame) {
      if (ws.readyState === 1) ws.send(JSON.stringify(frame));
    },
    close(code: number, reason: string) {
      if (ws.readyState <= 1) ws.close(code, reason);
    },
  };
}

function _error(
  socket: DriverSocket,
  deps: DriverWsDeps,
  code: "invalid_frame" | "frame_too_large" | "busy" | "rate_limited",
  message: string,
) {
  deps.metrics?.fixesRejected.inc({ reason: code });
  socket.send({ type: "error", code, message });
}
