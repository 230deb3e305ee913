import type { NewApiZone } from "./ops_client.ts";

/** The REST calls {@linkcode DemoZones} makes (as ops): an `OpsClient`. */
export interface ZoneOps {
  createZone(zone: NewApiZone): Promise<string>;
  deleteZone(id: string, signal?: AbortSignal): Promise<void>;
}

/** Options of {@linkcode DemoZones}. */
export interface DemoZonesOptions {
  /** Radius of a restaurant's circle, metres (at least 20: docs/zones.md). */
  radiusM: number;
  /** `dwellSeconds` of each zone: a driver this long inside makes `driver_at_restaurant`. */
  dwellSeconds: number;
  /** Told about a failed REST call. */
  onError?: (error: unknown) => void;
}

/**
 * A zone around each restaurant of the demo city (`POST /zones`, a circle with the restaurant's
 * id), made when the restaurant's first order exists (the service knows restaurants by their
 * orders, docs/zones.md); the fleet map then shows the drivers' enter / exit / dwell events, and
 * a driver waiting at the restaurant gives its order `driver_at_restaurant`. A failed creation is
 * tried again with the restaurant's next order. {@linkcode DemoZones.deleteAll} removes them when
 * the demo stops, so the next run's map does not show this run's circles.
 */
export class DemoZones {
  #ops: ZoneOps;
  #o: DemoZonesOptions;
  /** Restaurant id to its zone id, or to the creation under way. */
  #zones = new Map<string, string | Promise<void>>();

  constructor(ops: ZoneOps, options: DemoZonesOptions) {
    this.#ops = ops;
    this.#o = options;
  }

  /** Zones made so far. */
  get count(): number {
    return [...this.#zones.values()].filter((z) => typeof z === "string").length;
  }

  /** Makes the restaurant's zone unless it has one (or one is being made). */
  ensure(restaurant: { id: string; lat: number; lon: number }): Promise<void> {
    const known = this.#zones.get(restaurant.id);
    if (typeof known === "string") return Promise.resolve();
    if (known) return known;
    const making = this.#ops.createZone({
      name: `${restaurant.id} pickup`,
      restaurantId: restaurant.id,
      dwellSeconds: this.#o.dwellSeconds,
      circle: { lat: restaurant.lat, lon: restaurant.lon, radiusMeters: this.#o.radiusM },
    }).then(
      (id) => void this.#zones.set(restaurant.id, id),
      (error) => {
        this.#zones.delete(restaurant.id);
        this.#o.onError?.(error);
      },
    );
    this.#zones.set(restaurant.id, making);
    return making;
  }

  /** Waits for creations under way, then deletes every zone made; resolves with how many. */
  async deleteAll(timeoutMs = 5000): Promise<number> {
    await Promise.allSettled([...this.#zones.values()]);
    const ids = [...this.#zones.values()].filter((z): z is string => typeof z === "string");
    const signal = AbortSignal.timeout(timeoutMs);
    const done = await Promise.allSettled(ids.map((id) => this.#ops.deleteZone(id, signal)));
    this.#zones.clear();
    return done.filter((d) => d.status === "fulfilled").length;
  }
}
