import { PooledClock } from "./pooled_clock.ts";

/**
 * A source of time and one-shot timers. The runtime reads time and schedules every
 * delay (backoff, idle, ask timeouts, actor timers) through it, so tests can swap in
 * a {@linkcode VirtualClock} and run on virtual time.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin (the system clock uses the Unix epoch). */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds; returns an id for {@linkcode Clock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): number;
  /** Cancels a timer; unknown or already fired ids are ignored. */
  clearTimeout(id: number): void;
}

/** `Date.now` and a timer of the event loop's for each timer. */
const _eventLoopClock: Clock = {
  now: () => Date.now(),
  // Deno returns a number; Node's typings (pulled in by npm packages) say `Timeout`.
  // Delays past the timer limit (2^31 - 1 ms) would fire at once, so they are capped.
  setTimeout: (fn, ms) => Number(setTimeout(fn, Math.min(ms, _MAX_DELAY))),
  clearTimeout: (id) => clearTimeout(id),
};

const _MAX_DELAY = 2 ** 31 - 1;

/**
 * The real clock: `Date.now`, and timers that share one of the event loop's
 * ({@linkcode PooledClock}), so a timer per driver costs a heap entry, not an event-loop timer.
 */
export const systemClock: Clock = new PooledClock(_eventLoopClock);
