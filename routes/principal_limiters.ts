import { RateLimiter, type RateLimiterOptions, type RateVerdict } from "./rate_limiter.ts";

/** Options of {@linkcode PrincipalLimiters}. */
export interface PrincipalLimitersOptions {
  /** Requests per second and burst of each principal. */
  readonly rate: Pick<RateLimiterOptions, "perSec" | "burst">;
  /** Time source in milliseconds. @default performance.now() */
  readonly clock?: { now(): number } | undefined;
}

/**
 * One {@linkcode RateLimiter} per key (a principal), made on first use and dropped once it would
 * be full again (`burst / perSec` seconds after its last request), so dropping it forgives
 * nothing and the map holds only the principals active in that window. Keys are kept oldest
 * first: a request moves its key to the end, and each call sweeps the rested ones from the front.
 */
export class PrincipalLimiters {
  readonly #rate: Pick<RateLimiterOptions, "perSec" | "burst">;
  readonly #clock: { now(): number };
  readonly #restMs: number;
  readonly #entries = new Map<string, { limiter: RateLimiter; until: number }>();

  /** Throws a `RangeError` for a non-positive rate or burst (as `RateLimiter` does). */
  constructor(options: PrincipalLimitersOptions) {
    this.#rate = options.rate;
    this.#clock = options.clock ?? { now: () => performance.now() };
    new RateLimiter({ ...options.rate, clock: this.#clock }); // validates the rate
    this.#restMs = (options.rate.burst / options.rate.perSec) * 1000;
  }

  /** Principals holding a limiter now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Takes a token from `key`'s bucket. */
  take(key: string): RateVerdict {
    const now = this.#clock.now();
    for (const [old, { until }] of this.#entries) {
      if (until > now) break;
      this.#entries.delete(old);
    }
    let entry = this.#entries.get(key);
    if (entry) this.#entries.delete(key);
    else entry = { limiter: new RateLimiter({ ...this.#rate, clock: this.#clock }), until: 0 };
    entry.until = now + this.#restMs;
    this.#entries.set(key, entry);
    return entry.limiter.take();
  }
}
