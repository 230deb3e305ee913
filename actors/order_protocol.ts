import { z } from "zod";
import { geoPointSchema, ORDER_STATUSES, orderSchema } from "../domain/order.ts";
import { orderNotificationSchema } from "../domain/order_notification.ts";
import { VIEWER_ERROR_CODES } from "../domain/error_codes.ts";

const _lat = geoPointSchema.shape.lat;
const _lon = geoPointSchema.shape.lon;

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
  ageMs: z.number().int().nonnegative().meta({
    description: "How old the fix was when this frame was sent, ms since the service received " +
      "it (server clock: neither the phone's nor the viewer's clock matters).",
  }),
  stale: z.boolean().meta({
    description: "No newer fix for `STALE_AFTER_MS`: the position is old, no ETA counts down.",
  }),
});

/** A driver position as viewers see it. */
export type ViewerLocation = Readonly<z.infer<typeof viewerLocationSchema>>;

const _orderId = { orderId: z.string() };

/** Frames the server sends on `/ws/orders/:id` and `/ws/restaurants/:id`. */
export const viewerFrameSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("snapshot"),
    ..._orderId,
    order: orderSchema,
    location: viewerLocationSchema.nullable(),
    eta: etaSchema.nullable().meta({ description: "`null` too while the position is stale." }),
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
  z.object({
    type: z.literal("stale"),
    ..._orderId,
    driverId: z.string(),
    stale: z.literal(true),
    ageMs: z.number().int().nonnegative().meta({
      description: "How old the last fix is, ms since the service received it.",
    }),
    ts: z.number().int().meta({ description: "Fix time of the last position, epoch ms." }),
  }),
  z.object({ type: z.literal("notification"), ..._orderId, ...orderNotificationSchema.shape }),
  z.object({ type: z.literal("error"), code: z.enum(VIEWER_ERROR_CODES), message: z.string() }),
]);

/** Frames the server sends on `/ws/orders/:id` and `/ws/restaurants/:id`. */
export type ViewerFrame = z.infer<typeof viewerFrameSchema>;
