import type { ActorContext, ActorRef } from "./runtime/mod.ts";
import type { Order } from "../domain/order.ts";
import type { Eta, ViewerFrame } from "./order_protocol.ts";
import type { OrderNotification } from "../domain/order_notification.ts";
import { VIEWER_CLOSE_CODES } from "../domain/close_codes.ts";
import { isFinished } from "../domain/order_lifecycle.ts";
import { etaChanged, type EtaEstimator } from "./eta_estimator.ts";
import { SpeedSmoother } from "./speed_smoother.ts";
import type { OrderMessage } from "./order_actor.ts";
import type { ViewerMessage } from "./viewer_actor.ts";
import type { LiveRouterMessage } from "./live_router.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import type { OrderStore } from "../domain/order_store.ts";
import type { RegionMap } from "../domain/region_map.ts";

/** What an order's viewer fan-out needs from outside. */
export interface OrderViewersDeps {
  readonly store: Pick<OrderStore, "notifications">;
  /** The live router: told what this instance must read for the order's viewers. */
  readonly router: ActorRef<LiveRouterMessage>;
  readonly regions: RegionMap;
  /** The newest position known for a driver (live on this instance, else stored). */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
  readonly eta: EtaEstimator;
  /** With viewers and no fix for this long, look the driver up again. */
  readonly refreshMs: number;
  /** The viewer actors, by viewer (connection) id. */
  readonly viewers: (viewerId: string) => ActorRef<ViewerMessage>;
}

/** How the fan-out reads its actor's order. */
export interface OrderViewersHost {
  /** The order as the actor knows it now (`undefined` while it does not exist). */
  readonly order: () => Order | undefined;
}

/**
 * The viewer side of an OrderActor: this instance's viewers of one order and what they have been
 * shown. It sends each a snapshot, then status, the driver's position (never an older one after a
 * newer), ETA and notifications (each once), and registers what the instance must read for them.
 * It runs inside the order's actor, one message at a time, with the actor's context.
 */
export class OrderViewers {
  #ctx: ActorContext<OrderMessage>;
  #deps: OrderViewersDeps;
  #host: OrderViewersHost;
  #viewers = new Map<string, { ref: ActorRef<ViewerMessage>; closeOnFinish: boolean }>();
  #last: LocationRecord | undefined;
  #lastAt = 0;
  #speed = new SpeedSmoother();
  #sentEta: Eta | null = null;
  #notifications = new Map<string, OrderNotification>();
  #notificationsLoaded = false;
  /** The partitions the router was told to read for this order; `undefined` while unwatched. */
  #watched: Set<number> | undefined;

  /** The fan-out of the actor of `ctx`. */
  constructor(ctx: ActorContext<OrderMessage>, deps: OrderViewersDeps, host: OrderViewersHost) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#host = host;
  }

  /** How many viewers are connected. */
  get count(): number {
    return this.#viewers.size;
  }

  /** The order moved from `known` to the newer `order`: tells the viewers what changed. */
  changed(known: Order | undefined, order: Order): void {
    if (known?.status === order.status && known.driverId === order.driverId) return;
    if (known?.driverId !== order.driverId) {
      this.#last = undefined;
      this.#sentEta = null;
      this.#speed = new SpeedSmoother();
    }
    const { id: orderId, status, driverId, updatedAt: at } = order;
    this.#broadcast({ type: "status", orderId, status, driverId, at });
    if (isFinished(order.status)) return this.#finish(order.status);
    if (this.#viewers.size > 0) this.#index();
  }

  /** A notification of the order: shown once, however often it arrives. */
  notify(notification: OrderNotification): void {
    if (this.#notifications.has(notification.id)) return;
    this.#notifications.set(notification.id, notification);
    this.#broadcast({ type: "notification", ...notification });
  }

  /** A fix of a driver; shown if it is the order's driver's and newer than the last one shown. */
  location(record: LocationRecord): void {
    const order = this.#host.order();
    if (!order || order.driverId !== record.driverId || isFinished(order.status)) return;
    if (this.#last && record.ts <= this.#last.ts) return;
    this.#last = record;
    this.#lastAt = this.#ctx.clock.now();
    this.#watchPartition(this.#deps.regions.locate(record.lat, record.lon).partition);
    const speed = this.#speed.update(record);
    const { driverId, lat, lon, ts, seq } = record;
    this.#broadcast({ type: "location", orderId: order.id, driverId, lat, lon, ts, seq });
    const eta = this.#estimate(order, speed);
    if (eta && etaChanged(this.#sentEta, eta)) {
      this.#sentEta = eta;
      this.#broadcast({ type: "eta", orderId: order.id, ...eta });
    }
  }

  /**
   * A viewer subscribes: a missing order closes it with 4004; a finished one gets its last
   * snapshot (and a 1000 close if `closeOnFinish`); otherwise it gets a snapshot and is followed.
   */
  async add(viewerId: string, closeOnFinish: boolean): Promise<void> {
    const ref = this.#deps.viewers(viewerId);
    const order = this.#host.order();
    if (!order) {
      const reason = "no such order";
      return ref.tell({ type: "close", code: VIEWER_CLOSE_CODES.notFound, reason });
    }
    if (isFinished(order.status)) {
      // Nothing more will happen: show how it ended, and follow it no further.
      await this.#loadNotifications();
      ref.tell({ type: "frame", frame: this.#snapshot(order) });
      if (!closeOnFinish) return;
      return ref.tell({ type: "close", code: VIEWER_CLOSE_CODES.finished, reason: order.status });
    }
    this.#viewers.set(viewerId, { ref, closeOnFinish });
    await this.#loadNotifications();
    if (!this.#last && order.driverId) {
      const latest = await this.#deps.latestPosition(order.driverId);
      if (latest && latest.driverId === this.#host.order()?.driverId) this.#adoptQuietly(latest);
    }
    ref.tell({ type: "frame", frame: this.#snapshot(order) });
    this.#index();
    this.#ctx.timers.every("refresh", this.#deps.refreshMs, { type: "refresh" });
  }

  /** A viewer left; the last one takes the order out of what this instance reads. */
  remove(viewerId: string): void {
    this.#viewers.delete(viewerId);
    if (this.#viewers.size > 0) return;
    this.#unwatch();
    this.#ctx.timers.cancel("refresh");
  }

  /** With no fix for a while, the driver may be in a region this instance does not read. */
  async refresh(): Promise<void> {
    const driverId = this.#host.order()?.driverId;
    if (!driverId || this.#viewers.size === 0) return;
    if (this.#ctx.clock.now() - this.#lastAt < this.#deps.refreshMs) return;
    const latest = await this.#deps.latestPosition(driverId);
    if (latest) this.location(latest);
  }

  /** The actor stops: nothing is read for this order any more. */
  stop(): void {
    try {
      this.#unwatch();
    } catch {
      // Shutting down: the router may have stopped first, and nothing is read any more anyway.
    }
  }

  /** Past notifications matter only to viewers (snapshot), so they are read on the first one. */
  async #loadNotifications(): Promise<void> {
    if (this.#notificationsLoaded) return;
    for (const n of await this.#deps.store.notifications(this.#ctx.id)) {
      this.#notifications.set(n.id, n);
    }
    this.#notificationsLoaded = true;
  }

  #estimate(order: Order, speed: number | undefined): Eta | null {
    if (!this.#last || (order.status !== "assigned" && order.status !== "picked_up")) return null;
    const target = order.status === "assigned" ? "pickup" : "dropoff";
    const stop = order.status === "assigned" ? order.pickup : order.dropoff;
    return { target, ...this.#deps.eta.estimate(this.#last, stop, speed) };
  }

  #adoptQuietly(record: LocationRecord): void {
    this.#last = record;
    this.#speed.update(record);
    const order = this.#host.order();
    if (order) this.#sentEta = this.#estimate(order, this.#speed.current);
  }

  /** Registers what this instance must read for the order: the regions of its stops and driver. */
  #index(): void {
    const order = this.#host.order();
    if (!order) return;
    const { regions } = this.#deps;
    const partitions = new Set([
      regions.locate(order.pickup.lat, order.pickup.lon).partition,
      regions.locate(order.dropoff.lat, order.dropoff.lon).partition,
    ]);
    if (this.#last) partitions.add(regions.locate(this.#last.lat, this.#last.lon).partition);
    this.#watched = partitions;
    const { id: orderId, driverId } = order;
    this.#deps.router.tell({ type: "watch", orderId, driverId, partitions: [...partitions] });
  }

  /** The driver was seen in `partition`: the router is told if it is new for a watched order. */
  #watchPartition(partition: number): void {
    if (!this.#watched || this.#watched.has(partition)) return;
    this.#watched.add(partition);
    this.#deps.router.tell({ type: "watchPartition", orderId: this.#ctx.id, partition });
  }

  #unwatch(): void {
    if (!this.#watched) return;
    this.#watched = undefined;
    this.#deps.router.tell({ type: "unwatch", orderId: this.#ctx.id });
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

  #finish(reason: string): void {
    for (const viewer of this.#viewers.values()) {
      if (viewer.closeOnFinish) {
        viewer.ref.tell({ type: "close", code: VIEWER_CLOSE_CODES.finished, reason });
      }
    }
    this.#viewers.clear();
    this.#unwatch();
    this.#ctx.timers.cancel("refresh");
  }

  #broadcast(frame: ViewerFrame): void {
    for (const viewer of this.#viewers.values()) viewer.ref.tell({ type: "frame", frame });
  }
}
