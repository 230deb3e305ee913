import { distanceMeters } from "../sim/_geo.ts";
import {
  DEMO_DISPATCHER_DEFAULTS,
  type DemoDispatcherOptions,
  type DispatchCounts,
  type DispatchDriver,
  type DispatcherDefaults,
} from "./demo_dispatch_options.ts";
import {
  type DemoRestaurant,
  dropoffFrom,
  type Opening,
  placeRestaurants,
  planOpening,
} from "./demo_restaurants.ts";
import { OrderTrip } from "./order_trip.ts";

export type { DemoRestaurant } from "./demo_restaurants.ts";
export {
  DEMO_DISPATCHER_DEFAULTS,
  type DemoDispatcherOptions,
  type DispatchCounts,
  type DispatchDriver,
  type DispatchOps,
} from "./demo_dispatch_options.ts";

/** An order to start: where, and for an opening order its waiting driver and hop. */
interface _Plan {
  restaurant: DemoRestaurant;
  opening?: Opening<DispatchDriver>;
}

/**
 * The simulated city's dispatcher: keeps `activeOrders` orders under way. It opens with a few
 * drivers waiting at restaurants whose first orders go a short hop away (`openingHopsS`), one at
 * a time; then for each new order it picks a restaurant at random and a drop-off 1–3 km from it.
 * Either way it asks the service for the nearest idle drivers (`GET /drivers/nearby`, as a
 * dispatcher), takes the nearest one of its own with an open socket, creates the order and
 * assigns it (as ops); the driver then lives the order as an {@linkcode OrderTrip}: to the
 * pickup, `picked_up`, to the drop-off, `delivered`, and roams until its next order. Call
 * {@linkcode DemoDispatcher.tick} often (the trips advance by the simulated seconds given), and
 * hand the server's answers to order events to {@linkcode DemoDispatcher.answer}.
 */
export class DemoDispatcher {
  readonly counts: DispatchCounts = { created: 0, pickedUp: 0, delivered: 0, failed: 0 };
  #restaurants: DemoRestaurant[];
  #o: DemoDispatcherOptions & DispatcherDefaults;
  #drivers = new Map<string, DispatchDriver>();
  /** The opening orders not yet started; undefined until planned. */
  #openings: _Plan[] | undefined;
  #openingOver = false;
  #openingS = 0;
  #trips = new Map<DispatchDriver, OrderTrip>();
  /** Drivers being given an order (REST in flight). */
  #reserved = new Set<DispatchDriver>();
  /** Orders being started (the nearby search, then REST). */
  #starting = 0;
  /** Simulated seconds before the next start, after a search found no free driver. */
  #waitS = 0;
  #reconciling = new Set<DispatchDriver>();
  /** Per trip: its unanswered sends when it was last read over REST (once per resend). */
  #reconciledAt = new WeakMap<OrderTrip, number>();
  #pending = new Set<Promise<void>>();
  #customers = 0;
  #stopped = false;

  constructor(options: DemoDispatcherOptions) {
    this.#o = { ...DEMO_DISPATCHER_DEFAULTS, ...options };
    this.#restaurants = placeRestaurants(this.#o.restaurants, this.#o);
  }

  /** The city's restaurants (the opening's stand where their drivers start). */
  get restaurants(): readonly DemoRestaurant[] {
    return this.#restaurants;
  }

  /** The drivers to dispatch (the simulation's, once built); the first call plans the opening. */
  setDrivers(drivers: readonly DispatchDriver[]): void {
    this.#drivers = new Map(drivers.map((d) => [d.id, d]));
    if (this.#openings || this.#o.activeOrders === 0) return;
    const hops = this.#o.openingHopsS.slice(0, this.#o.activeOrders);
    const plan = planOpening(drivers, this.#restaurants, { driveS: hops, rng: this.#o.rng });
    for (const p of plan) p.driver.walker.goTo(p.restaurant, { direct: true });
    this.#openings = plan.map((opening) => ({ restaurant: opening.restaurant, opening }));
  }

  /** Orders under way: assigned and not yet delivered, plus those being started. */
  get active(): number {
    return this.#trips.size + this.#starting;
  }

  /** Advances every trip by `dtSimS` simulated seconds, sends due events, starts new orders. */
  tick(dtSimS: number): void {
    if (this.#stopped) return;
    for (const [driver, trip] of this.#trips) this.#stepTrip(driver, trip, dtSimS);
    if (!this.#openingOver && this.#openings?.length) {
      // The opening orders one at a time, first: the first assigned is the quickest.
      this.#openingS += dtSimS;
      if (this.#openingS > this.#o.openingGiveUpS) this.#endOpening();
      else if (this.#starting === 0) this.#start(this.#openings[0]!);
      return;
    }
    if (!this.#openingOver && this.#openings) this.#endOpening();
    this.#waitS -= dtSimS;
    let starts = this.#o.concurrency - this.#starting;
    while (this.#waitS <= 0 && starts-- > 0 && this.active < this.#o.activeOrders) {
      const r = this.#restaurants[Math.floor(this.#o.rng() * this.#restaurants.length)]!;
      this.#start({ restaurant: r });
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

  #stepTrip(driver: DispatchDriver, trip: OrderTrip, dtSimS: number): void {
    trip.step(dtSimS);
    const event = trip.due();
    if (event && driver.sendOrderEvent(trip.orderId, event)) trip.sent(event);
    const sends = trip.unconfirmedSends;
    if (sends >= this.#o.reconcileAfterSends && this.#reconciledAt.get(trip) !== sends) {
      this.#reconciledAt.set(trip, sends);
      this.#reconcile(driver, trip);
    }
  }

  /** The opening is over: its drivers still waiting without an order drive about again. */
  #endOpening(): void {
    for (const p of this.#openings ?? []) {
      const d = p.opening!.driver;
      if (!this.#trips.has(d) && !this.#reserved.has(d)) d.walker.roam();
    }
    this.#openings = [];
    this.#openingOver = true;
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

  /** Finds the driver, creates the order and assigns it, in the background. */
  #start(plan: _Plan): void {
    this.#starting++;
    this.#track(
      this.#startOrder(plan).catch((error) => {
        this.counts.failed++;
        if (!this.#stopped) this.#o.onError?.(error);
      }).finally(() => this.#starting--),
    );
  }

  async #startOrder(plan: _Plan): Promise<void> {
    const o = this.#o;
    const { restaurant: r, opening } = plan;
    const driver = await this.#nearestIdle(r, opening ? 150 : undefined);
    if (!driver) {
      if (!opening) this.#waitS = 1;
      return;
    }
    if (opening) this.#openings?.shift();
    if (this.#stopped) return;
    this.#reserved.add(driver);
    try {
      const distM = opening
        ? opening.driveS * driver.walker.cruise
        : o.dropoffMinM + o.rng() * (o.dropoffMaxM - o.dropoffMinM);
      const created = await o.ops.createOrder({
        restaurantId: r.id,
        customerId: `${o.prefix}-customer-${this.#customers++}`,
        pickup: { lat: r.lat, lon: r.lon },
        dropoff: dropoffFrom(r, distM, o),
      });
      this.counts.created++;
      if (o.zones) this.#track(o.zones.ensure(r));
      const assigned = await o.ops.assign(created.id, driver.id);
      if (this.#stopped) return;
      const trip = opening
        ? {
          ...o.trip,
          ...o.openingTrip,
          directToPickup: true,
          directToDropoff: opening.driveS <= o.openingDirectUpToS,
        }
        : o.trip;
      this.#trips.set(driver, new OrderTrip(assigned, driver.walker, trip));
      o.onAssigned?.(assigned, opening !== undefined);
    } finally {
      this.#reserved.delete(driver);
    }
  }

  /**
   * The nearest idle driver of this city with an open socket, from `GET /drivers/nearby`
   * (within `radiusM`, or anywhere in the area); the service's idle state comes from order
   * events, so drivers this dispatcher has just given an order are skipped here as well.
   */
  async #nearestIdle(at: DemoRestaurant, radiusM?: number) {
    const a = this.#o.area;
    const across = distanceMeters(a.minLat, a.minLon, a.maxLat, a.maxLon);
    const found = await this.#o.ops.nearby({
      lat: at.lat,
      lon: at.lon,
      radiusM: Math.min(50_000, radiusM ?? Math.ceil(across)),
      limit: 50,
    });
    for (const n of found) {
      const d = this.#drivers.get(n.driverId);
      if (d?.open && !this.#trips.has(d) && !this.#reserved.has(d)) return d;
    }
    return undefined;
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

  #track(p: Promise<void>): void {
    this.#pending.add(p);
    p.finally(() => this.#pending.delete(p));
  }
}
