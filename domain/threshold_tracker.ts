/** What crossing the boundary did, if anything. */
export type ThresholdCrossing = "entered" | "left";

/** The defaults: leaving needs 30 m beyond the threshold. */
export const THRESHOLD_DEFAULTS = { hysteresisMeters: 30 } as const;

/**
 * Tracks whether a distance is inside a threshold, with hysteresis so GPS jitter around the
 * boundary does not flap: "entered" when it comes to <= threshold from outside (the first
 * reading inside counts), "left" only when it goes past threshold + hysteresis while inside.
 *
 * @example
 * ```ts
 * const near = new ThresholdTracker(500, 30);
 * near.update(505); // undefined
 * near.update(495); // "entered"
 * near.update(505); // undefined: still inside until past 530
 * ```
 */
export class ThresholdTracker {
  #threshold: number;
  #leaveAt: number;
  #inside = false;

  /** Throws `RangeError` for a negative or non-finite threshold or hysteresis. */
  constructor(
    thresholdMeters: number,
    hysteresisMeters: number = THRESHOLD_DEFAULTS.hysteresisMeters,
  ) {
    _checkMeters("thresholdMeters", thresholdMeters);
    _checkMeters("hysteresisMeters", hysteresisMeters);
    this.#threshold = thresholdMeters;
    this.#leaveAt = thresholdMeters + hysteresisMeters;
  }

  /** Whether the last reading left the tracker inside the threshold. */
  get inside(): boolean {
    return this.#inside;
  }

  /** Takes a distance, metres; returns the crossing it caused. Throws `RangeError` on NaN. */
  update(distanceMeters: number): ThresholdCrossing | undefined {
    if (Number.isNaN(distanceMeters)) throw new RangeError("distanceMeters is NaN");
    if (!this.#inside && distanceMeters <= this.#threshold) {
      this.#inside = true;
      return "entered";
    }
    if (this.#inside && distanceMeters > this.#leaveAt) {
      this.#inside = false;
      return "left";
    }
    return undefined;
  }
}

function _checkMeters(name: string, value: number): void {
  if (!(value >= 0 && Number.isFinite(value))) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
}
