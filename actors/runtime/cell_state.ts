import type { Envelope } from "./actor_ref.ts";

/**
 * What a turn does once the mailbox is empty: go on waiting, stop (`ActorCell.stop`, queued
 * messages dropped), or passivate (`ActorContext.stopWhenIdle`, queued messages handled first).
 * Internal.
 */
export type AfterTurn = "go-on" | "stop" | "passivate";

/** Why a cell stops. Internal. */
export type StopReason = "stop" | "failed" | "idle" | "shutdown";

/** A message handed to `receive` again, and how many times it has failed. Internal. */
export interface Retried<M> {
  readonly envelope: Envelope<M>;
  readonly attempt: number;
}

/**
 * The one state of an {@linkcode ActorCell}. Transitions (every other one is a bug):
 *
 * | from       | to         | when                                                         |
 * |------------|------------|--------------------------------------------------------------|
 * | starting   | running    | `create` and `onStart` succeeded                              |
 * | starting   | backoff    | they failed (restart); `stopping` when stopped or given up    |
 * | running    | idle       | the mailbox is empty                                          |
 * | running    | stopping   | after a stop, a passivation request, or during shutdown       |
 * | running    | backoff    | `receive` failed and the directive is `restart`               |
 * | running    | retrying   | `receive` failed and the directive is `retry`                 |
 * | idle       | running    | a message arrived                                             |
 * | idle       | stopping   | idle timeout (passivation), `stop`, shutdown                  |
 * | backoff    | starting   | the restart delay passed, or shutdown began                   |
 * | backoff    | stopping   | `stop`                                                        |
 * | retrying   | running    | the retry delay passed                                        |
 * | retrying   | stopping   | `stop`, or the retry was given up (cancelled, shutdown)       |
 * | stopping   | stopped    | `onStop` ran and nothing arrived meanwhile                    |
 * | stopping   | starting   | messages arrived during `onStop`: a new instance takes them   |
 *
 * `starting`, `running` and `stopping` are busy (`ActorSystem.settled` waits for them); the
 * others wait on the clock or for a message. `after` is what the turn does when it ends; it is
 * only ever made stronger by `stop` (to `"stop"`) or changed by `stopWhenIdle`.
 */
export type CellState<M> =
  | { readonly name: "starting"; after: AfterTurn }
  | { readonly name: "running"; after: AfterTurn }
  | { readonly name: "idle" }
  | { readonly name: "backoff"; readonly timer: number }
  | Retrying<M>
  | { readonly name: "stopping"; readonly reason: StopReason }
  | { readonly name: "stopped" };

/** Waiting to hand a failed message to the same instance again (directive `retry`). Internal. */
export interface Retrying<M> {
  readonly name: "retrying";
  /** The message, with the number of the attempt to come. */
  readonly failed: Retried<M>;
  /** Its last failure: what its `ask` is rejected with if the retry is given up. */
  readonly error: unknown;
  /** Cancels the scheduled retry. */
  readonly cancel: () => void;
}

/** Whether a state has work in progress (counted by `ActorSystem.settled`). Internal. */
export function isBusy(state: CellState<unknown>): boolean {
  return state.name === "starting" || state.name === "running" || state.name === "stopping";
}

/** Whether the instance lives in this state (it may take timers and signals). Internal. */
export function isLive(state: CellState<unknown>): boolean {
  return state.name !== "backoff" && state.name !== "stopping" && state.name !== "stopped";
}
