import type { Envelope } from "./actor_ref.ts";
import type { Retried } from "./cell_state.ts";

/** What a {@linkcode CellTurn} needs from its cell. Internal. */
export interface TurnCell<M> {
  /** The next message of this turn; `undefined` ends the turn (empty mailbox, or stopping). */
  take(): Envelope<M> | undefined;
  /** Hands a message to the current instance; what `receive` returned. */
  receive(message: M): unknown;
  /** A message was handled. */
  delivered(envelope: Envelope<M>): void;
  /** Applies the directive for a failed message; `true` when the turn goes on. */
  fail(error: unknown, handed: Retried<M>): Promise<boolean>;
  /** Whether messages are queued. */
  waiting(): boolean;
  /** The mailbox is empty: the turn ends. */
  end(): void;
}

/**
 * The turns of one cell: hands its queued messages to the instance one after the other.
 * Synchronous while `receive` returns no promise, so a message costs no promise or async frame (a
 * driver's fix is two messages); a promise, a failure or the `throughput` yield (a macrotask
 * after that many messages, so other cells run) go on later from the same count. Internal.
 */
export class CellTurn<M> {
  #cell: TurnCell<M>;
  #throughput: number;

  /** Turns of `cell`, yielding after `throughput` messages. */
  constructor(cell: TurnCell<M>, throughput: number) {
    this.#cell = cell;
    this.#throughput = throughput;
  }

  /** A turn over the queued messages (made once: a turn starts without a closure of its own). */
  readonly run = (): void => this.#run(0);

  /** A turn that first hands a failed message to the instance again. */
  retry(retried: Retried<M>): void {
    if (this.#deliver(retried.envelope, retried.attempt, 0)) this.#run(0);
  }

  #run(turn: number): void {
    const cell = this.#cell;
    for (let next = cell.take(); next !== undefined; next = cell.take()) {
      if (!this.#deliver(next, 0, ++turn)) return;
      if (this.#pauses(turn)) return void _yieldToEventLoop().then(() => this.#run(turn));
    }
    cell.end();
  }

  #pauses(turn: number): boolean {
    return turn % this.#throughput === 0 && this.#cell.waiting();
  }

  /** Hands one message over; `false` when the turn goes on later (see `#later`). */
  #deliver(envelope: Envelope<M>, attempt: number, turn: number): boolean {
    let result: unknown;
    try {
      result = this.#cell.receive(envelope.message);
      if (!_isThenable(result)) {
        this.#cell.delivered(envelope);
        return true;
      }
    } catch (error) {
      result = Promise.reject(error);
    }
    void this.#later(result as PromiseLike<unknown>, { envelope, attempt }, turn);
    return false;
  }

  /** A message that did not settle at once: the turn goes on once it has, unless it failed for good. */
  async #later(result: PromiseLike<unknown>, handed: Retried<M>, turn: number): Promise<void> {
    try {
      await result;
      this.#cell.delivered(handed.envelope);
    } catch (error) {
      if (!(await this.#cell.fail(error, handed))) return;
    }
    if (this.#pauses(turn)) void _yieldToEventLoop().then(() => this.#run(turn));
    else this.#run(turn);
  }
}

function _isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === "function";
}

function _yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
