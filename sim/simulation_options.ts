import { DEV_JWT_SECRET } from "../infra/config.ts";
import { type Area, BENGALURU_AREA } from "./area.ts";

/** Options of `runSimulation` (simulation.ts); defaults in {@linkcode SIMULATION_DEFAULTS}. */
export interface SimulationOptions {
  drivers: number;
  /** ms between one driver's fixes */
  intervalMs: number;
  /** seconds of steady sending after the ramp-up */
  durationS: number;
  /** seconds over which connections are opened */
  rampUpS: number;
  /**
   * service base URL, `http://127.0.0.1:8000` (ws:// also accepted), or several separated by
   * commas (instances of one cluster): driver i connects to URL `i % n`, like a load balancer
   */
  url: string;
  /**
   * base URL(s) of the customer viewers' REST and sockets when they differ from `url` (the
   * bench's floor pipeline serves viewers from its tailer process); empty = `url`
   */
  viewerUrl: string;
  secret: string;
  /**
   * customer viewers on `/ws/orders/:orderId` (0 = off): viewer i watches an order assigned to
   * driver i, so at most `drivers`; all of them run in shard 0
   */
  viewers: number;
  /**
   * share of drivers (0..1) with an active order, assigned at the start: the first
   * `max(viewers, round(orderShare * drivers))` drivers; orders beyond the viewers' are not watched
   */
  orderShare: number;
  /**
   * ops fleet maps on `/ws/fleet` (0 = off), each with a viewport covering the simulated city;
   * all of them run in shard 0
   */
  fleetViewers: number;
  /**
   * share of drivers (0..1) that are phones on the OsmAnd protocol (`POST /osmand`, a device key
   * each) instead of the driver socket: driver i is a phone when {@linkcode isPhone} says so
   */
  osmandShare: number;
  /** loopback source addresses to spread connections over (empty = let the kernel choose) */
  sourceIps: string[];
  /** target addresses replacing the URL's host, round-robin (empty = the URL's host) */
  targetIps: string[];
  /** send the JWT as `?token=` instead of an Authorization header */
  tokenInQuery: boolean;
  /** driver ids are `${prefix}-${index}` */
  prefix: string;
  seed: number;
  /** this process simulates drivers with index % shards === shard */
  shard: number;
  shards: number;
  /** seconds to wait for the last acks after sending stops */
  drainS: number;
  /**
   * simulated seconds per real second of the drivers' movement (see `SimDriverOptions`);
   * in-process only: `runShardedSimulation` does not pass it to its shards
   */
  timeScale: number;
  /** where the drivers drive; in-process only, like `timeScale` */
  area: Area;
}

/** Defaults of {@linkcode SimulationOptions}. */
export const SIMULATION_DEFAULTS: SimulationOptions = Object.freeze({
  drivers: 100,
  intervalMs: 1000,
  durationS: 30,
  rampUpS: 5,
  url: "http://127.0.0.1:8000",
  viewerUrl: "",
  secret: DEV_JWT_SECRET,
  viewers: 0,
  orderShare: 0,
  fleetViewers: 0,
  osmandShare: 0,
  sourceIps: [],
  targetIps: [],
  tokenInQuery: false,
  prefix: `sim-${Date.now().toString(36)}`,
  seed: 1,
  shard: 0,
  shards: 1,
  drainS: 3,
  timeScale: 1,
  area: BENGALURU_AREA,
});

/** The base URLs in a `url` option: one, or several separated by commas; ws:// becomes http://. */
export function serviceUrls(url: string): URL[] {
  const list = url.split(",").map((u) => u.trim()).filter((u) => u !== "");
  if (list.length === 0) throw new RangeError("no service URL");
  return list.map((u) => new URL(u.replace(/^ws/, "http")));
}

/** Drivers with an active order: the viewers' and `orderShare` of all, whichever is more. */
export function activeOrders(
  o: Pick<SimulationOptions, "drivers" | "viewers" | "orderShare">,
): number {
  return Math.min(o.drivers, Math.max(o.viewers, Math.round(o.orderShare * o.drivers)));
}

/**
 * Whether driver `i` is a phone at an OsmAnd `share` (0..1): the phones are spread evenly over the
 * driver numbers (at 0.5 every other one), so over the timing wheel and the shards alike, and
 * there are `floor(drivers * share)` of them.
 */
export function isPhone(i: number, share: number): boolean {
  return Math.floor((i + 1) * share + 1e-9) > Math.floor(i * share + 1e-9);
}
