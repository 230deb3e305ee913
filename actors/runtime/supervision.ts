/**
 * What a failure of `receive` does to its actor, as a kind's decider chooses it from the error:
 * - `restart`: the failed message is dropped (its `ask` rejected with the error), the instance is
 *   discarded (`onStop`) and a new one is created after the restart backoff; queued messages
 *   stay. More than `maxRestarts` restarts within `windowMs` stop the actor for good.
 * - `resume`: the failed message is dropped (its `ask` rejected); the same instance, with its
 *   state, goes on with the next message at once.
 * - `stop`: the actor stops: the failed and the queued messages are dropped, asks rejected.
 * - `retry`: the same instance gets the same message again after a backoff (`backoffMs`, doubling
 *   per consecutive failure up to `maxBackoffMs`), ahead of everything queued, until it succeeds;
 *   its `ask` waits. Nothing is lost or reordered. Meanwhile the actor takes no other message.
 *   Once the system shuts down or the kind's `cancelRetry` aborts, a retry is given up: its
 *   message fails (its `ask` is rejected with the error) and the actor stops as under `stop`, so
 *   no one waits for it for ever, and no later message is handled before it by a new instance.
 *
 * A failure of `create` or `onStart` has no instance to resume or retry: `resume` and `retry`
 * restart it there.
 */
export type Directive = "restart" | "resume" | "stop" | "retry";

/** Chooses the {@linkcode Directive} for a failure from its error. */
export type Decider = (error: unknown) => Directive;

/** The decider of a kind that sets none: every failure restarts. */
export function restartAlways(): Directive {
  return "restart";
}
