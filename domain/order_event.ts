import { z } from "zod";
import { type Order, ORDER_STATUSES } from "./order.ts";
import { NOTIFICATION_KINDS, type OrderNotification } from "./order_notification.ts";

const point = z.object({ lat: z.number(), lon: z.number() });

const orderSchema = z.object({
  id: z.string().min(1),
  restaurantId: z.string().min(1),
  customerId: z.string().min(1),
  driverId: z.string().min(1).nullable(),
  pickup: point,
  dropoff: point,
  status: z.enum(ORDER_STATUSES),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const notificationSchema = z.object({
  id: z.string().min(1),
  orderId: z.string().min(1),
  kind: z.enum(NOTIFICATION_KINDS),
  thresholdMeters: z.number(),
  distanceMeters: z.number(),
  driverId: z.string().min(1),
  ts: z.number(),
  createdAt: z.number(),
});

/** Schema of one record of the order-events topic (key = order id). */
export const orderEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("order"), order: orderSchema }),
  z.object({ type: z.literal("notification"), notification: notificationSchema }),
]);

/**
 * One record of order-events: the whole order after a change (created, assigned, picked up,
 * delivered, cancelled), or a notification that was stored. Carrying the whole order makes every
 * event self-contained: a consumer never needs the ones before it.
 */
export type OrderEvent =
  | { type: "order"; order: Order }
  | { type: "notification"; notification: OrderNotification };

/** The order an event is about. */
export function orderEventKey(event: OrderEvent): string {
  return event.type === "order" ? event.order.id : event.notification.orderId;
}

/** Serializes an event for Kafka. */
export function encodeOrderEvent(event: OrderEvent): string {
  return JSON.stringify(event);
}

/** Parses and validates an event read from Kafka; throws on anything malformed. */
export function decodeOrderEvent(text: string): OrderEvent {
  return orderEventSchema.parse(JSON.parse(text));
}
