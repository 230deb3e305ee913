import { type Area, BENGALURU_AREA } from "./area.ts";
import { bearingDegrees, distanceMeters, offsetMeters } from "./_geo.ts";
import type { Rng } from "./rng.ts";

/** A fix as the driver app sends it (the `location` frame of the wire contract, minus `type`). */
export interface Fix {
  lat: number;
  lon: number;
  /** Fix time, epoch ms. */
  ts: number;
  /** m/s */
  speed: number;
  /** degrees clockwise from north */
  heading: number;
  /** metres */
  accuracy: number;
}

/** Options of {@linkcode RouteWalker}; defaults in {@linkcode ROUTE_WALKER_DEFAULTS}. */
export interface RouteWalkerOptions {
  area?: Area;
  /** Share of trips whose destination is across the north/south border. */
  crossBorderShare?: number;
  /** Cruise speed range, m/s (two-wheelers and cars in city traffic). */
  minCruise?: number;
  maxCruise?: number;
  /** Distance kept from the area's edge, degrees (far more than the GPS noise). */
  marginDeg?: number;
}

/** Defaults of {@linkcode RouteWalkerOptions}. */
export const ROUTE_WALKER_DEFAULTS: Required<RouteWalkerOptions> = Object.freeze({
  area: BENGALURU_AREA,
  crossBorderShare: 0.3,
  minCruise: 4,
  maxCruise: 11,
  marginDeg: 0.003,
});

/**
 * One simulated driver moving along road-like (grid, slightly skewed) routes between
 * delivery stops inside an area, at city speeds, pausing at junctions and stops. Every
 * waypoint lies inside the area less a margin and the area is a box, so the path never
 * leaves it; reported fixes add a few metres of GPS noise.
 */
export class RouteWalker {
  #rng: Rng;
  #o: Required<RouteWalkerOptions>;
  #lat: number;
  #lon: number;
  #route: { lat: number; lon: number }[] = [];
  #speed = 0;
  #cruise: number;
  #pause = 0;
  #heading = 0;
  #trips = 0;
  /** Where {@linkcode RouteWalker.goTo} sent the driver, until {@linkcode RouteWalker.roam}. */
  #errand: { lat: number; lon: number } | undefined;
  #arrived = false;

  constructor(rng: Rng, options: RouteWalkerOptions = {}) {
    this.#rng = rng;
    this.#o = { ...ROUTE_WALKER_DEFAULTS, ...options };
    const a = this.#o.area;
    const m = this.#o.marginDeg;
    this.#lat = a.minLat + m + rng() * (a.maxLat - a.minLat - 2 * m);
    this.#lon = a.minLon + m + rng() * (a.maxLon - a.minLon - 2 * m);
    this.#cruise = this.#o.minCruise + rng() * (this.#o.maxCruise - this.#o.minCruise);
    this.#pause = rng() * 20;
  }

  /** True position (no noise). */
  get position(): { lat: number; lon: number } {
    return { lat: this.#lat, lon: this.#lon };
  }

  /** Current speed over ground, m/s. */
  get speed(): number {
    return this.#speed;
  }

  /** The driver's cruise speed, m/s (traffic makes it 50–110 % of this). */
  get cruise(): number {
    return this.#cruise;
  }

  /** Number of trips started so far. */
  get trips(): number {
    return this.#trips;
  }

  /**
   * Sends the driver to `dest` (clamped into the area) on a road-like route, at once (a stop in
   * progress ends). There it stands still, {@linkcode RouteWalker.arrived} true, until the next
   * `goTo` or {@linkcode RouteWalker.roam}: no trip of its own is planned meanwhile. `direct`:
   * one straight leg without junction stops (a hop down the street), instead of two to four.
   */
  goTo(dest: { lat: number; lon: number }, options: { direct?: boolean } = {}): void {
    const a = this.#o.area;
    const m = this.#o.marginDeg;
    const d = {
      lat: _clamp(dest.lat, a.minLat + m, a.maxLat - m),
      lon: _clamp(dest.lon, a.minLon + m, a.maxLon - m),
    };
    this.#errand = d;
    this.#arrived = false;
    this.#pause = 0;
    this.#route = [];
    if (options.direct) {
      this.#route.push(d);
      this.#trips++;
    } else this.#routeTo(d);
  }

  /** Ends an errand: the driver plans its own trips again, after a short stop. */
  roam(): void {
    if (this.#errand === undefined) return;
    this.#errand = undefined;
    this.#arrived = false;
    this.#route = [];
    this.#pause = this.#rng() * 10;
  }

  /** True when the destination of the last {@linkcode RouteWalker.goTo} has been reached. */
  get arrived(): boolean {
    return this.#arrived;
  }

  /** Moves the driver forward by `dtSeconds` of simulated time. */
  advance(dtSeconds: number): void {
    let t = dtSeconds;
    while (t > 0) {
      if (this.#arrived) {
        this.#speed = 0;
        return;
      }
      if (this.#pause > 0) {
        const p = Math.min(this.#pause, t);
        this.#pause -= p;
        t -= p;
        this.#speed = 0;
        continue;
      }
      const next = this.#route[0];
      if (!next) {
        this.#planTrip();
        continue;
      }
      // Traffic: speed wanders between 50% and 110% of the driver's cruise speed.
      const target = this.#cruise * (0.5 + 0.6 * this.#rng());
      this.#speed = Math.min(this.#o.maxCruise, 0.6 * this.#speed + 0.4 * target);
      const left = distanceMeters(this.#lat, this.#lon, next.lat, next.lon);
      const step = this.#speed * t;
      this.#heading = bearingDegrees(this.#lat, this.#lon, next.lat, next.lon);
      if (step < left) {
        const f = step / left;
        this.#lat += (next.lat - this.#lat) * f;
        this.#lon += (next.lon - this.#lon) * f;
        return;
      }
      t -= left / this.#speed;
      this.#lat = next.lat;
      this.#lon = next.lon;
      this.#route.shift();
      if (this.#route.length === 0 && this.#errand) {
        this.#arrived = true;
        continue;
      }
      // Junction (signal, turn) or, at the end of the route, a pickup/drop-off stop.
      this.#pause = this.#route.length === 0 ? 10 + this.#rng() * 50 : this.#rng() * 20;
    }
  }

  /** A fix at time `ts` (epoch ms) with GPS noise of about `accuracy` metres. */
  fix(ts: number): Fix {
    const r = this.#rng;
    const accuracy = Math.round(3 + r() * 9);
    const noise = () => Math.max(-2, Math.min(2, _gauss(r))) * accuracy / 2;
    const p = offsetMeters(this.#lat, this.#lon, noise(), noise());
    return {
      lat: Math.round(p.lat * 1e6) / 1e6,
      lon: Math.round(p.lon * 1e6) / 1e6,
      ts,
      speed: Math.round(Math.max(0, this.#speed + (r() - 0.5) * 0.6) * 10) / 10,
      heading: Math.round(this.#heading),
      accuracy,
    };
  }

  #planTrip(): void {
    const r = this.#rng;
    const a = this.#o.area;
    const m = this.#o.marginDeg;
    const north = this.#lat >= a.splitLat;
    const cross = r() < this.#o.crossBorderShare;
    // Delivery trips of roughly 1-7 km (0.01-0.06 degrees) from here.
    let dLat = (0.01 + r() * 0.05) * (r() < 0.5 ? -1 : 1);
    if (cross) dLat = (north ? -1 : 1) * (Math.abs(this.#lat - a.splitLat) + 0.005 + r() * 0.03);
    else if ((this.#lat + dLat >= a.splitLat) !== north) dLat = -dLat;
    const dLon = (r() - 0.5) * 0.08;
    const dest = {
      lat: _clamp(this.#lat + dLat, a.minLat + m, a.maxLat - m),
      lon: _clamp(this.#lon + dLon, a.minLon + m, a.maxLon - m),
    };
    this.#routeTo(dest);
  }

  #routeTo(dest: { lat: number; lon: number }): void {
    const r = this.#rng;
    const a = this.#o.area;
    const m = this.#o.marginDeg;
    // Two to four legs alternating between north-south and east-west streets, slightly skewed.
    const legs = 2 + Math.floor(r() * 3);
    let { lat, lon } = this.position;
    for (let i = 1; i <= legs; i++) {
      const f = i / legs;
      const skew = (r() - 0.5) * 0.002;
      if (i % 2 === 1) lat = this.#lat + (dest.lat - this.#lat) * f;
      else lon = this.#lon + (dest.lon - this.#lon) * f;
      const wp = i === legs ? dest : {
        lat: _clamp(lat + skew, a.minLat + m, a.maxLat - m),
        lon: _clamp(lon - skew, a.minLon + m, a.maxLon - m),
      };
      this.#route.push(wp);
    }
    this.#trips++;
  }
}

function _clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function _gauss(r: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
