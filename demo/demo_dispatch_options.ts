import type { Area } from "../sim/area.ts";
import type { ApiOrder, NearbyApiDriver, NearbyApiQuery, NewApiOrder } from "./ops_client.ts";
import type { DemoZones } from "./demo_zones.ts";
import type { OrderTripOptions, TripEvent, TripWalker } from "./order_trip.ts";
import type { Rng } from "../sim/rng.ts";

/** A driver the dispatcher can send on orders: a `SimDriver` is one. */
export interface DispatchDriver {
  readonly id: string;
  readonly open: boolean;
  readonly walker: TripWalker & {
    readonly position: { lat: number; lon: number };
    readonly cruise: number;
    roam(): void;
  };
  sendOrderEvent(orderId: string, event: TripEvent): boolean;
}

/** The REST calls the dispatcher makes: orders as ops, the nearby search as a dispatcher. */
export interface DispatchOps {
  createOrder(order: NewApiOrder): Promise<ApiOrder>;
  assign(orderId: string, driverId: string): Promise<ApiOrder>;
  order(orderId: string): Promise<ApiOrder>;
  /** `GET /drivers/nearby?state=idle`: idle drivers, nearest first. */
  nearby(query: NearbyApiQuery): Promise<NearbyApiDriver[]>;
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
  /**
   * The opening's drop-offs, in simulated seconds at the waiting driver's cruise speed: one
   * opening order per entry, each at its own restaurant (see `planOpening`); `[]` for none.
   */
  openingHopsS?: readonly number[];
  /** Trip options of the opening orders: food ready, a short hand-over. */
  openingTrip?: OrderTripOptions;
  /**
   * The opening's drivers drive straight to their restaurant (they wait there), and to drop-offs
   * up to this far (simulated s of their cruise), without junction stops.
   */
  openingDirectUpToS?: number;
  /** An opening order whose waiting driver is not found this long (simulated s) is given up. */
  openingGiveUpS?: number;
  /** orders being created and assigned at the same time */
  concurrency?: number;
  /** see {@linkcode OrderTrip} */
  trip?: OrderTripOptions;
  /** an event sent this often without an answer makes the dispatcher read the order over REST */
  reconcileAfterSends?: number;
  /** a zone per restaurant, made with its first order */
  zones?: Pick<DemoZones, "ensure">;
  /** told about each order once it is assigned (e.g. to print its page); `opening`: one of the first */
  onAssigned?: (order: ApiOrder, opening: boolean) => void;
  /** told about a failed REST call */
  onError?: (error: unknown) => void;
}

/** Defaults of {@linkcode DemoDispatcherOptions}. */
export const DEMO_DISPATCHER_DEFAULTS: Readonly<DispatcherDefaults> = Object.freeze({
  restaurants: 12,
  dropoffMinM: 1000,
  dropoffMaxM: 3000,
  openingHopsS: [5, 12, 25, 45, 70, 100],
  openingTrip: { pickupDwellS: 1, dropoffDwellS: 1 },
  openingDirectUpToS: 30,
  openingGiveUpS: 30,
  concurrency: 4,
  reconcileAfterSends: 2,
});

/** The options {@linkcode DEMO_DISPATCHER_DEFAULTS} gives. */
export type DispatcherDefaults = Required<
  Pick<
    DemoDispatcherOptions,
    | "restaurants"
    | "dropoffMinM"
    | "dropoffMaxM"
    | "openingHopsS"
    | "openingTrip"
    | "openingDirectUpToS"
    | "openingGiveUpS"
    | "concurrency"
    | "reconcileAfterSends"
  >
>;

/** What the dispatcher has done so far. */
export interface DispatchCounts {
  created: number;
  pickedUp: number;
  delivered: number;
  failed: number;
}
