/** When an order reached each step (migration 005); `null` until it did, or if it was older. */
export interface OrderTimes {
  readonly assignedAt: number | null;
  readonly pickedUpAt: number | null;
  readonly deliveredAt: number | null;
}

/** The fields of an order its track depends on. */
export interface TrackedOrder {
  readonly status: string;
  readonly driverId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Whose fixes, and between which times (epoch ms, inclusive), make an order's track. */
export interface TrackWindow {
  readonly driverId: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The assigned driver's fixes from the (latest) assignment to delivery, or to `now` while the
 * order is under way; a cancelled order's end at its cancellation (its last change). An order
 * without a driver has no track (`undefined`). Orders stored before their step times were kept
 * fall back to `createdAt` for the start and `updatedAt` for a finished order's end.
 */
export function trackWindow(
  order: TrackedOrder,
  times: OrderTimes,
  now: number,
): TrackWindow | undefined {
  if (order.driverId === null) return undefined;
  const from = times.assignedAt ?? order.createdAt;
  const to = order.status === "delivered"
    ? times.deliveredAt ?? order.updatedAt
    : order.status === "cancelled"
    ? order.updatedAt
    : Math.max(now, from);
  return { driverId: order.driverId, from, to };
}
