import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { WSEvents } from "hono/ws";
import { z } from "zod";
import { authenticate, type Principal, REST_AUTH } from "./auth.ts";
import { originGuard } from "./origin_guard.ts";
import { type ServerSocket, upgradeWebSocket } from "./ws_upgrade.ts";
import { SocketGuard } from "./socket_guard.ts";
import type { RateLimiterOptions } from "./rate_limiter.ts";
import { socketAdmission, type SocketEnv } from "./socket_admission.ts";
import type { SocketLease, SocketRegistry } from "./socket_registry.ts";
import type { Metrics } from "../infra/metrics.ts";
import type { FleetFeed } from "../actors/fleet_protocol.ts";
import type { FleetErrorCode } from "../actors/fleet_viewer.ts";
import { type Order, orderSchema } from "../domain/order.ts";
import { type LocationRecord, locationRecordSchema } from "../domain/location_record.ts";

/** What the fleet routes need. */
export interface FleetWsDeps {
  readonly secret: string;
  readonly feed: FleetFeed;
  readonly allowedOrigins: readonly string[];
  readonly rate: Pick<RateLimiterOptions, "perSec" | "burst">;
  /** Socket limits and per-principal rate limiters, shared with the driver and viewer routes. */
  readonly registry: SocketRegistry;
  /** Counts open and refused sockets. */
  readonly metrics?: Metrics | undefined;
  /** The newest fix known for a driver. */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
  /** The driver's active orders. */
  readonly activeOrders: (driverId: string) => Promise<Order[]>;
}

/** The one frame a client sends on `GET /ws/fleet`: the map's viewport. */
export const viewportFrameSchema = z.object({
  type: z.literal("viewport"),
  bbox: z.tuple([
    z.number().min(-180).max(180),
    z.number().min(-90).max(90),
    z.number().min(-180).max(180),
    z.number().min(-90).max(90),
  ]).refine(([w, s, e, n]) => w <= e && s <= n, "west <= east and south <= north"),
  zoom: z.number().min(0).max(24).optional(),
});

/** The answer of `GET /fleet/drivers/:id`. */
export const fleetDriverAnswerSchema = z.object({
  driverId: z.string(),
  location: locationRecordSchema.nullable(),
  order: orderSchema.nullable().meta({ description: "The driver's active order, if any." }),
});

/**
 * `GET /ws/fleet` (ops): the client sends `{"type":"viewport","bbox":[west,south,east,north]}`
 * (and optionally `zoom`), then gets `positions`, `gone`, `clusters` and `stats` frames (see
 * `FleetFrame`). `GET /fleet/drivers/:id` (ops): the driver's newest fix and active order.
 */
export function fleetWsRoute(deps: FleetWsDeps): Hono<SocketEnv> {
  const app = new Hono<SocketEnv>();
  app.use("/ws/fleet", originGuard(deps.allowedOrigins));
  app.get(
    "/ws/fleet",
    authenticate(deps.secret, ["ops"]),
    socketAdmission(deps.registry, { metrics: deps.metrics }),
    upgradeWebSocket((c) => _fleetSocket(deps, c.get("principal"), c.get("lease"))),
  );
  // A REST route: the token only in Authorization, even with an Upgrade header.
  app.get("/fleet/drivers/:id", authenticate(deps.secret, ["ops"], REST_AUTH), async (c) => {
    const id = c.req.param("id");
    const [location, orders] = await Promise.all([
      deps.latestPosition(id),
      deps.activeOrders(id),
    ]);
    if (!location && orders.length === 0) {
      throw new HTTPException(404, { message: `nothing known about driver ${id}` });
    }
    const answer: z.infer<typeof fleetDriverAnswerSchema> = {
      driverId: id,
      location: location ?? null,
      order: orders[0] ?? null,
    };
    return c.json(answer);
  });
  return app;
}

/**
 * The events of one fleet socket: joins the feed on open, sets its viewport, leaves on close. It
 * counts against the socket limits like every other socket, and shares its principal's rate.
 */
function _fleetSocket(
  deps: FleetWsDeps,
  principal: Principal,
  lease: SocketLease,
): WSEvents<ServerSocket> {
  const id = crypto.randomUUID();
  const guard = new SocketGuard(principal, { rate: deps.rate, limiter: lease.limiter });
  return {
    onOpen: (_event, ws) => {
      const close = (code: number, reason: string) => ws.close(code, reason);
      guard.open(close);
      lease.opened(close);
      deps.metrics?.sockets.inc({ route: "fleet" });
      deps.feed.add(id, {
        send: (frame) => {
          if (ws.readyState !== 1) return false;
          ws.send(JSON.stringify(frame));
          return true;
        },
        buffered: () => ws.raw?.bufferedAmount ?? 0,
        close: (code, reason) => ws.close(code, reason),
      });
    },
    onMessage: (event, ws) => {
      const screened = guard.screen(event.data);
      if (!screened.ok) {
        if (screened.error) ws.send(JSON.stringify({ type: "error", ...screened.error }));
        if (screened.close) ws.close(screened.close.code, screened.close.reason);
        return;
      }
      let json: unknown;
      try {
        json = JSON.parse(screened.text);
      } catch {
        return ws.send(_error("invalid_json", "the frame is not JSON"));
      }
      const frame = viewportFrameSchema.safeParse(json);
      if (!frame.success) return ws.send(_error("invalid_frame", z.prettifyError(frame.error)));
      deps.feed.viewport(id, frame.data.bbox, frame.data.zoom);
    },
    onClose: () => {
      lease.release();
      if (!guard.closed()) return;
      deps.feed.remove(id);
      deps.metrics?.sockets.dec({ route: "fleet" });
    },
  };
}

function _error(code: FleetErrorCode, message: string): string {
  return JSON.stringify({ type: "error", code, message });
}
