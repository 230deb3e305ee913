import { METERS_PER_DEGREE } from "./zone_geometry.ts";
import type { ZoneShape } from "./zone.ts";

/** Bounds of a zone's shape. */
export const ZONE_SHAPE_LIMITS = {
  /** Smallest and largest circle radius, metres. */
  minRadiusM: 20,
  maxRadiusM: 50_000,
  /** Widest and tallest polygon, metres. */
  maxExtentM: 50_000,
  /** Most rings (the outer one and its holes) and positions in all. */
  maxRings: 20,
  maxPositions: 2_000,
} as const;

/** What is wrong with a shape: the path of the field at fault (below the shape), and a predicate saying why. */
export interface ShapeProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const L = ZONE_SHAPE_LIMITS;

/**
 * Checks a zone's shape: a circle's centre in range and radius within bounds; a polygon's rings
 * closed, of at least 4 positions, `[lon, lat]` in range, not crossing themselves, the outer ring
 * with an area, the whole at most `maxExtentM` across. Returns the first problem, or undefined.
 */
export function shapeProblem(shape: ZoneShape): ShapeProblem | undefined {
  if (shape.type === "Circle") {
    if (!(Math.abs(shape.lat) <= 90)) return { path: ["lat"], message: "must be in -90..90" };
    if (!(Math.abs(shape.lon) <= 180)) return { path: ["lon"], message: "must be in -180..180" };
    if (!(shape.radiusMeters >= L.minRadiusM && shape.radiusMeters <= L.maxRadiusM)) {
      const message = `must be in ${L.minRadiusM}..${L.maxRadiusM} m`;
      return { path: ["radiusMeters"], message };
    }
    return undefined;
  }
  const rings = shape.coordinates;
  if (rings.length === 0 || rings.length > L.maxRings) {
    const message = `must have 1 to ${L.maxRings} rings (the outer one, then holes)`;
    return { path: ["coordinates"], message };
  }
  if (rings.reduce((n, r) => n + r.length, 0) > L.maxPositions) {
    return {
      path: ["coordinates"],
      message: `must have at most ${L.maxPositions} positions in all`,
    };
  }
  for (const [i, ring] of rings.entries()) {
    const problem = _ringProblem(ring);
    if (problem) return { path: ["coordinates", i, ...problem.path], message: problem.message };
  }
  return _extentProblem(rings[0]!);
}

function _ringProblem(ring: readonly (readonly number[])[]): ShapeProblem | undefined {
  if (ring.length < 4) {
    return { path: [], message: "must have at least 4 positions, the last equal to the first" };
  }
  for (const [i, p] of ring.entries()) {
    if (p.length < 2 || p.length > 3) {
      return { path: [i], message: "must be [lon, lat] (GeoJSON order)" };
    }
    if (!(Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90)) {
      return { path: [i], message: "must be [lon, lat] with lon in -180..180 and lat in -90..90" };
    }
  }
  const first = ring[0]!, last = ring.at(-1)!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return { path: [ring.length - 1], message: "must equal the first position (a ring is closed)" };
  }
  if (Math.abs(_area(ring)) < 1) return { path: [], message: "must enclose an area" };
  const crossing = _selfCrossing(ring);
  if (crossing !== undefined) {
    return { path: [crossing], message: "makes the ring cross itself" };
  }
  return undefined;
}

function _extentProblem(outer: readonly (readonly number[])[]): ShapeProblem | undefined {
  const lats = outer.map((p) => p[1]!), lons = outer.map((p) => p[0]!);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const tall = (Math.max(...lats) - Math.min(...lats)) * METERS_PER_DEGREE;
  const wide = (Math.max(...lons) - Math.min(...lons)) * METERS_PER_DEGREE *
    Math.cos(midLat * Math.PI / 180);
  if (tall <= L.maxExtentM && wide <= L.maxExtentM) return undefined;
  return { path: ["coordinates", 0], message: `must be at most ${L.maxExtentM} m across` };
}

/** Shoelace area in square metres, in a flat projection at the first position. */
function _area(ring: readonly (readonly number[])[]): number {
  const [x, y] = _projector(ring[0]!);
  let sum = 0;
  for (let i = 1; i < ring.length; i++) {
    sum += x(ring[i - 1]!) * y(ring[i]!) - x(ring[i]!) * y(ring[i - 1]!);
  }
  return sum / 2;
}

/** The index of the first segment's end that crosses an earlier, non-adjacent segment. */
function _selfCrossing(ring: readonly (readonly number[])[]): number | undefined {
  const [x, y] = _projector(ring[0]!);
  const pts = ring.map((p) => [x(p), y(p)] as const);
  const n = pts.length - 1; // segments i: pts[i] -> pts[i + 1]
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the closing segment touches the first
      if (_cross(pts[i]!, pts[i + 1]!, pts[j]!, pts[j + 1]!)) return j + 1;
    }
  }
  return undefined;
}

type _P = readonly [number, number];

function _cross(a: _P, b: _P, c: _P, d: _P): boolean {
  const side = (p: _P, q: _P, r: _P) =>
    Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return side(a, b, c) !== side(a, b, d) && side(c, d, a) !== side(c, d, b);
}

function _projector(origin: readonly number[]) {
  const kx = METERS_PER_DEGREE * Math.cos(origin[1]! * Math.PI / 180);
  return [
    (p: readonly number[]) => (p[0]! - origin[0]!) * kx,
    (p: readonly number[]) => (p[1]! - origin[1]!) * METERS_PER_DEGREE,
  ] as const;
}
