import type { Actor, ActorContext, ActorKind, ActorRef } from "./runtime/mod.ts";
import type { ErrorCode } from "../domain/error_codes.ts";
import type { NewOrder, Order } from "../domain/order.ts";
import type { Eta, ViewerFrame } from "./order_protocol.ts";
import type { OrderNotification } from "../domain/order_notification.ts";
import { VIEWER_CLOSE_CODES } from "../domain/close_codes.ts";
import { isFinished, type OrderCommand, planTransition } from "../domain/order_lifecycle.ts";
import { etaChanged, type EtaEstimator, StraightLineEta } from "./eta_estimator.ts";
import { SpeedSmoother } from "./speed_smoother.ts";
import type { ViewerMessage } from "./viewer_actor.ts";
import type { WatchIndex } from "./watch_index.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import type { OrderEvent } from "../domain/order_event.ts";
import type { OrderEventPublisher } from "../domain/order_event_publisher.ts";
import type { OrderStore } from "../domain/order_store.ts";
import type { RegionMap } from "../domain/region_map.ts";

/** The outcome of a command or a creation. */
export type OrderOutcome =
  | { ok: true; order: Order }
  | { ok: false; code: ErrorCode; message: string };

/** Messages an OrderActor accepts. */
export type OrderMessage =
  | { type: "create"; input: NewOrder; replyTo: (outcome: OrderOutcome) => void }
  | { type: "command"; command: OrderCommand; replyTo: (outcome: OrderOutcome) => void }
  /** An order-events record about this order, from any instance (this one's included). */
  | { type: "event"; event: OrderEvent }
  /** A live fix of a driver this order's viewers watch. */
  | { type: "location"; record: LocationRecord }
  | { type: "watch"; viewerId: string; closeOnFinish: boolean }
  | { type: "unwatch"; viewerId: string }
  | { type: "refresh" }
  | { type: "linger" };

/** What an OrderActor needs from outside. */
export interface OrderActorDeps {
  readonly store: Pick<OrderStore, "create" | "get" | "transition" | "notifications">;
  readonly events: OrderEventPublisher;
  readonly watch: WatchIndex;
  readonly regions: RegionMap;
  /** The newest position known for a driver (live on this instance, else stored). */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
  readonly eta?: EtaEstimator;
  /** With viewers and no fix for this long, look the driver up again. */
  readonly refreshMs?: number;
  /** Stop this long after the last viewer left or the last command without viewers. */
  readonly lingerMs?: number;
}

/** The defaults: look a quiet driver up again after 5 s; stop 10 min after the last viewer. */
export const ORDER_ACTOR_DEFAULTS = { refreshMs: 5_000, lingerMs: 600_000 } as const;

/**
 * One actor per order on each instance that deals with it: it applies commands (the lifecycle
 * rules, then a conditional UPDATE in PostgreSQL, then an order event), follows the order's events
 * from other instances, and keeps this instance's viewers of the order up to date: status, the
 * driver's position (never an older one after a newer), ETA and notifications (each once).
 */
export class OrderActor implements Actor<OrderMessage> {
  #ctx: ActorContext<OrderMessage>;
  #deps: OrderActorDeps;
  #eta: EtaEstimator;
  #order: Order | undefined;
  #viewers = new Map<string, { ref: ActorRef<ViewerMessage>; closeOnFinish: boolean }>();
  #last: LocationRecord | undefined;
  #lastAt = 0;
  #speed = new SpeedSmoother();
  #sentEta: Eta | null = null;
  #notifications = new Map<string, OrderNotification>();
  #notificationsLoaded = false;
  #refreshMs: number;
  #lingerMs: number;
  /** `#order` was read at the start and no message has been handled since. */
  #justRead = false;

  constructor(ctx: ActorContext<OrderMessage>, deps: OrderActorDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#eta = deps.eta ?? new StraightLineEta();
    this.#refreshMs = deps.refreshMs ?? ORDER_ACTOR_DEFAULTS.refreshMs;
    this.#lingerMs = deps.lingerMs ?? ORDER_ACTOR_DEFAULTS.lingerMs;
  }

  /** An actor without viewers stops after a while (viewers keep it: it must not passivate under them). */
  #linger(): void {
    if (this.#viewers.size === 0) {
      this.#ctx.timers.once("linger", this.#lingerMs, { type: "linger" });
    }
  }

  async onStart(): Promise<void> {
    this.#linger();
    this.#order = await this.#deps.store.get(this.#ctx.id);
    this.#justRead = true;
  }

  /**
   * Handles one message. An actor whose order does not exist (an unknown id in a command or a
   * subscription) answers what is queued (`order_not_found`, a 4004 close) and stops at once:
   * an unknown id costs one read and no lingering actor.
   */
  async receive(message: OrderMessage): Promise<void> {
    try {
      await this.#handle(message);
    } finally {
      this.#justRead = false;
    }
    this.#ctx.stopWhenIdle(this.#order === undefined);
  }

  async #handle(message: OrderMessage): Promise<void> {
    switch (message.type) {
      case "create":
        message.replyTo(await this.#create(message.input));
        return this.#linger();
      case "command":
        message.replyTo(await this.#command(message.command));
        return this.#linger();
      case "event":
        return message.event.type === "order"
          ? this.#apply(message.event.order)
          : this.#notify(message.event.notification);
      case "location":
        return this.#onLocation(message.record);
      case "watch":
        return await this.#addViewer(message.viewerId, message.closeOnFinish);
      case "unwatch":
        return this.#removeViewer(message.viewerId);
      case "refresh":
        return await this.#refresh();
      case "linger":
        if (this.#viewers.size === 0) this.#ctx.stop();
        return;
    }
  }

  onStop(): void {
    this.#deps.watch.remove(this.#ctx.id);
  }

  async #create(input: NewOrder): Promise<OrderOutcome> {
    if (this.#order) return { ok: true, order: this.#order };
    const order = await this.#deps.store.create(input, this.#ctx.clock.now(), this.#ctx.id);
    await this.#deps.events.publish({ type: "order", order });
    this.#apply(order);
    return { ok: true, order };
  }

  async #command(command: OrderCommand): Promise<OrderOutcome> {
    const { store, events } = this.#deps;
    // An order missing from the read made at the start is not read again for the first message.
    for (let reread = !this.#order && this.#justRead;; reread = true) {
      const plan = this.#order && planTransition(this.#order, command);
      if (plan?.ok) {
        const updated = await store.transition(this.#ctx.id, plan, this.#ctx.clock.now());
        if (updated) {
          await events.publish({ type: "order", order: updated });
          this.#apply(updated);
          return { ok: true, order: updated };
        }
      }
      if (reread) {
        if (!this.#order) {
          return { ok: false, code: "order_not_found", message: `no order ${this.#ctx.id}` };
        }
        return plan && !plan.ok
          ? plan
          : { ok: false, code: "invalid_transition", message: "the order changed; try again" };
      }
      // What this instance knows may be behind a change made on another one (its order event not
      // here yet, or a lost race for the UPDATE): judge again against what is stored.
      const stored = await store.get(this.#ctx.id);
      if (stored) this.#apply(stored);
    }
  }

  /** Adopts a newer state of the order and tells the viewers what changed. */
  #apply(order: Order): void {
    const known = this.#order;
    if (known && !_newer(order, known)) return;
    this.#order = order;
    if (known?.status === order.status && known.driverId === order.driverId) return;
    if (known?.driverId !== order.driverId) {
      this.#last = undefined;
      this.#sentEta = null;
      this.#speed = new SpeedSmoother();
    }
    this.#broadcast({
      type: "status",
      orderId: order.id,
      status: order.status,
      driverId: order.driverId,
      at: order.updatedAt,
    });
    if (isFinished(order.status)) return this.#finish();
    if (this.#viewers.size > 0) this.#index();
  }

  #notify(notification: OrderNotification): void {
    if (this.#notifications.has(notification.id)) return;
    this.#notifications.set(notification.id, notification);
    this.#broadcast({ type: "notification", ...notification });
  }

  #onLocation(record: LocationRecord): void {
    const order = this.#order;
    if (!order || order.driverId !== record.driverId || isFinished(order.status)) return;
    if (this.#last && record.ts <= this.#last.ts) return;
    this.#last = record;
    this.#lastAt = this.#ctx.clock.now();
    this.#deps.watch.addPartition(
      order.id,
      this.#deps.regions.locate(record.lat, record.lon).partition,
    );
    const speed = this.#speed.update(record);
    const { driverId, lat, lon, ts, seq } = record;
    this.#broadcast({ type: "location", orderId: order.id, driverId, lat, lon, ts, seq });
    const eta = this.#estimate(order, speed);
    if (eta && etaChanged(this.#sentEta, eta)) {
      this.#sentEta = eta;
      this.#broadcast({ type: "eta", orderId: order.id, ...eta });
    }
  }

  #estimate(order: Order, speed: number | undefined): Eta | null {
    if (!this.#last || (order.status !== "assigned" && order.status !== "picked_up")) return null;
    const target = order.status === "assigned" ? "pickup" : "dropoff";
    const stop = order.status === "assigned" ? order.pickup : order.dropoff;
    return { target, ...this.#eta.estimate(this.#last, stop, speed) };
  }

  async #addViewer(viewerId: string, closeOnFinish: boolean): Promise<void> {
    const ref = this.#ctx.system.ref<ViewerMessage>("viewer", viewerId);
    const order = this.#order;
    if (!order) {
      return ref.tell({
        type: "close",
        code: VIEWER_CLOSE_CODES.notFound,
        reason: "no such order",
      });
    }
    if (isFinished(order.status)) {
      // Nothing more will happen: show how it ended, and follow it no further.
      await this.#loadNotifications();
      ref.tell({ type: "frame", frame: this.#snapshot(order) });
      if (!closeOnFinish) return;
      return ref.tell({ type: "close", code: VIEWER_CLOSE_CODES.finished, reason: order.status });
    }
    this.#viewers.set(viewerId, { ref, closeOnFinish });
    this.#ctx.timers.cancel("linger");
    await this.#loadNotifications();
    if (!this.#last && order.driverId) {
      const latest = await this.#deps.latestPosition(order.driverId);
      if (latest && latest.driverId === this.#order?.driverId) this.#adoptQuietly(latest);
    }
    ref.tell({ type: "frame", frame: this.#snapshot(order) });
    this.#index();
    this.#ctx.timers.every("refresh", this.#refreshMs, { type: "refresh" });
  }

  /** Past notifications matter only to viewers (snapshot), so they are read on the first one. */
  async #loadNotifications(): Promise<void> {
    if (this.#notificationsLoaded) return;
    for (const n of await this.#deps.store.notifications(this.#ctx.id)) {
      this.#notifications.set(n.id, n);
    }
    this.#notificationsLoaded = true;
  }

  #removeViewer(viewerId: string): void {
    this.#viewers.delete(viewerId);
    if (this.#viewers.size > 0) return;
    this.#deps.watch.remove(this.#ctx.id);
    this.#ctx.timers.cancel("refresh");
    this.#linger();
  }

  /** With no fix for a while, the driver may be in a region this instance does not read. */
  async #refresh(): Promise<void> {
    const driverId = this.#order?.driverId;
    if (!driverId || this.#viewers.size === 0) return;
    if (this.#ctx.clock.now() - this.#lastAt < this.#refreshMs) return;
    const latest = await this.#deps.latestPosition(driverId);
    if (latest) this.#onLocation(latest);
  }

  #adoptQuietly(record: LocationRecord): void {
    this.#last = record;
    this.#speed.update(record);
    if (this.#order) this.#sentEta = this.#estimate(this.#order, this.#speed.current);
  }

  /** Registers what this instance must read for the order: the regions of its stops and driver. */
  #index(): void {
    const order = this.#order;
    if (!order) return;
    const { regions } = this.#deps;
    const partitions = new Set([
      regions.locate(order.pickup.lat, order.pickup.lon).partition,
      regions.locate(order.dropoff.lat, order.dropoff.lon).partition,
    ]);
    if (this.#last) partitions.add(regions.locate(this.#last.lat, this.#last.lon).partition);
    this.#deps.watch.set(order.id, order.driverId, partitions);
  }

  #snapshot(order: Order): ViewerFrame {
    const last = this.#last;
    return {
      type: "snapshot",
      orderId: order.id,
      order,
      location: last
        ? { driverId: last.driverId, lat: last.lat, lon: last.lon, ts: last.ts, seq: last.seq }
        : null,
      eta: this.#sentEta,
      notifications: [...this.#notifications.values()],
    };
  }

  #finish(): void {
    const reason = this.#order!.status;
    for (const viewer of this.#viewers.values()) {
      if (viewer.closeOnFinish) {
        viewer.ref.tell({ type: "close", code: VIEWER_CLOSE_CODES.finished, reason });
      }
    }
    this.#viewers.clear();
    this.#deps.watch.remove(this.#ctx.id);
    this.#ctx.timers.cancel("refresh");
    this.#linger();
  }

  #broadcast(frame: ViewerFrame): void {
    for (const viewer of this.#viewers.values()) viewer.ref.tell({ type: "frame", frame });
  }
}

const _RANK = { created: 0, assigned: 1, picked_up: 2, delivered: 3, cancelled: 3 } as const;

/** Whether `order` is a later state than `known` (statuses only move forward). */
function _newer(order: Order, known: Order): boolean {
  const a = _RANK[order.status];
  const b = _RANK[known.status];
  return a > b || (a === b && order.updatedAt > known.updatedAt);
}

/**
 * Registers OrderActor. Only positions conflate (the newest per driver is all that matters) and
 * only they may be dropped when 1,000 messages are queued; commands, creations, events and
 * (un)subscriptions have no key, so the runtime never drops them. Those are bounded by their
 * senders: a command or creation waits for its reply (`ask`), a subscription is one per open
 * viewer socket, events come one per change of this order.
 */
export function orderActorKind(deps: OrderActorDeps): ActorKind<OrderMessage> {
  return {
    create: (_id, ctx) => new OrderActor(ctx, deps),
    mailbox: {
      capacity: 1000,
      overflow: "conflate",
      conflateKey: (m) => m.type === "location" ? `location:${m.record.driverId}` : undefined,
    },
  };
}
