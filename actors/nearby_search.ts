import { z } from "zod";
import {
  type DriverState,
  type FleetDriver,
  fleetDriverSchema,
  type FleetIndex,
} from "./fleet_index.ts";
import { haversineMeters } from "../domain/geo.ts";
import type { FleetBbox } from "./fleet_index.ts";

/** Metres per degree of latitude (mean Earth radius, as `haversineMeters`). */
const _M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

/** What `GET /drivers/nearby` asks, validated. */
export interface NearbyQuery {
  readonly lat: number;
  readonly lon: number;
  /** Metres from the point. */
  readonly radiusM: number;
  /** At most this many drivers, nearest first. */
  readonly limit: number;
  /** Only drivers in this state, or all. */
  readonly state: DriverState | "any";
}

/** One driver near the point: its newest fix and state, how far, and how old the fix is. */
export const nearbyDriverSchema = fleetDriverSchema.extend({
  distanceM: z.number().meta({ description: "Great-circle distance from the point, metres." }),
  ageMs: z.number().int().meta({ description: "Age of the fix when answered, ms." }),
});

/** One driver near the point. */
export type NearbyDriver = Readonly<z.infer<typeof nearbyDriverSchema>>;

/** Options of {@linkcode nearbyDrivers}. */
export interface NearbyOptions {
  /** The clock, epoch ms. */
  readonly now: number;
  /** Fixes older than this (`NEARBY_MAX_AGE_MS`) are left out. */
  readonly maxAgeMs: number;
}

/**
 * The drivers of `index` within `query.radiusM` of the point, nearest first, at most
 * `query.limit`, in `query.state`, with a fix no older than `maxAgeMs`. The R-tree gives the
 * drivers in the enclosing box (two boxes across the antimeridian); each is then measured on the
 * great circle.
 */
export function nearbyDrivers(
  index: FleetIndex,
  query: NearbyQuery,
  options: NearbyOptions,
): NearbyDriver[] {
  const { now, maxAgeMs } = options;
  const found: { d: FleetDriver; m: number }[] = [];
  for (const box of searchBoxes(query.lat, query.lon, query.radiusM)) {
    for (const d of index.inBox(box)) {
      if (query.state !== "any" && d.state !== query.state) continue;
      if (now - d.ts > maxAgeMs) continue;
      const m = haversineMeters(query.lat, query.lon, d.lat, d.lon);
      if (m <= query.radiusM) found.push({ d, m });
    }
  }
  found.sort((a, b) => a.m - b.m || a.d.driverId.localeCompare(b.d.driverId));
  return found.slice(0, query.limit).map(({ d, m }) => ({
    ...d,
    distanceM: Math.round(m * 10) / 10,
    ageMs: Math.max(0, now - d.ts),
  }));
}

/**
 * Boxes `[west, south, east, north]` that hold every point within `radiusM` of (`lat`, `lon`):
 * one, or two when the circle crosses the antimeridian; all longitudes near a pole.
 */
export function searchBoxes(lat: number, lon: number, radiusM: number): FleetBbox[] {
  const dLat = radiusM / _M_PER_DEG;
  const south = Math.max(-90, lat - dLat);
  const north = Math.min(90, lat + dLat);
  const widest = Math.cos((Math.max(Math.abs(south), Math.abs(north)) * Math.PI) / 180);
  const dLon = widest > 1e-9 ? dLat / widest : 360;
  if (dLon >= 180) return [[-180, south, 180, north]];
  const west = lon - dLon;
  const east = lon + dLon;
  if (west < -180) return [[west + 360, south, 180, north], [-180, south, east, north]];
  if (east > 180) return [[west, south, 180, north], [-180, south, east - 360, north]];
  return [[west, south, east, north]];
}
