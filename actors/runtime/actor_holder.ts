import { ActorTimerSet } from "./actor_timers.ts";
import type { CellHost } from "./cell_host.ts";
import type { Actor, ActorContext } from "./types.ts";

/** What an {@linkcode ActorHolder} needs from its cell. Internal. */
export interface HolderCell<M> {
  /** Puts a timer's or a signal's message in the control queue (signals only while not stopping). */
  control(message: M, kind: "timer" | "signal"): void;
  /** Whether timers may be started now. */
  acceptsTimers(): boolean;
  stop(): void;
  stopWhenIdle(stop: boolean): void;
}

/**
 * The current instance of a cell's actor, the context every instance of it gets, and its timers:
 * creates, feeds and discards instances. Internal.
 */
export class ActorHolder<M> {
  /** Timers of the cell's instances; cancelled when one is discarded. */
  readonly timers: ActorTimerSet<M>;
  #host: CellHost<M>;
  #ctx: ActorContext<M>;
  #actor: Actor<M> | undefined;

  /** No instance yet. */
  constructor(host: CellHost<M>, cell: HolderCell<M>) {
    const { kind, id, clock, self } = host;
    this.#host = host;
    this.timers = new ActorTimerSet({
      clock,
      deliver: (message) => cell.control(message, "timer"),
      accepting: () => cell.acceptsTimers(),
    });
    this.#ctx = {
      kind,
      id,
      self,
      clock,
      timers: this.timers,
      signal: (message) => cell.control(message, "signal"),
      stop: () => cell.stop(),
      stopWhenIdle: (stop = true) => cell.stopWhenIdle(stop),
    };
  }

  /** Creates an instance and runs its `onStart`; throws what they throw. */
  async start(): Promise<void> {
    this.#actor = this.#host.def.create(this.#host.id, this.#ctx);
    await this.#actor.onStart?.();
  }

  /** Hands a message to the instance (no extra promise for a synchronous `receive`). */
  receive(message: M): void | Promise<void> {
    return this.#actor?.receive(message);
  }

  /** Whether the instance lets itself be passivated now. */
  canPassivate(): boolean {
    return this.#actor?.canPassivate?.() !== false;
  }

  /** Cancels the timers and runs the instance's `onStop` (a failure is reported). */
  async discard(): Promise<void> {
    this.timers.cancelAll();
    const actor = this.#actor;
    this.#actor = undefined;
    try {
      await actor?.onStop?.();
    } catch (error) {
      this.#host.report(error);
    }
  }
}
