import { haversineMeters } from "../domain/geo.ts";
import type { GeoPoint } from "../domain/order.ts";
import type { Eta } from "./order_protocol.ts";

/** Time and distance from one point to another. */
export interface EtaEstimate {
  /** Whole seconds until arrival, rounded up. */
  readonly seconds: number;
  /** Distance left, whole metres. */
  readonly distanceMeters: number;
}

/** Estimates travel time; a road-routing engine can replace {@linkcode StraightLineEta}. */
export interface EtaEstimator {
  /** Time and distance from `from` to `to` at `speedMps` (`undefined` or NaN: not known). */
  estimate(from: GeoPoint, to: GeoPoint, speedMps: number | undefined): EtaEstimate;
}

/** Settings of {@linkcode StraightLineEta}. */
export interface StraightLineEtaOptions {
  /** Below this speed, m/s, the driver counts as standing still and `defaultSpeedMps` is used. */
  readonly standingStillMps: number;
  /** Speed assumed when the driver stands still or the speed is unknown, m/s. */
  readonly defaultSpeedMps: number;
}

/** When a new ETA is worth sending: it moved by at least max(minSeconds, share × previous). */
export interface EtaChangeRules {
  /** Smallest change, seconds, that counts. */
  readonly minSeconds: number;
  /** Smallest change as a share of the previous ETA (0.1 = 10 %). */
  readonly minShare: number;
}

/** The defaults: standing still below 1 m/s, 6 m/s city speed, a change of 15 s or 10 %. */
export const ETA_DEFAULTS: StraightLineEtaOptions & EtaChangeRules = {
  standingStillMps: 1,
  defaultSpeedMps: 6,
  minSeconds: 15,
  minShare: 0.1,
};

/** Great-circle distance over the current speed; knows nothing of roads. */
export class StraightLineEta implements EtaEstimator {
  #options: StraightLineEtaOptions;

  /** Creates an estimator; throws `RangeError` for a negative or non-finite setting. */
  constructor(options: Partial<StraightLineEtaOptions> = {}) {
    const merged = { ...ETA_DEFAULTS, ...options };
    if (!(merged.standingStillMps >= 0 && Number.isFinite(merged.standingStillMps))) {
      throw new RangeError(`standingStillMps must be >= 0, got ${merged.standingStillMps}`);
    }
    if (!(merged.defaultSpeedMps > 0 && Number.isFinite(merged.defaultSpeedMps))) {
      throw new RangeError(`defaultSpeedMps must be > 0, got ${merged.defaultSpeedMps}`);
    }
    this.#options = merged;
  }

  /** Haversine distance over the speed, or over the default speed when standing still or unknown. */
  estimate(from: GeoPoint, to: GeoPoint, speedMps: number | undefined): EtaEstimate {
    const { standingStillMps, defaultSpeedMps } = this.#options;
    const meters = haversineMeters(from.lat, from.lon, to.lat, to.lon);
    const speed = speedMps !== undefined && Number.isFinite(speedMps) &&
        speedMps >= standingStillMps && speedMps > 0
      ? speedMps
      : defaultSpeedMps;
    return { seconds: Math.ceil(meters / speed), distanceMeters: Math.round(meters) };
  }
}

/**
 * Whether `next` is worth sending after `previous`: there was none, the target changed, or
 * the seconds moved by at least max(`minSeconds`, `minShare` × previous seconds).
 */
export function etaChanged(
  previous: Eta | null,
  next: Eta,
  rules: Partial<EtaChangeRules> = {},
): boolean {
  if (previous === null || previous.target !== next.target) return true;
  const minSeconds = rules.minSeconds ?? ETA_DEFAULTS.minSeconds;
  const minShare = rules.minShare ?? ETA_DEFAULTS.minShare;
  const delta = Math.abs(next.seconds - previous.seconds);
  return delta >= Math.max(minSeconds, minShare * previous.seconds);
}
