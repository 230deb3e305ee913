import { z } from "zod";

/**
 * Kinds of notification: near the drop-off (customer), arriving at the pickup (restaurant), at the
 * restaurant (a dwell in the restaurant's zone, threshold 0; docs/zones.md).
 */
export const NOTIFICATION_KINDS = [
  "driver_near",
  "driver_arriving",
  "driver_at_restaurant",
] as const;

/** One of {@linkcode NOTIFICATION_KINDS}. */
export type NotificationKind = typeof NOTIFICATION_KINDS[number];

/** A "driver near", "driver arriving" or "driver at the restaurant" notification, once per order and threshold. */
export const orderNotificationSchema = z.object({
  id: z.string().meta({
    description: "`<orderId>:<kind>:<thresholdMeters>`: the same everywhere, so receivers can " +
      "drop repeats.",
  }),
  orderId: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  thresholdMeters: z.number().meta({ description: "0 for `driver_at_restaurant`." }),
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
