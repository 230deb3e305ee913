import type { ActorContext, ActorRef } from "./runtime/mod.ts";
import type { Order } from "../domain/order.ts";
import type { Eta, ViewerFrame, ViewerLocation } from "./order_protocol.ts";
import type { OrderNotification } from "../domain/order_notification.ts";
import { VIEWER_CLOSE_CODES } from "../domain/close_codes.ts";
import { isFinished } from "../domain/order_lifecycle.ts";
import { etaChanged, type EtaEstimator } from "./eta_estimator.ts";
import { SpeedSmoother } from "./speed_smoother.ts";
import { DriverFreshness } from "./driver_freshness.ts";
import { OrderWatch } from "./order_watch.ts";
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
  /** With no newer fix for this long (server receive time), the position is stale. */
  readonly staleAfterMs: number;
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
 * Every position carries its age; past `staleAfterMs` without a newer fix a `stale` frame goes
 * out, and no ETA until a fresh fix clears it. It runs inside the order's actor, one message at a time, with the actor's context.
 */
export class OrderViewers {
  #ctx: ActorContext<OrderMessage>;
  #deps: OrderViewersDeps;
  #host: OrderViewersHost;
  #viewers = new Map<string, { ref: ActorRef<ViewerMessage>; closeOnFinish: boolean }>();
  #last: LocationRecord | undefined;
  #lastAt = 0;
  #fresh: DriverFreshness<OrderMessage>;
  #speed = new SpeedSmoother();
  #sentEta: Eta | null = null;
  #notifications = new Map<string, OrderNotification>();
  #notificationsLoaded = false;
  #watch: OrderWatch;

  /** The fan-out of the actor of `ctx`. */
  constructor(ctx: ActorContext<OrderMessage>, deps: OrderViewersDeps, host: OrderViewersHost) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#host = host;
    this.#watch = new OrderWatch(ctx.id, deps);
    const { staleAfterMs } = deps, message = { type: "stale" } as const;
    this.#fresh = new DriverFreshness<OrderMessage>(ctx, { staleAfterMs, message });
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
      this.#fresh.reset();
    }
    const { id: orderId, status, driverId, updatedAt: at } = order;
    this.#broadcast({ type: "status", orderId, status, driverId, at });
    if (isFinished(order.status)) return this.#finish(order.status);
    if (this.#viewers.size > 0) this.#watch.index(order, this.#last);
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
    this.#watch.saw(record);
    const speed = this.#speed.update(record);
    if (this.#fresh.stale) this.#sentEta = null; // the ETA stopped: send the next one whatever it is
    const stale = this.#fresh.seen(record.receivedAt);
    this.#broadcast({ type: "location", orderId: order.id, ...this.#viewerLocation(record) });
    if (stale) return; // an old fix: no ETA from it
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
    this.lapsed(); // the viewers already here learn of a lapse before the newcomer's snapshot
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
    this.#fresh.lapsed(); // marks a lapse for the snapshot, or sets the timer
    ref.tell({ type: "frame", frame: this.#snapshot(order) });
    this.#watch.index(order, this.#last);
    this.#ctx.timers.every("refresh", this.#deps.refreshMs, { type: "refresh" });
  }

  /** A viewer left; the last one takes the order out of what this instance reads. */
  remove(viewerId: string): void {
    this.#viewers.delete(viewerId);
    if (this.#viewers.size > 0) return;
    this.#watch.unwatch();
    this.#ctx.timers.cancel("refresh");
    this.#fresh.pause();
  }

  /** The stale timer fired (or a viewer came): a driver silent for `staleAfterMs` is marked. */
  lapsed(): void {
    const last = this.#last;
    const order = this.#host.order();
    if (this.#viewers.size === 0 || !last || !order) return this.#fresh.pause();
    if (!this.#fresh.lapsed()) return;
    const { driverId, ts } = last;
    const ageMs = this.#fresh.ageMs() ?? 0;
    this.#broadcast({ type: "stale", orderId: order.id, driverId, stale: true, ageMs, ts });
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
      this.#watch.unwatch();
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
    this.#fresh.seen(record.receivedAt);
    this.#speed.update(record);
    const order = this.#host.order();
    if (order) this.#sentEta = this.#estimate(order, this.#speed.current);
  }

  #snapshot(order: Order): ViewerFrame {
    return {
      type: "snapshot",
      orderId: order.id,
      order,
      location: this.#last ? this.#viewerLocation(this.#last) : null,
      eta: this.#fresh.stale ? null : this.#sentEta,
      notifications: [...this.#notifications.values()],
    };
  }

  /** A position as viewers see it: with its age now and whether it is stale. */
  #viewerLocation(record: LocationRecord): ViewerLocation {
    const { driverId, lat, lon, ts, seq } = record;
    const ageMs = this.#fresh.ageMs() ?? 0;
    return { driverId, lat, lon, ts, seq, ageMs, stale: this.#fresh.stale };
  }

  #finish(reason: string): void {
    for (const viewer of this.#viewers.values()) {
      if (viewer.closeOnFinish) {
        viewer.ref.tell({ type: "close", code: VIEWER_CLOSE_CODES.finished, reason });
      }
    }
    this.#viewers.clear();
    this.#watch.unwatch();
    this.#ctx.timers.cancel("refresh");
    this.#fresh.pause();
  }

  #broadcast(frame: ViewerFrame): void {
    for (const viewer of this.#viewers.values()) viewer.ref.tell({ type: "frame", frame });
  }
}
