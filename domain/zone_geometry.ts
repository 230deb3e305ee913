import { haversineMeters } from "./geo.ts";
import type { ZoneShape } from "./zone.ts";

/** Metres per degree of latitude (and of longitude at the equator), on the mean Earth radius. */
export const METERS_PER_DEGREE = 6_371_008.8 * Math.PI / 180;

/** `[west, south, east, north]`, degrees. */
export type Bbox = readonly [number, number, number, number];

/** A zone's shape made ready for many point tests. */
export interface PreparedShape {
  /** The shape's bounding box. */
  readonly bbox: Bbox;
  /** Distance from the edge, metres: negative inside, positive outside. */
  signedDistance(lat: number, lon: number): number;
}

/**
 * Prepares a shape for {@linkcode PreparedShape.signedDistance}: a circle by the great-circle
 * distance to its centre; a polygon (holes too, even-odd) in a local flat projection around the
 * point, exact enough for zones of a few kilometres (the REST route caps them at 50 km).
 */
export function prepareShape(shape: ZoneShape): PreparedShape {
  if (shape.type === "Circle") {
    const { lat, lon, radiusMeters } = shape;
    return {
      bbox: expandBbox([lon, lat, lon, lat], radiusMeters),
      signedDistance: (pLat, pLon) => haversineMeters(lat, lon, pLat, pLon) - radiusMeters,
    };
  }
  const rings = shape.coordinates.map((ring) =>
    Float64Array.from(ring.flatMap((p) => [p[0]!, p[1]!]))
  );
  return {
    bbox: _ringsBbox(rings),
    signedDistance: (lat, lon) => _polygonDistance(rings, lat, lon),
  };
}

/** `bbox` grown by `meters` on every side (longitude scaled at the box's widest latitude). */
export function expandBbox(bbox: Bbox, meters: number): Bbox {
  const dLat = meters / METERS_PER_DEGREE;
  const widest = Math.max(Math.abs(bbox[1]), Math.abs(bbox[3])) + dLat;
  const dLon = meters / (METERS_PER_DEGREE * Math.max(0.01, Math.cos(widest * Math.PI / 180)));
  return [bbox[0] - dLon, bbox[1] - dLat, bbox[2] + dLon, bbox[3] + dLat];
}

function _ringsBbox(rings: readonly Float64Array[]): Bbox {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i += 2) {
      w = Math.min(w, ring[i]!);
      e = Math.max(e, ring[i]!);
      s = Math.min(s, ring[i + 1]!);
      n = Math.max(n, ring[i + 1]!);
    }
  }
  return [w, s, e, n];
}

/** Even-odd point-in-polygon and the nearest edge, with the point at the origin, in metres. */
function _polygonDistance(rings: readonly Float64Array[], lat: number, lon: number): number {
  const ky = METERS_PER_DEGREE;
  const kx = METERS_PER_DEGREE * Math.cos(lat * Math.PI / 180);
  let inside = false;
  let nearest = Infinity;
  for (const ring of rings) {
    for (let i = 2; i < ring.length; i += 2) {
      const ax = (ring[i - 2]! - lon) * kx, ay = (ring[i - 1]! - lat) * ky;
      const bx = (ring[i]! - lon) * kx, by = (ring[i + 1]! - lat) * ky;
      if ((ay > 0) !== (by > 0) && ax + (0 - ay) * (bx - ax) / (by - ay) > 0) inside = !inside;
      nearest = Math.min(nearest, _originToSegment(ax, ay, bx, by));
    }
  }
  return inside ? -nearest : nearest;
}

/** Distance from (0, 0) to the segment a–b. */
function _originToSegment(ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / length2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}
