import { haversineMeters } from "../domain/geo.ts";

/** A position as the smoother reads it; `speed` is the device's own reading, m/s. */
export interface SpeedFix {
  readonly lat: number;
  readonly lon: number;
  /** Fix time, epoch ms. */
  readonly ts: number;
  readonly speed?: number | undefined;
}

/** Settings of {@linkcode SpeedSmoother}. */
export interface SpeedSmootherOptions {
  /** Weight of the newest sample, in (0, 1]: 1 keeps only the newest, small values smooth more. */
  readonly alpha: number;
}

/** The defaults: the newest sample weighs 0.3. */
export const SPEED_SMOOTHER_DEFAULTS: SpeedSmootherOptions = { alpha: 0.3 };

/**
 * An exponentially smoothed speed, m/s, from a driver's fixes fed in order. A fix's sample is
 * the device's speed when it reports a valid one, else distance over time since the previous
 * fix. A fix not newer than the previous one (dt <= 0) is ignored entirely.
 */
export class SpeedSmoother {
  #alpha: number;
  #previous: SpeedFix | undefined;
  #current: number | undefined;

  /** Creates a smoother with no speed yet; throws `RangeError` for alpha outside (0, 1]. */
  constructor(options: Partial<SpeedSmootherOptions> = {}) {
    const alpha = options.alpha ?? SPEED_SMOOTHER_DEFAULTS.alpha;
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${alpha}`);
    this.#alpha = alpha;
  }

  /** The smoothed speed, m/s; `undefined` until a speed is known. */
  get current(): number | undefined {
    return this.#current;
  }

  /** Takes the next fix and returns the smoothed speed. */
  update(fix: SpeedFix): number | undefined {
    const previous = this.#previous;
    if (previous !== undefined && fix.ts <= previous.ts) return this.#current;
    this.#previous = fix;
    const sample = _validSpeed(fix.speed) ?? (previous && _measured(previous, fix));
    if (sample === undefined) return this.#current;
    this.#current = this.#current === undefined
      ? sample
      : this.#alpha * sample + (1 - this.#alpha) * this.#current;
    return this.#current;
  }
}

function _validSpeed(speed: number | undefined): number | undefined {
  return speed !== undefined && Number.isFinite(speed) && speed >= 0 ? speed : undefined;
}

function _measured(previous: SpeedFix, fix: SpeedFix): number {
  const meters = haversineMeters(previous.lat, previous.lon, fix.lat, fix.lon);
  return meters / ((fix.ts - previous.ts) / 1000);
}
