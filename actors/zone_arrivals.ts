import { haversineMeters } from "../domain/geo.ts";
import type { OrderEventPublisher } from "../domain/order_event_publisher.ts";
import type { OrderStore } from "../domain/order_store.ts";
import type { ZoneEvent } from "../domain/zone_event.ts";

/** What {@linkcode announceArrival} needs: the order store and order-events. */
export interface ZoneArrivalDeps {
  readonly orders: Pick<OrderStore, "activeForDrivers" | "recordNotification" | "markPublished">;
  readonly events: OrderEventPublisher;
}

/**
 * A `dwell` in a restaurant's zone: each order of that restaurant assigned to the driver (on the
 * way to the pickup) gets the notification `driver_at_restaurant`, through the notifier's path:
 * stored once per order (`notifications` is unique on order, kind and threshold; the threshold
 * is 0), published to order-events until marked published, shown by the order's and the
 * restaurant's viewers. Anything else is ignored. Safe to call again for the same event.
 */
export async function announceArrival(
  deps: ZoneArrivalDeps,
  event: ZoneEvent,
  now: number,
): Promise<void> {
  if (event.kind !== "dwell" || event.restaurantId === null) return;
  const orders = await deps.orders.activeForDrivers([event.driverId]);
  for (const order of orders) {
    if (order.status !== "assigned" || order.restaurantId !== event.restaurantId) continue;
    const distance = haversineMeters(event.lat, event.lon, order.pickup.lat, order.pickup.lon);
    const stored = await deps.orders.recordNotification({
      orderId: order.id,
      kind: "driver_at_restaurant",
      thresholdMeters: 0,
      distanceMeters: Math.round(distance),
      driverId: event.driverId,
      ts: event.ts,
    }, now);
    if (stored.published) continue;
    await deps.events.publish({ type: "notification", notification: stored.notification });
    await deps.orders.markPublished(stored.notification.id);
  }
}
