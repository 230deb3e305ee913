import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import { HTTPException } from "hono/http-exception";
import type { WSEvents } from "hono/ws";
import { z } from "zod";
import { authenticate, type AuthEnv, type Principal, REST_AUTH } from "./auth.ts";
import { originGuard } from "./origin_guard.ts";
import { SocketGuard } from "./socket_guard.ts";
import type { RateLimiterOptions } from "./rate_limiter.ts";
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
export function fleetWsRoute(deps: FleetWsDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use("/ws/fleet", originGuard(deps.allowedOrigins));
  app.get(
    "/ws/fleet",
    authenticate(deps.secret, ["ops"]),
    upgradeWebSocket((c) => _fleetSocket(deps, c.get("principal"))),
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

/** The events of one fleet socket: joins the feed on open, sets its viewport, leaves on close. */
function _fleetSocket(deps: FleetWsDeps, principal: Principal): WSEvents<WebSocket> {
  const id = crypto.randomUUID();
  const guard = new SocketGuard(principal, { rate: deps.rate });
  return {
    onOpen: (_event, ws) => {
      guard.open((code, reason) => ws.close(code, reason));
      deps.feed.add(id, {
        send: (frame) => {
          if (ws.readyState !== 1) return false;
          ws.send(JSON.stringify(frame));
          return true;
        },
        buffered: () => (ws.raw as WebSocket | undefined)?.bufferedAmount ?? 0,
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
      if (guard.closed()) deps.feed.remove(id);
    },
  };
}

function _error(code: FleetErrorCode, message: string): string {
  return JSON.stringify({ type: "error", code, message });
}
