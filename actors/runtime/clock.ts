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

/** The real clock: `Date.now` and the event loop's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  // Deno returns a number; Node's typings (pulled in by npm packages) say `Timeout`.
  // Delays past the timer limit (2^31 - 1 ms) would fire at once, so they are capped.
  setTimeout: (fn, ms) => Number(setTimeout(fn, Math.min(ms, _MAX_DELAY))),
  clearTimeout: (id) => clearTimeout(id),
};

const _MAX_DELAY = 2 ** 31 - 1;
