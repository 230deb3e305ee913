import type { Clock } from "./clock.ts";
import { type HeapTimer, TimerHeap } from "./timer_heap.ts";

interface _Timer extends HeapTimer {
  readonly id: number;
  readonly fn: () => void;
}

/**
 * A {@linkcode Clock} whose timers share one timer of the clock beneath it, armed for the earliest.
 * Every connected driver has timers of its own (its actor's passivation, its socket's token
 * expiry): as event-loop timers each cost about half a kilobyte (the runtime's timer object, its
 * list entry and closures); here each is one small entry in a heap (DESIGN.md, "The edge": a quiet
 * driver has no timer of its own).
 *
 * Timers run in order of due time, then of scheduling, each exactly as late as the timer beneath
 * would have run it. The timers due when the shared one fires run in that one turn; one scheduled
 * meanwhile waits for the next turn, even at 0 ms, as it would with its own timer. A callback that
 * throws does not stop the others: the first error is thrown again after them, as an uncaught
 * error of a timer of its own would be.
 */
export class PooledClock implements Clock {
  #base: Clock;
  #heap = new TimerHeap<_Timer>();
  #byId = new Map<number, _Timer>();
  /** The next timer's id, which also orders timers due at the same time (scheduling order). */
  #nextId = 1;
  #armed: { readonly at: number; readonly id: number } | undefined;
  /** Inside `#fire`: the timer beneath is armed once at its end, not at each timer scheduled. */
  #firing = false;

  /** Timers on top of `base` (its `now` and one of its timers at a time). */
  constructor(base: Clock) {
    this.#base = base;
  }

  /** The time of the clock beneath. */
  now(): number {
    return this.#base.now();
  }

  /** Runs `fn` once after `ms` milliseconds (a negative or NaN delay counts as 0). */
  setTimeout(fn: () => void, ms: number): number {
    const id = this.#nextId++;
    const timer: _Timer = { at: this.now() + (ms > 0 ? ms : 0), seq: id, fn, id, index: -1 };
    this.#heap.push(timer);
    this.#byId.set(id, timer);
    if (!this.#firing && (this.#armed === undefined || timer.at < this.#armed.at)) this.#arm();
    return id;
  }

  /** Cancels a timer; unknown or already fired ids are ignored. */
  clearTimeout(id: number): void {
    const timer = this.#byId.get(id);
    if (timer === undefined) return;
    this.#byId.delete(id);
    this.#heap.remove(timer);
    if (this.#heap.size === 0) this.#disarm();
  }

  /** Timers scheduled and not yet run or cancelled. */
  pending(): number {
    return this.#heap.size;
  }

  #arm(): void {
    this.#disarm();
    const first = this.#heap.peek();
    if (first === undefined) return;
    const id = this.#base.setTimeout(this.#fire, Math.max(0, first.at - this.now()));
    this.#armed = { at: first.at, id };
  }

  #disarm(): void {
    if (this.#armed !== undefined) this.#base.clearTimeout(this.#armed.id);
    this.#armed = undefined;
  }

  readonly #fire = (): void => {
    this.#armed = undefined;
    this.#firing = true;
    const now = this.now();
    const before = this.#nextId;
    let failure: { error: unknown } | undefined;
    for (let t = this.#heap.peek(); t && t.at <= now && t.seq < before; t = this.#heap.peek()) {
      this.#heap.pop();
      this.#byId.delete(t.id);
      try {
        t.fn();
      } catch (error) {
        failure ??= { error };
      }
    }
    this.#firing = false;
    this.#arm();
    if (failure) throw failure.error;
  };
}
