/** A point on the map. */
export interface TripPoint {
  lat: number;
  lon: number;
}

/** What an {@linkcode OrderTrip} steers: a {@linkcode RouteWalker} does. */
export interface TripWalker {
  /** Drive to `dest` and wait there; `direct`: one straight leg, no junction stops. */
  goTo(dest: TripPoint, options?: { direct?: boolean }): void;
  /** True once the last `goTo` destination is reached. */
  readonly arrived: boolean;
  /** Errands are over: drive about freely again. */
  roam(): void;
}

/** Where a trip is. */
export type TripStage =
  | "to_pickup"
  | "at_pickup"
  | "to_dropoff"
  | "at_dropoff"
  | "done";

/** The driver's order events, as `{"type":"order","event":...}` frames carry them. */
export type TripEvent = "picked_up" | "delivered";

/** Options of {@linkcode OrderTrip}; defaults in {@linkcode ORDER_TRIP_DEFAULTS}. */
export interface OrderTripOptions {
  /** Simulated seconds at the pickup before the food is picked up. */
  pickupDwellS?: number;
  /** Simulated seconds at the drop-off before the order counts as delivered. */
  dropoffDwellS?: number;
  /** Simulated seconds to wait for the server's answer to an event before sending it again. */
  resendAfterS?: number;
  /** Drive straight to the pickup, without junction stops (a driver waiting at the restaurant). */
  directToPickup?: boolean;
  /** Drive straight to the drop-off, without junction stops (a hop round the corner). */
  directToDropoff?: boolean;
}

/** Defaults of {@linkcode OrderTripOptions}. */
export const ORDER_TRIP_DEFAULTS: Required<OrderTripOptions> = Object.freeze({
  pickupDwellS: 20,
  dropoffDwellS: 10,
  resendAfterS: 10,
  directToPickup: false,
  directToDropoff: false,
});

/**
 * One assigned order as its driver lives it: drive to the pickup, wait there, report
 * `picked_up`, drive to the drop-off, wait, report `delivered`, then roam again. The trip decides
 * *when* an event is due; the caller sends it ({@linkcode OrderTrip.sent}) and hands over the
 * status the server reports ({@linkcode OrderTrip.confirm}, from the driver socket's answer or
 * from `GET /orders/:id`). An event the server has not confirmed is due again after
 * `resendAfterS`, so a frame lost with a dropped socket does not strand the order.
 *
 * @example
 * ```ts
 * const trip = new OrderTrip({ id, pickup, dropoff }, walker);
 * // each tick, after the walker moved dt simulated seconds:
 * trip.step(dt);
 * const event = trip.due();
 * if (event && driver.sendOrderEvent(id, event)) trip.sent(event);
 * // on the server's {"type":"order","orderId":id,"status":s}: trip.confirm(s)
 * ```
 */
export class OrderTrip {
  readonly orderId: string;
  readonly pickup: TripPoint;
  readonly dropoff: TripPoint;
  #walker: TripWalker;
  #o: Required<OrderTripOptions>;
  #stage: TripStage = "to_pickup";
  #dwellLeft = 0;
  /** Simulated seconds since the due event was last sent; undefined when not sent yet. */
  #sinceSent: number | undefined;
  #sends = 0;

  constructor(
    order: { id: string; pickup: TripPoint; dropoff: TripPoint },
    walker: TripWalker,
    options: OrderTripOptions = {},
  ) {
    this.orderId = order.id;
    this.pickup = order.pickup;
    this.dropoff = order.dropoff;
    this.#walker = walker;
    this.#o = { ...ORDER_TRIP_DEFAULTS, ...options };
    walker.goTo(order.pickup, { direct: this.#o.directToPickup });
  }

  /** Where the trip is. */
  get stage(): TripStage {
    return this.#stage;
  }

  /** How often the event now due has been sent without an answer. */
  get unconfirmedSends(): number {
    return this.#sends;
  }

  /** Takes `dtS` simulated seconds: notices arrivals and counts down the waits. */
  step(dtS: number): void {
    if (this.#sinceSent !== undefined) this.#sinceSent += dtS;
    switch (this.#stage) {
      case "to_pickup":
      case "to_dropoff":
        if (this.#walker.arrived) {
          this.#stage = this.#stage === "to_pickup" ? "at_pickup" : "at_dropoff";
          this.#dwellLeft = this.#stage === "at_pickup"
            ? this.#o.pickupDwellS
            : this.#o.dropoffDwellS;
        }
        return;
      case "at_pickup":
      case "at_dropoff":
        this.#dwellLeft -= dtS;
        return;
      case "done":
        return;
    }
  }

  /** The event to send now, if any: after the wait at a stop, and again if unanswered. */
  due(): TripEvent | undefined {
    if (this.#stage !== "at_pickup" && this.#stage !== "at_dropoff") return undefined;
    if (this.#dwellLeft > 0) return undefined;
    if (this.#sinceSent !== undefined && this.#sinceSent < this.#o.resendAfterS) return undefined;
    return this.#stage === "at_pickup" ? "picked_up" : "delivered";
  }

  /** The due event went out on the driver's socket. */
  sent(_event: TripEvent): void {
    this.#sinceSent = 0;
    this.#sends++;
  }

  /**
   * The order's status as the server reports it. `picked_up` sends the driver on to the
   * drop-off (wherever the trip thought it was); `delivered` and `cancelled` end the trip and
   * the driver roams again. Anything else changes nothing.
   */
  confirm(status: string): void {
    if (this.#stage === "done") return;
    if (status === "picked_up" && (this.#stage === "to_pickup" || this.#stage === "at_pickup")) {
      this.#stage = "to_dropoff";
      this.#sinceSent = undefined;
      this.#sends = 0;
      this.#walker.goTo(this.dropoff, { direct: this.#o.directToDropoff });
    } else if (status === "delivered" || status === "cancelled") {
      this.#stage = "done";
      this.#sinceSent = undefined;
      this.#sends = 0;
      this.#walker.roam();
    }
  }
}
