import type { Clock } from "./clock.ts";

interface _Timer {
  at: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to. Timers run inside {@linkcode VirtualClock.advance},
 * in order of due time, then of scheduling; nothing touches the real event loop.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * clock.setTimeout(() => console.log("tick"), 100);
 * clock.advance(100); // logs "tick"
 * ```
 */
export class VirtualClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers = new Map<number, _Timer>();

  /** Starts the clock at `start` milliseconds (default 0). */
  constructor(start = 0) {
    this.#now = start;
  }

  /** The current virtual time. */
  now(): number {
    return this.#now;
  }

  /** Schedules `fn` at now + `ms` (negative delays count as 0). */
  setTimeout(fn: () => void, ms: number): number {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  /** Cancels a pending timer. */
  clearTimeout(id: number): void {
    this.#timers.delete(id);
  }

  /**
   * Moves time forward by `ms`, running every timer that falls due on the way, including
   * timers scheduled by those callbacks while still inside the window.
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance expects a non-negative duration, got ${ms}`);
    const end = this.#now + ms;
    for (let next = this.#due(end); next !== undefined; next = this.#due(end)) {
      const [id, timer] = next;
      this.#timers.delete(id);
      this.#now = timer.at;
      timer.fn();
    }
    this.#now = end;
  }

  /** How many timers are scheduled and not yet run or cancelled. */
  pending(): number {
    return this.#timers.size;
  }

  #due(end: number): [number, _Timer] | undefined {
    let best: [number, _Timer] | undefined;
    for (const entry of this.#timers) {
      if (entry[1].at > end) continue;
      if (best === undefined || entry[1].at < best[1].at) best = entry;
    }
    return best;
  }
}
