/** Answer of {@linkcode RateLimiter.take}. */
export type RateVerdict =
  /** Within the limit: handle the frame. */
  | "allowed"
  /** Over the limit: drop the frame and tell the client (`rate_limited`). */
  | "limited"
  /** Over the limit for more than `burst` frames in a row: close the socket (4029). */
  | "abusive";

/** Options of {@linkcode RateLimiter}. */
export interface RateLimiterOptions {
  /** Frames per second allowed on average (the refill rate); > 0. */
  readonly perSec: number;
  /** Frames allowed at once (the bucket size), and rejected frames tolerated before abuse; >= 1. */
  readonly burst: number;
  /** Time source in milliseconds; defaults to the monotonic `performance.now()`. */
  readonly clock?: { now(): number } | undefined;
}

const _monotonic = { now: () => performance.now() };

/**
 * A token bucket for one connection: starts full with `burst` tokens, refills `perSec` a
 * second, and each frame takes one. Counts frames rejected since the client was last within
 * its limit; past `burst` of them the client is abusive. One limiter per socket, so a
 * flooding client never slows down its neighbours.
 *
 * @example
 * ```ts
 * const limiter = new RateLimiter({ perSec: 20, burst: 50 });
 * const verdict = limiter.take();
 * if (verdict === "abusive") ws.close(4029, "rate limit exceeded");
 * else if (verdict === "limited") sendError("rate_limited");
 * else handle(frame);
 * ```
 */
export class RateLimiter {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #clock: { now(): number };
  #tokens: number;
  #at: number;
  #rejected = 0;

  /** Creates a full bucket; throws a `RangeError` for a non-positive rate or burst. */
  constructor(options: RateLimiterOptions) {
    const { perSec, burst } = options;
    if (!(perSec > 0) || !Number.isFinite(perSec)) {
      throw new RangeError(`perSec must be a positive number, got ${perSec}`);
    }
    if (!(burst >= 1) || !Number.isFinite(burst)) {
      throw new RangeError(`burst must be at least 1, got ${burst}`);
    }
    this.#perMs = perSec / 1000;
    this.#burst = burst;
    this.#clock = options.clock ?? _monotonic;
    this.#tokens = burst;
    this.#at = this.#clock.now();
  }

  /** Takes a token for one frame and says whether the frame may be handled. */
  take(): RateVerdict {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#at);
    this.#at = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      this.#rejected = 0;
      return "allowed";
    }
    this.#rejected += 1;
    return this.#rejected > this.#burst ? "abusive" : "limited";
  }

  /** Frames rejected since the client was last within its limit. */
  get rejected(): number {
    return this.#rejected;
  }
}
