import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import type { WSContext } from "hono/ws";
import { authenticate, type AuthEnv } from "./auth.ts";
import { originGuard } from "./origin_guard.ts";
import type { RateLimiterOptions } from "./rate_limiter.ts";
import { SocketGuard } from "./socket_guard.ts";
import type { DriverServerFrame, DriverSocket } from "../actors/driver_protocol.ts";
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
      const guard = new SocketGuard(principal, { rate: deps.rate, clock: deps.clock });
      let socket: DriverSocket | undefined;
      return {
        onOpen(_event, ws) {
          const opened = _socket(ws);
          socket = opened;
          deps.open.add(opened);
          deps.metrics?.sockets.inc({ route: "driver" });
          guard.open((code, reason) => opened.close(code, reason));
        },
        onMessage(event, ws) {
          if (!socket || ws.readyState !== 1) return;
          const frame = guard.screen(event.data);
          if (!frame.ok) {
            // A close without an error frame is the flood limit's.
            deps.metrics?.fixesRejected.inc({ reason: frame.error?.code ?? "rate_limited" });
            if (frame.error) socket.send({ type: "error", ...frame.error });
            if (frame.close) socket.close(frame.close.code, frame.close.reason);
            return;
          }
          try {
            driver.tell({ type: "frame", text: frame.text, socket });
          } catch (error) {
            if (!(error instanceof MailboxFullError)) throw error;
            deps.metrics?.fixesRejected.inc({ reason: "busy" });
            socket.send({
              type: "error",
              code: "busy",
              message: "too many frames in flight; slow down and resend",
            });
          }
        },
        onClose() {
          if (!guard.closed() || !socket) return;
          deps.open.delete(socket);
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
