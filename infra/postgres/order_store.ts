import type {
  NewOrder,
  NotificationKind,
  Order,
  OrderNotification,
  OrderStatus,
} from "../../domain/order.ts";
import { notificationId } from "../../domain/order.ts";
import type { Sql } from "./connect_postgres.ts";

/** A conditional status change; see {@linkcode OrderStore.transition}. */
export interface OrderTransition {
  /** The statuses the order may be in; any other status leaves it unchanged. */
  from: readonly OrderStatus[];
  /** The new status. */
  to: OrderStatus;
  /** Sets the order's driver to this id. */
  assignDriver?: string;
  /** Changes the order only if its driver is this id. */
  requireDriver?: string;
}

/** What {@linkcode OrderStore.recordNotification} stored or found. */
export interface RecordedNotification {
  /** The stored row: this call's, or the one stored before it. */
  notification: OrderNotification;
  /** True if this call stored it (and so should publish it). */
  created: boolean;
  /** True once {@linkcode OrderStore.markPublished} was called for it. */
  published: boolean;
}

/** Order and notification storage; see {@linkcode PostgresOrderStore}. */
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

const _ORDER_COLUMNS = ("id restaurant_id customer_id driver_id pickup_lat pickup_lon " +
  "dropoff_lat dropoff_lon status created_at updated_at").split(" ");
const _NOTIFICATION_COLUMNS =
  "id order_id kind threshold_m distance_m driver_id ts created_at published".split(" ");

/**
 * {@linkcode OrderStore} on the `orders` and `notifications` tables (see
 * `migrations/002_orders.sql`). Every change is a single statement, so it is
 * safe when several service instances act on the same order at once.
 */
export class PostgresOrderStore implements OrderStore {
  #sql: Sql;

  /** Uses the pool `sql`, which the caller owns and closes. */
  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** {@inheritDoc OrderStore.create} */
  async create(order: NewOrder, now: number, id: string = crypto.randomUUID()): Promise<Order> {
    _epochMs("now", now);
    const { restaurantId, customerId, pickup, dropoff } = order;
    const sql = this.#sql;
    const rows = await sql<_OrderRow[]>`
      INSERT INTO orders (id, restaurant_id, customer_id, pickup_lat, pickup_lon,
        dropoff_lat, dropoff_lon, status, created_at, updated_at)
      VALUES (${id}, ${restaurantId}, ${customerId}, ${pickup.lat},
        ${pickup.lon}, ${dropoff.lat}, ${dropoff.lon}, 'created', ${now}, ${now})
      RETURNING ${sql(_ORDER_COLUMNS)}`;
    return _toOrder(rows[0]!);
  }

  /** {@inheritDoc OrderStore.get} */
  async get(id: string): Promise<Order | undefined> {
    const sql = this.#sql;
    const rows = await sql<_OrderRow[]>`
      SELECT ${sql(_ORDER_COLUMNS)} FROM orders WHERE id = ${id}`;
    return rows[0] && _toOrder(rows[0]);
  }

  /** {@inheritDoc OrderStore.transition} */
  async transition(id: string, change: OrderTransition, now: number): Promise<Order | undefined> {
    _epochMs("now", now);
    const { from, to, assignDriver, requireDriver } = change;
    const sql = this.#sql;
    const rows = await sql<_OrderRow[]>`
      UPDATE orders SET status = ${to}, updated_at = ${now}
        ${assignDriver === undefined ? sql`` : sql`, driver_id = ${assignDriver}`}
      WHERE id = ${id} AND status = ANY(${[...from]}::text[])
        ${requireDriver === undefined ? sql`` : sql`AND driver_id = ${requireDriver}`}
      RETURNING ${sql(_ORDER_COLUMNS)}`;
    return rows[0] && _toOrder(rows[0]);
  }

  /** {@inheritDoc OrderStore.activeForDrivers} */
  async activeForDrivers(driverIds: readonly string[]): Promise<Order[]> {
    if (driverIds.length === 0) return [];
    const sql = this.#sql;
    const rows = await sql<_OrderRow[]>`
      SELECT ${sql(_ORDER_COLUMNS)} FROM orders
      WHERE driver_id = ANY(${[...driverIds]}::text[]) AND status IN ('assigned', 'picked_up')
      ORDER BY created_at, id`;
    return rows.map(_toOrder);
  }

  /** {@inheritDoc OrderStore.activeForRestaurant} */
  async activeForRestaurant(restaurantId: string): Promise<Order[]> {
    const sql = this.#sql;
    const rows = await sql<_OrderRow[]>`
      SELECT ${sql(_ORDER_COLUMNS)} FROM orders
      WHERE restaurant_id = ${restaurantId} AND status IN ('created', 'assigned', 'picked_up')
      ORDER BY created_at, id`;
    return rows.map(_toOrder);
  }

  /** {@inheritDoc OrderStore.recordNotification} */
  async recordNotification(
    n: Omit<OrderNotification, "id" | "createdAt">,
    now: number,
  ): Promise<RecordedNotification> {
    _epochMs("now", now);
    _epochMs("ts", n.ts);
    if (!Number.isSafeInteger(n.thresholdMeters)) {
      throw new RangeError(`thresholdMeters must be whole metres, got ${n.thresholdMeters}`);
    }
    const id = notificationId(n.orderId, n.kind, n.thresholdMeters);
    const sql = this.#sql;
    const inserted = await sql<_NotificationRow[]>`
      INSERT INTO notifications
        (id, order_id, kind, threshold_m, distance_m, driver_id, ts, created_at)
      VALUES (${id}, ${n.orderId}, ${n.kind}, ${n.thresholdMeters}, ${n.distanceMeters},
        ${n.driverId}, ${n.ts}, ${now})
      ON CONFLICT DO NOTHING
      RETURNING ${sql(_NOTIFICATION_COLUMNS)}`;
    // A separate statement, so it sees a row a concurrent caller committed meanwhile.
    const row = inserted[0] ?? (await sql<_NotificationRow[]>`
      SELECT ${sql(_NOTIFICATION_COLUMNS)} FROM notifications
      WHERE id = ${id}`)[0]!;
    return {
      notification: _toNotification(row),
      created: inserted.length > 0,
      published: row.published,
    };
  }

  /** {@inheritDoc OrderStore.markPublished} */
  async markPublished(id: string): Promise<void> {
    await this.#sql`UPDATE notifications SET published = true WHERE id = ${id} AND NOT published`;
  }

  /** {@inheritDoc OrderStore.notifications} */
  async notifications(orderId: string): Promise<OrderNotification[]> {
    const sql = this.#sql;
    const rows = await sql<_NotificationRow[]>`
      SELECT ${sql(_NOTIFICATION_COLUMNS)} FROM notifications
      WHERE order_id = ${orderId} ORDER BY created_at, ts, threshold_m DESC`;
    return rows.map(_toNotification);
  }
}

interface _OrderRow {
  id: string;
  restaurant_id: string;
  customer_id: string;
  driver_id: string | null;
  pickup_lat: number;
  pickup_lon: number;
  dropoff_lat: number;
  dropoff_lon: number;
  status: OrderStatus;
  created_at: string;
  updated_at: string;
}

interface _NotificationRow {
  id: string;
  order_id: string;
  kind: NotificationKind;
  threshold_m: number;
  distance_m: number;
  driver_id: string;
  ts: string;
  created_at: string;
  published: boolean;
}

function _toOrder(r: _OrderRow): Order {
  return {
    id: r.id,
    restaurantId: r.restaurant_id,
    customerId: r.customer_id,
    driverId: r.driver_id,
    pickup: { lat: r.pickup_lat, lon: r.pickup_lon },
    dropoff: { lat: r.dropoff_lat, lon: r.dropoff_lon },
    status: r.status,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function _toNotification(r: _NotificationRow): OrderNotification {
  return {
    id: r.id,
    orderId: r.order_id,
    kind: r.kind,
    thresholdMeters: r.threshold_m,
    distanceMeters: r.distance_m,
    driverId: r.driver_id,
    ts: Number(r.ts),
    createdAt: Number(r.created_at),
  };
}

/** Throws a RangeError unless `value` is an integer epoch ms. */
function _epochMs(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be an integer epoch ms, got ${value}`);
  }
}
