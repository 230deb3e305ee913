import { type Actor, type ActorContext, actorKey, type ActorKind } from "./runtime/mod.ts";
import { retryingSinkKind } from "./retrying_sink_kind.ts";
import { haversineMeters } from "../domain/geo.ts";
import type { GeoPoint } from "../domain/order.ts";
import { notificationId, type NotificationKind } from "../domain/order_notification.ts";
import type { Order } from "../domain/order.ts";
import { ThresholdTracker } from "../domain/threshold_tracker.ts";
import type { HealthReporter } from "../domain/health_reporter.ts";
import type { ConsumedLocation } from "../domain/consumed_location.ts";
import type { OrderEventPublisher } from "../domain/order_event_publisher.ts";
import type { OrderStore } from "../domain/order_store.ts";
import type { OrderlessDrivers } from "./orderless_drivers.ts";

/** Messages a NotifierActor accepts. */
export type NotifierMessage = {
  type: "records";
  /** Fixes of this actor's partition, in offset order; the reply comes once they are judged. */
  records: readonly ConsumedLocation[];
  replyTo: (value: void) => void;
};

/** The key of the notifier kind: one actor per partition of driver-locations. */
export const NOTIFIER = actorKey<NotifierMessage>("notifier");

/** Distances at which notifications fire. */
export interface NotifierThresholds {
  /** From the drop-off, metres, once the order is picked up: "driver_near" to the customer. */
  readonly nearMeters: readonly number[];
  /** From the pickup, metres, while the order is assigned: "driver_arriving" to the restaurant. */
  readonly arrivingMeters: number;
  /** Beyond threshold + this, a driver counts as having left (GPS jitter does not flap). */
  readonly hysteresisMeters: number;
}

/** What a NotifierActor needs from outside. */
export interface NotifierActorDeps {
  readonly store: Pick<OrderStore, "activeForDrivers" | "recordNotification" | "markPublished">;
  readonly events: OrderEventPublisher;
  readonly thresholds: NotifierThresholds;
  /**
   * Drivers known to have no active order, shared by the instance's notifiers and kept current by
   * its order-events tailer: their fixes are judged without a query. Without it every batch asks
   * PostgreSQL about all its drivers.
   */
  readonly orderless?: OrderlessDrivers;
  /** Told about a failed batch before it is retried. */
  readonly onError?: (error: unknown) => void;
  /** First retry delay of a failed batch, doubling up to 5 s (default 100 ms). */
  readonly retryMs?: number;
  /** Told when judging fails (component {@linkcode NOTIFIER_COMPONENT}) and works again. */
  readonly health?: HealthReporter;
  /** Aborted at shutdown: a batch waiting for its retry gives up (it is redelivered later). */
  readonly stopping?: AbortSignal;
}

/** The component name the notifier reports under. */
export const NOTIFIER_COMPONENT = "notifier";

/**
 * One actor per partition that this instance's share of the shared notifier group holds: it judges
 * each fix once cluster-wide against the driver's active orders, fires "driver near" and "driver
 * arriving" once per order and threshold (the unique key in PostgreSQL makes that hold across
 * instances and restarts), publishes them to order-events, and commits the offsets after.
 * A batch that fails is retried by the runtime (directive `retry`): the same batch, after a backoff,
 * before anything else, while the consumer waits for the reply.
 */
export class NotifierActor implements Actor<NotifierMessage> {
  #ctx: ActorContext<NotifierMessage>;
  #deps: NotifierActorDeps;
  /** Per driver, per notification id: where the driver is relative to that threshold. */
  #trackers = new Map<string, Map<string, _Tracked>>();
  #fired = new Set<string>();

  constructor(ctx: ActorContext<NotifierMessage>, deps: NotifierActorDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
  }

  async receive(message: NotifierMessage): Promise<void> {
    const { health } = this.#deps;
    try {
      await this.#judge(message.records);
    } catch (error) {
      this.#deps.onError?.(error);
      health?.down(NOTIFIER_COMPONENT, error);
      // The retry judges the batch again from scratch: trackers moved by the failed attempt would
      // otherwise store a notification with a later fix than the one that crossed. What fired
      // stays fired.
      for (const { record } of message.records) this.#trackers.delete(record.driverId);
      throw error;
    }
    health?.up(NOTIFIER_COMPONENT);
    // What fired is stored; a lost commit only means these fixes are judged again (and fire nothing
    // new). Retrying it would hold the partition on a consumer that may be gone.
    await message.records.at(-1)?.commit().catch((error) =>
      this.#deps.onError?.(
        new Error(`commit lost, these fixes will be judged again: ${error?.message}`, {
          cause: error,
        }),
      )
    );
    message.replyTo();
  }

  async #judge(records: readonly ConsumedLocation[]): Promise<void> {
    const drivers = [...new Set(records.map((r) => r.record.driverId))];
    const byDriver = await this.#activeOrders(drivers);
    for (const driverId of drivers) this.#prune(driverId, byDriver.get(driverId) ?? []);
    for (const { record } of records) {
      for (const order of byDriver.get(record.driverId) ?? []) {
        for (const goal of this.#goals(order)) {
          const distance = haversineMeters(record.lat, record.lon, goal.at.lat, goal.at.lon);
          const id = notificationId(order.id, goal.kind, goal.meters);
          const tracker = this.#tracker(record.driverId, order.id, { id, meters: goal.meters });
          tracker.update(distance);
          // "Inside and not yet fired" rather than "just entered": a batch that failed half-way
          // and is judged again still fires what it had not stored.
          if (!tracker.inside || this.#fired.has(id)) continue;
          await this.#fire(order, goal, Math.round(distance), record.ts);
          this.#fired.add(id);
        }
      }
    }
  }

  /** The active orders of `drivers` by driver: asked of PostgreSQL for those not known orderless. */
  async #activeOrders(drivers: readonly string[]): Promise<Map<string, Order[]>> {
    const { store, orderless } = this.#deps;
    const byDriver = new Map<string, Order[]>();
    const mark = orderless?.mark() ?? 0;
    const asked = orderless ? drivers.filter((d) => !orderless.has(d)) : drivers;
    if (asked.length === 0) return byDriver;
    for (const order of await store.activeForDrivers(asked)) {
      const list = byDriver.get(order.driverId!) ?? [];
      list.push(order);
      byDriver.set(order.driverId!, list);
    }
    orderless?.remember(asked.filter((d) => !byDriver.has(d)), mark);
    return byDriver;
  }

  async #fire(order: Order, goal: _Goal, distanceMeters: number, ts: number): Promise<void> {
    const { store, events } = this.#deps;
    const stored = await store.recordNotification({
      orderId: order.id,
      kind: goal.kind,
      thresholdMeters: goal.meters,
      distanceMeters,
      driverId: order.driverId!,
      ts,
    }, this.#ctx.clock.now());
    if (stored.published) return;
    await events.publish({ type: "notification", notification: stored.notification });
    await store.markPublished(stored.notification.id);
  }

  #goals(order: Order): _Goal[] {
    const { nearMeters, arrivingMeters } = this.#deps.thresholds;
    if (order.status === "assigned") {
      return [{ kind: "driver_arriving", at: order.pickup, meters: arrivingMeters }];
    }
    if (order.status !== "picked_up") return [];
    return nearMeters.map((meters) => ({ kind: "driver_near", at: order.dropoff, meters }));
  }

  #tracker(
    driverId: string,
    orderId: string,
    goal: { id: string; meters: number },
  ): ThresholdTracker {
    const trackers = this.#trackers.get(driverId) ?? new Map<string, _Tracked>();
    this.#trackers.set(driverId, trackers);
    let tracked = trackers.get(goal.id);
    if (!tracked) {
      const tracker = new ThresholdTracker(goal.meters, this.#deps.thresholds.hysteresisMeters);
      tracked = { orderId, tracker };
      trackers.set(goal.id, tracked);
    }
    return tracked.tracker;
  }

  /** Forgets the trackers of a driver's orders that are no longer active. */
  #prune(driverId: string, active: readonly Order[]): void {
    const trackers = this.#trackers.get(driverId);
    if (!trackers) return;
    const ids = new Set(active.map((o) => o.id));
    for (const [id, { orderId }] of trackers) {
      if (ids.has(orderId)) continue;
      trackers.delete(id);
      this.#fired.delete(id);
    }
    if (trackers.size === 0) this.#trackers.delete(driverId);
  }
}

/** A threshold's tracker, with the order it belongs to. */
interface _Tracked {
  readonly orderId: string;
  readonly tracker: ThresholdTracker;
}

interface _Goal {
  readonly kind: NotificationKind;
  readonly at: GeoPoint;
  readonly meters: number;
}

/** Registers NotifierActor: a per-partition sink that retries ({@linkcode retryingSinkKind}). */
export function notifierActorKind(deps: NotifierActorDeps): ActorKind<NotifierMessage> {
  return retryingSinkKind((ctx) => new NotifierActor(ctx, deps), deps);
}
