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

/** `[west, south, east, north]` in degrees. */
export type FleetBbox = readonly [number, number, number, number];

/**
 * The newest fix of every driver in the partitions the fleet feed reads. A late record (older fix
 * time than the one held) never replaces a newer one; drivers without a fix for a while expire.
 */
export class FleetIndex {
  #drivers = new Map<string, FleetDriver>();
  /** Drivers that are not idle, whether or not they have a fix yet. */
  #states = new Map<string, DriverState>();

  /** Sets what a driver is doing (from its orders); its entry, if any, shows it at once. */
  setState(driverId: string, state: DriverState): void {
    if (state === "idle") this.#states.delete(driverId);
    else this.#states.set(driverId, state);
    const known = this.#drivers.get(driverId);
    if (known && known.state !== state) this.#drivers.set(driverId, { ...known, state });
  }

  /** Keeps each driver's newest fix; returns how many records were newer than what was held. */
  update(records: readonly Omit<FleetDriver, "state">[]): number {
    let changed = 0;
    for (const r of records) {
      const known = this.#drivers.get(r.driverId);
      if (known && known.ts >= r.ts) continue;
      const state = this.#states.get(r.driverId) ?? "idle";
      const entry: FleetDriver = { driverId: r.driverId, lat: r.lat, lon: r.lon, ts: r.ts, state };
      if (r.speed !== undefined) Object.assign(entry, { speed: r.speed });
      if (r.heading !== undefined) Object.assign(entry, { heading: r.heading });
      this.#drivers.set(r.driverId, entry);
      changed++;
    }
    return changed;
  }

  /** Forgets drivers whose newest fix is older than `now - goneMs`; returns their ids. */
  expire(now: number, goneMs: number): string[] {
    const gone: string[] = [];
    for (const [id, d] of this.#drivers) {
      if (d.ts < now - goneMs) {
        this.#drivers.delete(id);
        gone.push(id);
      }
    }
    return gone;
  }

  /** Drivers known (online). */
  get size(): number {
    return this.#drivers.size;
  }

  /** A driver's newest fix. */
  get(driverId: string): FleetDriver | undefined {
    return this.#drivers.get(driverId);
  }

  /** Drivers inside the box (edges included). */
  inBox(box: FleetBbox): FleetDriver[] {
    const [west, south, east, north] = box;
    const out: FleetDriver[] = [];
    for (const d of this.#drivers.values()) {
      if (d.lon >= west && d.lon <= east && d.lat >= south && d.lat <= north) out.push(d);
    }
    return out;
  }

  /** Every driver. */
  all(): IterableIterator<FleetDriver> {
    return this.#drivers.values();
  }
}
