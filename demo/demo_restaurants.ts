import type { Area } from "../sim/area.ts";
import { offsetMeters } from "../sim/_geo.ts";
import type { Rng } from "../sim/rng.ts";

/** A restaurant of the simulated city. */
export interface DemoRestaurant {
  readonly id: string;
  readonly lat: number;
  readonly lon: number;
}

/** A driver as the opening needs it: where it starts, how fast it drives. */
export interface OpeningDriver {
  readonly walker: { readonly position: { lat: number; lon: number }; readonly cruise: number };
}

/** One of the city's first orders: a driver waiting at a restaurant, a drop-off a short hop away. */
export interface Opening<D extends OpeningDriver> {
  readonly restaurant: DemoRestaurant;
  /** The driver waiting there. */
  readonly driver: D;
  /** Simulated seconds of driving from the restaurant to the drop-off, at the driver's cruise. */
  readonly driveS: number;
}

/** `n` restaurants at random in the area, 0.005° (about 550 m) from its edges. */
export function placeRestaurants(n: number, o: { area: Area; rng: Rng; prefix: string }) {
  const { area, rng, prefix } = o;
  const m = 0.005;
  return Array.from({ length: n }, (_, i): DemoRestaurant => ({
    id: `${prefix}-restaurant-${i}`,
    lat: _round(area.minLat + m + rng() * (area.maxLat - area.minLat - 2 * m)),
    lon: _round(area.minLon + m + rng() * (area.maxLon - area.minLon - 2 * m)),
  }));
}

/**
 * The city's opening: the fastest drivers, one per restaurant from the first, are waiting outside
 * it (the restaurant moves to within 10 m of where the driver starts), and their first orders go
 * to customers `driveS[i]` seconds of driving away, so statuses change in the first seconds. The
 * rest of the city (the other restaurants, drivers and orders) is untouched.
 */
export function planOpening<D extends OpeningDriver>(
  drivers: readonly D[],
  restaurants: DemoRestaurant[],
  o: { driveS: readonly number[]; rng: Rng },
): Opening<D>[] {
  const k = Math.min(o.driveS.length, drivers.length, restaurants.length);
  const fastest = [...drivers].sort((a, b) => b.walker.cruise - a.walker.cruise).slice(0, k);
  return fastest.map((driver, i) => {
    const at = driver.walker.position;
    const angle = o.rng() * 2 * Math.PI;
    const p = offsetMeters(at.lat, at.lon, 10 * Math.cos(angle), 10 * Math.sin(angle));
    const restaurant = { id: restaurants[i]!.id, lat: _round(p.lat), lon: _round(p.lon) };
    restaurants[i] = restaurant;
    return { restaurant, driver, driveS: o.driveS[i]! };
  });
}

/** A drop-off `distM` metres from `from` in a random direction, 0.003° inside the area. */
export function dropoffFrom(
  from: { lat: number; lon: number },
  distM: number,
  o: { area: Area; rng: Rng },
): { lat: number; lon: number } {
  const angle = o.rng() * 2 * Math.PI;
  const d = offsetMeters(from.lat, from.lon, distM * Math.cos(angle), distM * Math.sin(angle));
  const a = o.area;
  return {
    lat: _round(_clamp(d.lat, a.minLat + 0.003, a.maxLat - 0.003)),
    lon: _round(_clamp(d.lon, a.minLon + 0.003, a.maxLon - 0.003)),
  };
}

function _clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function _round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
