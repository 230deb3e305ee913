import type { NewOrder, Order } from "./order.ts";
import type { OrderTransition } from "./order_lifecycle.ts";
import type { OrderNotification } from "./order_notification.ts";

/** What {@linkcode OrderStore.recordNotification} stored or found. */
export interface RecordedNotification {
  /** The stored row: this call's, or the one stored before it. */
  notification: OrderNotification;
  /** True if this call stored it (and so should publish it). */
  created: boolean;
  /** True once {@linkcode OrderStore.markPublished} was called for it. */
  published: boolean;
}

/** Order and notification storage; implemented by `PostgresOrderStore` in `infra/postgres/`. */
export interface OrderStore {
  /** Inserts a new order with status "created" under `id` (default: a new UUID); returns it. */
  create(order: NewOrder, now: number, id?: string): Promise<Order>;
  /** The order with this id, or undefined. */
  get(id: string): Promise<Order | undefined>;
  /**
   * Atomic conditional change (one UPDATE ... WHERE ... RETURNING): sets status = change.to (and driver_id when change.assignDriver is given)
   * only if the current status is one of change.from and, when change.requireDriver is given, driver_id equals it.
   * Returns the updated order, or undefined when no row matched (unknown id, wrong status, or another driver). This is what keeps
   * the lifecycle right when several service instances act on the same order at once.
   */
  transition(id: string, change: OrderTransition, now: number): Promise<Order | undefined>;
  /** Orders in status assigned or picked_up whose driver is one of driverIds (one query, `= any(...)`). */
  activeForDrivers(driverIds: readonly string[]): Promise<Order[]>;
  /** Orders of a restaurant that are not delivered or cancelled, oldest first. */
  activeForRestaurant(restaurantId: string): Promise<Order[]>;
  /**
   * Stores a notification once (INSERT ... ON CONFLICT DO NOTHING). Returns the stored row (the existing one when it was already there),
   * whether this call created it, and whether it has been published.
   */
  recordNotification(
    n: Omit<OrderNotification, "id" | "createdAt">,
    now: number,
  ): Promise<RecordedNotification>;
  /** Marks a notification as published to Kafka. */
  markPublished(id: string): Promise<void>;
  /** An order's notifications, oldest first. */
  notifications(orderId: string): Promise<OrderNotification[]>;
}
