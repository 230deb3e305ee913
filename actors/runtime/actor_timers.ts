import type { Clock } from "./clock.ts";
import type { ActorTimers } from "./types.ts";

/** What an {@linkcode ActorTimerSet} needs from its actor. Internal. */
export interface TimerOwner<M> {
  clock: Clock;
  /** Puts a fired timer's message in the actor's control queue. */
  deliver(message: M): void;
  /** Whether new timers may be started now (not while stopping or shutting down). */
  accepting(): boolean;
}

/** The keyed timers of one actor, all cancellable at once. Internal. */
export class ActorTimerSet<M> implements ActorTimers<M> {
  #owner: TimerOwner<M>;
  /** Made at the first timer: most actors never start one. */
  #timers: Map<string, number> | undefined;

  /** Creates an empty set. */
  constructor(owner: TimerOwner<M>) {
    this.#owner = owner;
  }

  /** Sends `message` once after `ms`. */
  once(key: string, ms: number, message: M): void {
    this.cancel(key);
    if (!this.#owner.accepting()) return;
    const timers = this.#timers ??= new Map();
    const id = this.#owner.clock.setTimeout(() => {
      timers.delete(key);
      this.#owner.deliver(message);
    }, ms);
    timers.set(key, id);
  }

  /** Sends `message` every `ms` until cancelled. */
  every(key: string, ms: number, message: M): void {
    if (!(ms > 0)) throw new RangeError(`timer ${key}: interval must be positive, got ${ms}`);
    this.cancel(key);
    if (!this.#owner.accepting()) return;
    const timers = this.#timers ??= new Map();
    const tick = () => {
      timers.set(key, this.#owner.clock.setTimeout(tick, ms));
      this.#owner.deliver(message);
    };
    timers.set(key, this.#owner.clock.setTimeout(tick, ms));
  }

  /** Cancels one timer. */
  cancel(key: string): void {
    const id = this.#timers?.get(key);
    if (id === undefined) return;
    this.#owner.clock.clearTimeout(id);
    this.#timers!.delete(key);
  }

  /** Cancels every timer. */
  cancelAll(): void {
    if (this.#timers === undefined) return;
    for (const id of this.#timers.values()) this.#owner.clock.clearTimeout(id);
    this.#timers.clear();
  }
}
