import { z } from "zod";
import { idSchema } from "../domain/ids.ts";

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

/** A point in degrees. */
export interface GeoPoint {
  readonly lat: number;
  readonly lon: number;
}

/** An order as stored in PostgreSQL and carried in `order-events`. */
export interface Order {
  readonly id: string;
  readonly restaurantId: string;
  readonly customerId: string;
  readonly driverId: string | null;
  readonly pickup: GeoPoint;
  readonly dropoff: GeoPoint;
  readonly status: OrderStatus;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms of the last change. */
  readonly updatedAt: number;
}

/** Kinds of notification: near the drop-off (customer), or arriving at the pickup (restaurant). */
export type NotificationKind = "driver_near" | "driver_arriving";

/** A "driver near" or "driver arriving" notification, stored once per order and threshold. */
export interface OrderNotification {
  /** `<orderId>:<kind>:<thresholdMeters>`: the same everywhere, so receivers can drop repeats. */
  readonly id: string;
  readonly orderId: string;
  readonly kind: NotificationKind;
  readonly thresholdMeters: number;
  /** Distance from the target when it fired, metres. */
  readonly distanceMeters: number;
  readonly driverId: string;
  /** Fix time of the position that fired it, epoch ms. */
  readonly ts: number;
  /** When it was stored, epoch ms. */
  readonly createdAt: number;
}

/** The notification id for an order, kind and threshold. */
export function notificationId(
  orderId: string,
  kind: NotificationKind,
  thresholdMeters: number,
): string {
  return `${orderId}:${kind}:${thresholdMeters}`;
}

/** An estimated time of arrival at the order's next stop. */
export interface Eta {
  /** The stop the driver is heading for. */
  readonly target: "pickup" | "dropoff";
  /** Seconds until arrival. */
  readonly seconds: number;
  /** Straight-line distance left, metres. */
  readonly distanceMeters: number;
}

/** A driver position as viewers see it. */
export interface ViewerLocation {
  readonly driverId: string;
  readonly lat: number;
  readonly lon: number;
  readonly ts: number;
  readonly seq: number;
}

/** Frames the server sends on `/ws/orders/:id` and `/ws/restaurants/:id`. */
export type ViewerFrame =
  | {
    type: "snapshot";
    orderId: string;
    order: Order;
    location: ViewerLocation | null;
    eta: Eta | null;
    notifications: OrderNotification[];
  }
  | { type: "location"; orderId: string } & ViewerLocation
  | { type: "status"; orderId: string; status: OrderStatus; driverId: string | null; at: number }
  | { type: "eta"; orderId: string } & Eta
  | { type: "notification"; orderId: string } & OrderNotification
  | { type: "error"; code: string; message: string };

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
  pickup: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  dropoff: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
});

/** A new order as `POST /orders` accepts it. */
export type NewOrder = z.infer<typeof newOrderSchema>;
