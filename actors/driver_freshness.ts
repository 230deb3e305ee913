import type { ActorTimers, Clock } from "./runtime/mod.ts";

/** The timer key {@linkcode DriverFreshness} uses in its actor. */
export const STALE_TIMER = "stale";

/**
 * Whether an order's driver still reports. The age of its last fix is counted on the server's
 * clock, from when the service received it (`receivedAt` on the record), so neither the phone's
 * clock nor a viewer's browser clock matters. When no newer fix has come for `staleAfterMs`, the
 * position is stale: an actor timer (the runtime's `Clock`) fires then, and the next fix clears it.
 */
export class DriverFreshness<M> {
  #clock: Clock;
  #timers: ActorTimers<M>;
  #message: M;
  #staleAfterMs: number;
  #receivedAt: number | undefined;
  #stale = false;

  /**
   * Freshness on the clock and timers of an actor; `message` is what the timer sends it (the
   * actor answers it with {@linkcode lapsed}). Throws `RangeError` unless `staleAfterMs > 0`.
   */
  constructor(
    ctx: { readonly clock: Clock; readonly timers: ActorTimers<M> },
    options: { staleAfterMs: number; message: M },
  ) {
    if (!(options.staleAfterMs > 0)) {
      throw new RangeError(`staleAfterMs must be > 0, got ${options.staleAfterMs}`);
    }
    this.#clock = ctx.clock;
    this.#timers = ctx.timers;
    this.#message = options.message;
    this.#staleAfterMs = options.staleAfterMs;
  }

  /** Whether the last fix is marked stale (no newer one for `staleAfterMs`). */
  get stale(): boolean {
    return this.#stale;
  }

  /** How old the last fix is now, ms since the server received it; `undefined` without one. */
  ageMs(): number | undefined {
    if (this.#receivedAt === undefined) return undefined;
    return Math.max(0, this.#clock.now() - this.#receivedAt);
  }

  /**
   * A fix the server received at `receivedAt` is now the one shown: it clears the stale mark
   * unless it is that old already, and the timer is set for when it will be. Returns `stale`.
   */
  seen(receivedAt: number): boolean {
    this.#receivedAt = receivedAt;
    this.#stale = false;
    this.lapsed();
    return this.#stale;
  }

  /**
   * Marks the last fix stale once it is `staleAfterMs` old, and answers true only then (once
   * per lapse); before that it sets the timer for the time left and answers false.
   */
  lapsed(): boolean {
    const age = this.ageMs();
    if (age === undefined || this.#stale) return false;
    if (age < this.#staleAfterMs) {
      this.#timers.once(STALE_TIMER, this.#staleAfterMs - age, this.#message);
      return false;
    }
    this.#timers.cancel(STALE_TIMER);
    this.#stale = true;
    return true;
  }

  /** No one watches: the timer stops (the next {@linkcode lapsed} or fix sets it again). */
  pause(): void {
    this.#timers.cancel(STALE_TIMER);
  }

  /** Another driver, or none: nothing is known any more. */
  reset(): void {
    this.pause();
    this.#receivedAt = undefined;
    this.#stale = false;
  }
}
