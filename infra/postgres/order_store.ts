import type { NewOrder, Order, OrderStatus } from "../../domain/order.ts";
import type { NotificationKind, OrderNotification } from "../../domain/order_notification.ts";
import { notificationId } from "../../domain/order_notification.ts";
import type { Sql } from "./connect_postgres.ts";
import type { OrderStore, RecordedNotification } from "../../domain/order_store.ts";
import type { OrderTransition } from "../../domain/order_lifecycle.ts";

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
        ${_STEP_TIME[to] === undefined ? sql`` : sql`, ${sql(_STEP_TIME[to])} = ${now}`}
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

/** The column a move to each status stamps with its time (migration 005). */
const _STEP_TIME: Partial<Record<OrderStatus, string>> = {
  assigned: "assigned_at",
  picked_up: "picked_up_at",
  delivered: "delivered_at",
};

/** Throws a RangeError unless `value` is an integer epoch ms. */
function _epochMs(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${name} must be an integer epoch ms, got ${value}`);
  }
}
