import { Hono } from "hono";
import type { WSContext } from "hono/ws";
import { authenticate } from "./auth.ts";
import { originGuard } from "./origin_guard.ts";
import { upgradeWebSocket } from "./ws_upgrade.ts";
import type { RateLimiterOptions } from "./rate_limiter.ts";
import { SocketGuard } from "./socket_guard.ts";
import { socketAdmission, type SocketEnv } from "./socket_admission.ts";
import type { SocketLease, SocketRegistry } from "./socket_registry.ts";
import type { DriverServerFrame, DriverSocket } from "../actors/driver_protocol.ts";
import { DRIVER } from "../actors/driver_actor.ts";
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
  /** Frames per second and burst per driver; persistent abuse closes the socket with 4029. */
  readonly rate: Pick<RateLimiterOptions, "perSec" | "burst">;
  /** Socket limits and the per-driver rate limiters (shared with the viewer routes). */
  readonly registry: SocketRegistry;
  /** Time for rate limits and token expiry; defaults to the system clock. */
  readonly clock?: Clock | undefined;
}

/**
 * `GET /ws/driver`: checks the origin, authenticates the driver and hands every text frame to
 * its DriverActor, within a per-driver rate limit; closes the socket when the token expires.
 * A driver has one live socket: a newer one replaces it (closed with 4009), and the sockets of
 * this instance and of one driver are limited before the upgrade (503, 429).
 * The route only translates; the actor decides what to accept.
 */
export function driverWsRoute(deps: DriverWsDeps): Hono<SocketEnv> {
  const app = new Hono<SocketEnv>();
  app.get(
    "/ws/driver",
    originGuard(deps.allowedOrigins),
    authenticate(deps.secret, ["driver"]),
    socketAdmission(deps.registry, { exclusive: true, metrics: deps.metrics }),
    upgradeWebSocket((c) => {
      const principal = c.get("principal");
      const driver = deps.system.ref(DRIVER, principal.sub);
      const lease: SocketLease = c.get("lease");
      const guard = new SocketGuard(principal, {
        rate: deps.rate,
        clock: deps.clock,
        limiter: lease.limiter,
      });
      let socket: DriverSocket | undefined;
      return {
        onOpen(_event, ws) {
          const opened = _socket(ws);
          socket = opened;
          deps.open.add(opened);
          deps.metrics?.sockets.inc({ route: "driver" });
          guard.open((code, reason) => opened.close(code, reason));
          lease.opened((code, reason) => opened.close(code, reason));
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
          lease.release();
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
