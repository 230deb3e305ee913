import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import type { WSContext } from "hono/ws";
import { authenticate, type AuthEnv } from "./auth.ts";
import {
  CLOSE_CODES,
  type DriverServerFrame,
  type DriverSocket,
  MAX_FRAME_CHARS,
} from "../actors/driver_protocol.ts";
import type { DriverMessage } from "../actors/driver_actor.ts";
import { type ActorSystem, MailboxFullError } from "../actors/runtime/mod.ts";
import type { Metrics } from "../infra/metrics.ts";

/** What the driver socket route needs. */
export interface DriverWsDeps {
  readonly system: ActorSystem;
  readonly secret: string;
  readonly metrics?: Metrics;
  /** Sockets currently open, so shutdown can close them with 1001. */
  readonly open: Set<DriverSocket>;
}

/**
 * `GET /ws/driver`: authenticates the driver and hands every text frame to its DriverActor.
 * The route only translates; the actor decides what to accept.
 */
export function driverWsRoute(deps: DriverWsDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get(
    "/ws/driver",
    authenticate(deps.secret, ["driver"]),
    upgradeWebSocket((c) => {
      const driverId = c.get("principal").sub;
      const driver = deps.system.ref<DriverMessage>("driver", driverId);
      let socket: DriverSocket | undefined;
      return {
        onOpen(_event, ws) {
          socket = _socket(ws);
          deps.open.add(socket);
          deps.metrics?.sockets.inc({ route: "driver" });
        },
        onMessage(event) {
          if (!socket) return;
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
          if (!socket) return;
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

function _error(
  socket: DriverSocket,
  deps: DriverWsDeps,
  code: "invalid_frame" | "frame_too_large" | "busy",
  message: string,
) {
  deps.metrics?.fixesRejected.inc({ reason: code });
  socket.send({ type: "error", code, message });
}
