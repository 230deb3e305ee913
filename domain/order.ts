import { z } from "zod";
import { idSchema } from "./ids.ts";

/** Where an order is in its life: created → assigned → picked_up → delivered, or cancelled. */
export const ORDER_STATUSES = [
  "created",
  "assigned",
  "picked_up",
  "delivered",
  "cancelled",
] as const;

/** One of {@linkcode ORDER_STATUSES}. */
export type OrderStatus = typeof ORDER_STATUSES[number];

const _lat = z.number().min(-90).max(90);
const _lon = z.number().min(-180).max(180);

/** A point in degrees. */
export const geoPointSchema = z.object({ lat: _lat, lon: _lon });

/** A point in degrees. */
export type GeoPoint = Readonly<z.infer<typeof geoPointSchema>>;

/** An order as stored in PostgreSQL and carried in `order-events`. */
export const orderSchema = z.object({
  id: z.string(),
  restaurantId: z.string(),
  customerId: z.string(),
  driverId: z.string().nullable(),
  pickup: geoPointSchema,
  dropoff: geoPointSchema,
  status: z.enum(ORDER_STATUSES),
  createdAt: z.number().int().meta({ description: "Epoch ms." }),
  updatedAt: z.number().int().meta({ description: "Epoch ms of the last change." }),
});

/** An order as stored in PostgreSQL and carried in `order-events`. */
export type Order = Readonly<z.infer<typeof orderSchema>>;

/** Kinds of notification: near the drop-off (customer), or arriving at the pickup (restaurant). */
export const NOTIFICATION_KINDS = ["driver_near", "driver_arriving"] as const;

/** One of {@linkcode NOTIFICATION_KINDS}. */
export type NotificationKind = typeof NOTIFICATION_KINDS[number];

/** A "driver near" or "driver arriving" notification, stored once per order and threshold. */
export const orderNotificationSchema = z.object({
  id: z.string().meta({
    description: "`<orderId>:<kind>:<thresholdMeters>`: the same everywhere, so receivers can " +
      "drop repeats.",
  }),
  orderId: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  thresholdMeters: z.number(),
  distanceMeters: z.number().meta({ description: "Distance from the target when it fired." }),
  driverId: z.string(),
  ts: z.number().int().meta({ description: "Fix time of the position that fired it, epoch ms." }),
  createdAt: z.number().int().meta({ description: "When it was stored, epoch ms." }),
});

/** A "driver near" or "driver arriving" notification, stored once per order and threshold. */
export type OrderNotification = Readonly<z.infer<typeof orderNotificationSchema>>;

/** The notification id for an order, kind and threshold. */
export function notificationId(
  orderId: string,
  kind: NotificationKind,
  thresholdMeters: number,
): string {
  return `${orderId}:${kind}:${thresholdMeters}`;
}

/** An estimated time of arrival at the order's next stop. */
export const etaSchema = z.object({
  target: z.enum(["pickup", "dropoff"]).meta({
    description: "The stop the driver is heading for.",
  }),
  seconds: z.number().meta({ description: "Seconds until arrival." }),
  distanceMeters: z.number().meta({ description: "Straight-line distance left, metres." }),
});

/** An estimated time of arrival at the order's next stop. */
export type Eta = Readonly<z.infer<typeof etaSchema>>;

/** A driver position as viewers see it. */
export const viewerLocationSchema = z.object({
  driverId: z.string(),
  lat: _lat,
  lon: _lon,
  ts: z.number().int().meta({ description: "Fix time, epoch ms." }),
  seq: z.number().int().meta({ description: "Per-driver sequence: drop a lower one." }),
});

/** A driver position as viewers see it. */
export type ViewerLocation = Readonly<z.infer<typeof viewerLocationSchema>>;

/** Error codes of `{"type":"error"}` frames on viewer sockets. */
export const VIEWER_ERROR_CODES = ["rate_limited", "invalid_frame", "frame_too_large"] as const;

const _orderId = { orderId: z.string() };

/** Frames the server sends on `/ws/orders/:id` and `/ws/restaurants/:id`. */
export const viewerFrameSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("snapshot"),
    ..._orderId,
    order: orderSchema,
    location: viewerLocationSchema.nullable(),
    eta: etaSchema.nullable(),
    notifications: z.array(orderNotificationSchema),
  }),
  z.object({ type: z.literal("location"), ..._orderId, ...viewerLocationSchema.shape }),
  z.object({
    type: z.literal("status"),
    ..._orderId,
    status: z.enum(ORDER_STATUSES),
    driverId: z.string().nullable(),
    at: z.number().int().meta({ description: "Epoch ms of the change." }),
  }),
  z.object({ type: z.literal("eta"), ..._orderId, ...etaSchema.shape }),
  z.object({ type: z.literal("notification"), ..._orderId, ...orderNotificationSchema.shape }),
  z.object({ type: z.literal("error"), code: z.enum(VIEWER_ERROR_CODES), message: z.string() }),
]);

/** Frames the server sends on `/ws/orders/:id` and `/ws/restaurants/:id`. */
export type ViewerFrame = z.infer<typeof viewerFrameSchema>;

/** Close codes used on viewer sockets (and on driver sockets for an expired token). */
export const VIEWER_CLOSE_CODES = {
  /** The server is shutting down; reconnect elsewhere. */
  goingAway: 1001,
  /** The order was delivered or cancelled: nothing more will come. */
  finished: 1000,
  /** The token expired while the socket was open; reconnect with a fresh one. */
  tokenExpired: 4001,
  /** The order does not exist (or the caller may not see it). */
  notFound: 4004,
  /** The client read too slowly: its send buffer stayed over the limit. */
  tooSlow: 4008,
  /** The client sent too many frames too fast. */
  rateLimited: 4029,
} as const;

/** Body of `POST /orders`. */
export const newOrderSchema = z.object({
  restaurantId: idSchema,
  customerId: idSchema,
  pickup: geoPointSchema,
  dropoff: geoPointSchema,
});

/** A new order as `POST /orders` accepts it. */
export type NewOrder = z.infer<typeof newOrderSchema>;
