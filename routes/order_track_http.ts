import { Hono } from "hono";
import { z } from "zod";
import { authenticate, type AuthEnv, REST_AUTH, ROLES } from "./auth.ts";
import { historyAnswer, readHistoryPage, type Retention } from "./history_answer.ts";
import { retentionNoteSchema } from "./history_formats.ts";
import { parseTrackQuery } from "./history_query.ts";
import { pathIds } from "./path_ids.ts";
import { type OrderTimes, trackWindow } from "../domain/track_window.ts";
import type { Order } from "../domain/order.ts";
import type { ShareStore } from "../domain/order_share.ts";
import { viewableOrder } from "./order_access.ts";
import type { HistoryStore } from "../domain/history_store.ts";
import { locationRecordSchema } from "../domain/location_record.ts";

/** What `GET /orders/:id/track` needs. */
export interface OrderTrackHttpDeps {
  readonly secret: string;
  /** The order, for who may see it (`permissions.viewOrder`) and its driver and status. */
  readonly order: (id: string) => Promise<Order | undefined>;
  /** When it was assigned, picked up, delivered (`infra/postgres/order_times.ts`). */
  /** Share links: the track takes a share token of that order while it is active. */
  readonly shares?: Pick<ShareStore, "isActive">;
  readonly orderTimes: (id: string) => Promise<OrderTimes | undefined>;
  readonly store: Pick<HistoryStore, "history">;
  /** `HISTORY_RETENTION_DAYS`: older fixes are not read. @default {30} */
  readonly retentionDays?: number;
  /** The clock, epoch ms. @default {Date.now} */
  readonly now?: () => number;
}

const _NO_TIMES: OrderTimes = { assignedAt: null, pickedUpAt: null, deliveredAt: null };

/**
 * `GET /orders/:id/track`: the assigned driver's fixes from assignment to delivery (to now
 * while the order is under way), for whoever may see the order (its customer, restaurant,
 * assigned driver, ops) and its active share links. Pages like `GET /drivers/:id/history`; `?format=geojson` or `gpx`.
 */
export function orderTrackHttpRoute(deps: OrderTrackHttpDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const now = deps.now ?? Date.now;
  const retention: Retention = { days: deps.retentionDays ?? 30, now };
  app.use("/orders/:id/track", pathIds(), authenticate(deps.secret, ROLES, REST_AUTH));

  app.get("/orders/:id/track", async (c) => {
    const id = c.req.param("id");
    const order = await viewableOrder(c.get("principal"), id, deps);
    const { format, after, limit } = parseTrackQuery(c.req.query());
    const window = trackWindow(order, (await deps.orderTimes(id)) ?? _NO_TIMES, now());
    if (window === undefined) {
      return historyAnswer(c, { points: [], next: null }, format, { orderId: id, driverId: null });
    }
    const { driverId, from, to } = window;
    const query = { from, to, limit, ...(after === undefined ? {} : { after }) };
    const page = await readHistoryPage(deps.store, driverId, query, retention);
    return historyAnswer(c, page, format, { orderId: id, driverId });
  });
  return app;
}

/** The answer of `GET /orders/:id/track`: one page of the order's track, oldest first. */
export const trackPageSchema = z.object({
  orderId: z.string(),
  driverId: z.string().nullable().meta({ description: "`null` before a driver is assigned." }),
  points: z.array(locationRecordSchema),
  next: z.number().int().nullable().meta({
    description: "Pass as `after` for the next page; `null` on the last page.",
  }),
  retention: retentionNoteSchema.optional(),
});
