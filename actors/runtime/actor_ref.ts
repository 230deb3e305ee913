import { ACTOR_DEFAULTS } from "./actor_defaults.ts";
import type { Clock } from "./clock.ts";
import { AskTimeoutError } from "./errors.ts";
import { PendingAsk } from "./pending_ask.ts";
import type { ActorRef, AskOptions } from "./types.ts";

/** A message in a mailbox, with the ask waiting on it, if any. Internal. */
export interface Envelope<M> {
  message: M;
  /** Timer messages travel in the control queue. */
  control: boolean;
  ask?: PendingAsk<unknown>;
}

/** What a {@linkcode LocalActorRef} needs from its system. Internal. */
export interface RefTarget<M> {
  kind: string;
  id: string;
  clock: Clock;
  /** Routes an envelope to the actor, activating it if needed; may throw. */
  post(envelope: Envelope<M>): void;
}

/** The in-process {@linkcode ActorRef}. Internal: obtain refs from `ActorSystem.ref`. */
export class LocalActorRef<M> implements ActorRef<M> {
  /** The target's kind. */
  readonly kind: string;
  /** The target's id. */
  readonly id: string;
  #target: RefTarget<M>;

  /** Wraps a routing target. */
  constructor(target: RefTarget<M>) {
    this.kind = target.kind;
    this.id = target.id;
    this.#target = target;
  }

  /** Queues a message (see {@linkcode ActorRef.tell}). */
  tell(message: M): void {
    this.#target.post({ message, control: false });
  }

  /** Sends a request and waits for its reply (see {@linkcode ActorRef.ask}). */
  ask<R>(build: (replyTo: (reply: R) => void) => M, options: AskOptions = {}): Promise<R> {
    const pending = new PendingAsk<R>();
    const { signal } = options;
    if (signal?.aborted) {
      pending.reject(signal.reason);
      return pending.promise;
    }
    const { kind, id, clock } = this.#target;
    const timeoutMs = options.timeoutMs ?? ACTOR_DEFAULTS.askTimeoutMs;
    if (timeoutMs !== Infinity) {
      const timer = clock.setTimeout(
        () => pending.reject(new AskTimeoutError({ kind, id, timeoutMs })),
        timeoutMs,
      );
      pending.onSettle(() => clock.clearTimeout(timer));
    }
    if (signal !== undefined) {
      const onAbort = () => pending.reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      pending.onSettle(() => signal.removeEventListener("abort", onAbort));
    }
    try {
      const message = build((reply) => pending.resolve(reply));
      this.#target.post({ message, control: false, ask: pending as PendingAsk<unknown> });
    } catch (error) {
      pending.reject(error);
    }
    return pending.promise;
  }
}
