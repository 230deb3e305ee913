// @ts-types="@types/rbush"
import RBush from "rbush";
import { z } from "zod";

/** What a driver is doing: free, on the way to a pickup, or carrying an order. */
export const DRIVER_STATES = ["idle", "to_pickup", "carrying"] as const;

/** One of {@linkcode DRIVER_STATES}. */
export type DriverState = typeof DRIVER_STATES[number];

/** A driver's newest fix as the fleet map shows it. */
export const fleetDriverSchema = z.object({
  driverId: z.string(),
  lat: z.number(),
  lon: z.number(),
  ts: z.number().int().meta({ description: "Fix time, epoch ms." }),
  speed: z.number().optional(),
  heading: z.number().optional(),
  state: z.enum(DRIVER_STATES).meta({
    description: "idle, to_pickup (an order is assigned) or carrying (picked up).",
  }),
});

/** A driver's newest fix as the fleet map shows it. */
export type FleetDriver = Readonly<z.infer<typeof fleetDriverSchema>>;

/** A fix as the index takes it: a driver's state comes from its orders, not from the fix. */
export type FleetFix = Omit<FleetDriver, "state">;

/** `[west, south, east, north]` in degrees. */
export type FleetBbox = readonly [number, number, number, number];

/**
 * How far, in degrees, a driver's box in the R-tree reaches around the fix it was placed at
 * (about 220 m of latitude): a newer fix inside it changes only the entry, not the tree.
 */
const _SLACK_DEG = 0.002;

/** A driver's place in the R-tree: a box around it, and the entry it stands for. */
interface _Item {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  driver: FleetDriver;
}

/**
 * The newest fix of every driver in the partitions the fleet feed reads. A late record (older fix
 * time than the one held) never replaces a newer one; drivers without a fix for a while expire.
 * The entries are also in an R-tree (`rbush`), each as a box reaching {@linkcode _SLACK_DEG}
 * around a fix: a driver moves in the tree only when a fix leaves its box (most fixes, seconds
 * apart, do not), and a box query ({@linkcode FleetIndex.inBox}, the nearby search) reads the
 * drivers whose boxes meet it, then keeps those whose newest fix is inside.
 */
export class FleetIndex {
  #drivers = new Map<string, _Item>();
  #tree = new RBush<_Item>();
  /** Drivers that are not idle, whether or not they have a fix yet. */
  #states = new Map<string, DriverState>();

  /** Sets what a driver is doing (from its orders); its entry, if any, shows it at once. */
  setState(driverId: string, state: DriverState): void {
    if (state === "idle") this.#states.delete(driverId);
    else this.#states.set(driverId, state);
    const known = this.#drivers.get(driverId);
    if (known && known.driver.state !== state) known.driver = { ...known.driver, state };
  }

  /** Keeps each driver's newest fix; returns how many records were newer than what was held. */
  update(records: readonly FleetFix[]): number {
    let changed = 0;
    for (const r of records) {
      const known = this.#drivers.get(r.driverId);
      if (known && known.driver.ts >= r.ts) continue;
      this.#place(known, _entry(r, this.#states.get(r.driverId) ?? "idle"));
      changed++;
    }
    return changed;
  }

  /** Forgets drivers whose newest fix is older than `now - goneMs`; returns their ids. */
  expire(now: number, goneMs: number): string[] {
    const gone: string[] = [];
    for (const [id, item] of this.#drivers) {
      if (item.driver.ts < now - goneMs) {
        this.#drivers.delete(id);
        this.#tree.remove(item);
        gone.push(id);
      }
    }
    return gone;
  }

  /** Keeps a driver's newest fix; moves its box in the tree only when the fix left it. */
  #place(known: _Item | undefined, driver: FleetDriver): void {
    const { lat, lon } = driver;
    if (known && lon >= known.minX && lon <= known.maxX && lat >= known.minY && lat <= known.maxY) {
      known.driver = driver;
      return;
    }
    if (known) this.#tree.remove(known); // before its box changes: the tree finds it by its box
    const item = known ?? { minX: 0, minY: 0, maxX: 0, maxY: 0, driver };
    item.minX = lon - _SLACK_DEG;
    item.maxX = lon + _SLACK_DEG;
    item.minY = lat - _SLACK_DEG;
    item.maxY = lat + _SLACK_DEG;
    item.driver = driver;
    this.#tree.insert(item);
    if (!known) this.#drivers.set(driver.driverId, item);
  }

  /** Drivers known (online). */
  get size(): number {
    return this.#drivers.size;
  }

  /** A driver's newest fix. */
  get(driverId: string): FleetDriver | undefined {
    return this.#drivers.get(driverId)?.driver;
  }

  /** Drivers inside the box (edges included). */
  inBox(box: FleetBbox): FleetDriver[] {
    const [minX, minY, maxX, maxY] = box;
    const out: FleetDriver[] = [];
    for (const { driver: d } of this.#tree.search({ minX, minY, maxX, maxY })) {
      if (d.lon >= minX && d.lon <= maxX && d.lat >= minY && d.lat <= maxY) out.push(d);
    }
    return out;
  }

  /** Every driver. */
  *all(): IterableIterator<FleetDriver> {
    for (const item of this.#drivers.values()) yield item.driver;
  }
}

/**
 * A fix's entry, made in one literal: adding the optional fields afterwards (`Object.assign`)
 * allocated a temporary object per field and a property store for the entry, which lived as long
 * as the entry (a second) and so was promoted.
 */
function _entry(r: FleetFix, state: DriverState): FleetDriver {
  const { driverId, lat, lon, ts, speed, heading } = r;
  if (speed === undefined) {
    return heading === undefined
      ? { driverId, lat, lon, ts, state }
      : { driverId, lat, lon, ts, state, heading };
  }
  return heading === undefined
    ? { driverId, lat, lon, ts, state, speed }
    : { driverId, lat, lon, ts, state, speed, heading };
}
