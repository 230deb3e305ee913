import type { Area } from "../sim/area.ts";
import { distanceMeters, offsetMeters } from "../sim/_geo.ts";
import type { ApiOrder, NewApiOrder } from "./ops_client.ts";
import { OrderTrip, type OrderTripOptions, type TripEvent, type TripWalker } from "./order_trip.ts";
import type { Rng } from "../sim/rng.ts";

/** A driver the dispatcher can send on orders: a `SimDriver` is one. */
export interface DispatchDriver {
  readonly id: string;
  readonly open: boolean;
  readonly walker: TripWalker & { readonly position: { lat: number; lon: number } };
  sendOrderEvent(orderId: string, event: TripEvent): boolean;
}

/** The REST calls the dispatcher makes (as ops): an `OpsClient`. */
export interface DispatchOps {
  createOrder(order: NewApiOrder): Promise<ApiOrder>;
  assign(orderId: string, driverId: string): Promise<ApiOrder>;
  order(orderId: string): Promise<ApiOrder>;
}

/** A restaurant of the simulated city. */
export interface DemoRestaurant {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
}

/** Options of {@linkcode DemoDispatcher}; defaults in {@linkcode DEMO_DISPATCHER_DEFAULTS}. */
export interface DemoDispatcherOptions {
  ops: DispatchOps;
  area: Area;
  rng: Rng;
  /** ids are `${prefix}-restaurant-<i>`, `${prefix}-customer-<n>` */
  prefix: string;
  /** orders under way at once (created, assigned, not yet delivered) */
  activeOrders: number;
  restaurants?: number;
  /** drop-off distance from the restaurant, metres (before clamping into the area) */
  dropoffMinM?: number;
  dropoffMaxM?: number;
  /** orders being created and assigned at the same time */
  concurrency?: number;
  /** see {@linkcode OrderTrip} */
  trip?: OrderTripOptions;
  /** an event sent this often without an answer makes the dispatcher read the order over REST */
  reconcileAfterSends?: number;
  /** told about each order once it is assigned (e.g. to print its page) */
  onAssigned?: (order: ApiOrder) => void;
  /** told about a failed REST call */
  onError?: (error: unknown) => void;
}

/** Defaults of {@linkcode DemoDispatcherOptions}. */
export const DEMO_DISPATCHER_DEFAULTS: Readonly<_Defaults> = Object.freeze({
  restaurants: 12,
  dropoffMinM: 1000,
  dropoffMaxM: 3000,
  concurrency: 4,
  reconcileAfterSends: 2,
});

type _Defaults = Required<
  Pick<
    DemoDispatcherOptions,
    "restaurants" | "dropoffMinM" | "dropoffMaxM" | "concurrency" | "reconcileAfterSends"
  >
>;

/** What the dispatcher has done so far. */
export interface DispatchCounts {
  created: number;
  pickedUp: number;
  delivered: number;
  failed: number;
}

/**
 * The simulated city's dispatcher: keeps `activeOrders` orders under way. For a new order it
 * picks a restaurant at random, a drop-off 1–3 km from it, creates the order and assigns it (as
 * ops) to the nearest idle driver whose socket is open, and that driver then lives the order
 * as an {@linkcode OrderTrip}: to the pickup, `picked_up`, to the drop-off, `delivered`. Once
 * delivered the driver roams and may get the next order. Call {@linkcode DemoDispatcher.tick}
 * often (the trips advance by the simulated seconds given), and hand the server's answers to
 * order events to {@linkcode DemoDispatcher.answer}.
 */
export class DemoDispatcher {
  readonly restaurants: readonly DemoRestaurant[];
  readonly counts: DispatchCounts = { created: 0, pickedUp: 0, delivered: 0, failed: 0 };
  #o: DemoDispatcherOptions & _Defaults;
  #drivers: readonly DispatchDriver[] = [];
  #trips = new Map<DispatchDriver, OrderTrip>();
  /** Drivers being given an order (REST in flight). */
  #reserved = new Set<DispatchDriver>();
  #reconciling = new Set<DispatchDriver>();
  /** Per trip: its unanswered sends when it was last read over REST (once per resend). */
  #reconciledAt = new WeakMap<OrderTrip, number>();
  #pending = new Set<Promise<void>>();
  #customers = 0;
  #stopped = false;

  constructor(options: DemoDispatcherOptions) {
    this.#o = { ...DEMO_DISPATCHER_DEFAULTS, ...options };
    const { area, rng, prefix } = this.#o;
    const m = 0.005;
    this.restaurants = Array.from({ length: this.#o.restaurants }, (_, i) => ({
      id: `${prefix}-restaurant-${i}`,
      lat: _round(area.minLat + m + rng() * (area.maxLat - area.minLat - 2 * m)),
      lon: _round(area.minLon + m + rng() * (area.maxLon - area.minLon - 2 * m)),
    }));
  }

  /** The drivers to dispatch (the simulation's, once built). */
  setDrivers(drivers: readonly DispatchDriver[]): void {
    this.#drivers = drivers;
  }

  /** Orders under way: assigned and not yet delivered, plus those being created. */
  get active(): number {
    return this.#trips.size + this.#reserved.size;
  }

  /** Advances every trip by `dtSimS` simulated seconds, sends due events, starts new orders. */
  tick(dtSimS: number): void {
    if (this.#stopped) return;
    for (const [driver, trip] of this.#trips) {
      trip.step(dtSimS);
      const event = trip.due();
      if (event && driver.sendOrderEvent(trip.orderId, event)) trip.sent(event);
      const sends = trip.unconfirmedSends;
      if (sends >= this.#o.reconcileAfterSends && this.#reconciledAt.get(trip) !== sends) {
        this.#reconciledAt.set(trip, sends);
        this.#reconcile(driver, trip);
      }
    }
    let starts = this.#o.concurrency - this.#reserved.size;
    while (starts-- > 0 && this.active < this.#o.activeOrders) {
      if (!this.#startOrder()) break;
    }
  }

  /** The server's answer to a driver's order event: `{"type":"order","orderId","status"}`. */
  answer(driver: DispatchDriver, orderId: string, status: string): void {
    const trip = this.#trips.get(driver);
    if (trip?.orderId === orderId) this.#apply(driver, trip, status);
  }

  /** Starts nothing more and waits for the REST calls in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.allSettled([...this.#pending]);
  }

  #apply(driver: DispatchDriver, trip: OrderTrip, status: string): void {
    const before = trip.stage;
    trip.confirm(status);
    if (before !== trip.stage && trip.stage === "to_dropoff") this.counts.pickedUp++;
    if (trip.stage === "done") {
      if (status === "delivered") this.counts.delivered++;
      this.#trips.delete(driver);
    }
  }

  /** Creates and assigns one order; false when no driver is free. */
  #startOrder(): boolean {
    const o = this.#o;
    const restaurant = this.restaurants[Math.floor(o.rng() * this.restaurants.length)]!;
    const driver = this.#nearestIdle(restaurant);
    if (!driver) return false;
    this.#reserved.add(driver);
    const angle = o.rng() * 2 * Math.PI;
    const dist = o.dropoffMinM + o.rng() * (o.dropoffMaxM - o.dropoffMinM);
    const d = offsetMeters(
      restaurant.lat,
      restaurant.lon,
      dist * Math.cos(angle),
      dist * Math.sin(angle),
    );
    const body: NewApiOrder = {
      restaurantId: restaurant.id,
      customerId: `${o.prefix}-customer-${this.#customers++}`,
      pickup: { lat: restaurant.lat, lon: restaurant.lon },
      dropoff: {
        lat: _round(_clamp(d.lat, o.area.minLat + 0.003, o.area.maxLat - 0.003)),
        lon: _round(_clamp(d.lon, o.area.minLon + 0.003, o.area.maxLon - 0.003)),
      },
    };
    this.#track((async () => {
      try {
        const created = await o.ops.createOrder(body);
        this.counts.created++;
        const assigned = await o.ops.assign(created.id, driver.id);
        if (this.#stopped) return;
        this.#trips.set(driver, new OrderTrip(assigned, driver.walker, o.trip));
        o.onAssigned?.(assigned);
      } catch (error) {
        this.counts.failed++;
        if (!this.#stopped) o.onError?.(error);
      } finally {
        this.#reserved.delete(driver);
      }
    })());
    return true;
  }

  /** Asks the server where an order is when the driver's events go unanswered. */
  #reconcile(driver: DispatchDriver, trip: OrderTrip): void {
    if (this.#reconciling.has(driver)) return;
    this.#reconciling.add(driver);
    this.#track(
      this.#o.ops.order(trip.orderId).then(
        (order) => {
          if (this.#trips.get(driver) === trip) this.#apply(driver, trip, order.status);
        },
        (error) => {
          this.counts.failed++;
          if (!this.#stopped) this.#o.onError?.(error);
        },
      ).finally(() => this.#reconciling.delete(driver)),
    );
  }

  #nearestIdle(p: { lat: number; lon: number }): DispatchDriver | undefined {
    let best: DispatchDriver | undefined;
    let bestM = Infinity;
    for (const d of this.#drivers) {
      if (!d.open || this.#trips.has(d) || this.#reserved.has(d)) continue;
      const at = d.walker.position;
      const m = distanceMeters(at.lat, at.lon, p.lat, p.lon);
      if (m < bestM) {
        best = d;
        bestM = m;
      }
    }
    return best;
  }

  #track(p: Promise<void>): void {
    this.#pending.add(p);
    p.finally(() => this.#pending.delete(p));
  }
}

function _clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function _round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
