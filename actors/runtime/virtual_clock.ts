import type { Clock } from "./clock.ts";
import { type HeapTimer, TimerHeap } from "./timer_heap.ts";

interface _Timer extends HeapTimer {
  readonly id: number;
  readonly fn: () => void;
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
  /** The next timer's id, which also orders timers due at the same time (scheduling order). */
  #nextId = 1;
  #heap = new TimerHeap<_Timer>();
  #byId = new Map<number, _Timer>();

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
    const timer: _Timer = { at: this.#now + Math.max(0, ms), seq: id, fn, id, index: -1 };
    this.#heap.push(timer);
    this.#byId.set(id, timer);
    return id;
  }

  /** Cancels a pending timer. */
  clearTimeout(id: number): void {
    const timer = this.#byId.get(id);
    if (timer === undefined) return;
    this.#byId.delete(id);
    this.#heap.remove(timer);
  }

  /**
   * Moves time forward by `ms`, running every timer that falls due on the way, including
   * timers scheduled by those callbacks while still inside the window.
   */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance expects a non-negative duration, got ${ms}`);
    const end = this.#now + ms;
    for (let timer = this.#heap.peek(); timer && timer.at <= end; timer = this.#heap.peek()) {
      this.#heap.pop();
      this.#byId.delete(timer.id);
      this.#now = timer.at;
      timer.fn();
    }
    this.#now = end;
  }

  /** How many timers are scheduled and not yet run or cancelled. */
  pending(): number {
    return this.#heap.size;
  }
}
