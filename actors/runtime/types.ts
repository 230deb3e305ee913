import type { Clock } from "./clock.ts";
import type { OverflowPolicy } from "./mailbox.ts";
import type { Decider } from "./supervision.ts";

/** Every actor message is tagged with `type`. */
export type Message = { type: string };

/** An actor instance: handles one message at a time. */
export interface Actor<M> {
  /** Handles one message; the next one is not delivered until this returns or settles. */
  receive(message: M): void | Promise<void>;
  /** Runs after `create`, before the first message; a failure is supervised like one in `receive`. */
  onStart?(): void | Promise<void>;
  /** Runs once when the instance is discarded: stop, passivation, shutdown, or after a failure. */
  onStop?(): void | Promise<void>;
  /**
   * Asked when the kind's `idleMs` has passed without a user message: `false` keeps the actor
   * for another `idleMs` (an actor with subscribers must not passivate under them). Absent:
   * always `true`.
   */
  canPassivate?(): boolean;
}

/** Timers owned by an actor; they fire into its control queue and die with it. */
export interface ActorTimers<M> {
  /** Sends `message` to self once after `ms`; replaces a timer with the same key. */
  once(key: string, ms: number, message: M): void;
  /** Sends `message` to self every `ms`; replaces a timer with the same key. */
  every(key: string, ms: number, message: M): void;
  /** Cancels the timer with this key, if any. */
  cancel(key: string): void;
}

/** What an actor instance gets from the runtime. */
export interface ActorContext<M> {
  /** This actor's kind. */
  readonly kind: string;
  /** This actor's id. */
  readonly id: string;
  /** A reference to this actor. */
  readonly self: ActorRef<M>;
  /** The system's clock. */
  readonly clock: Clock;
  /** Timers owned by this actor. */
  readonly timers: ActorTimers<M>;
  /**
   * Puts `message` in this actor's control queue (no capacity limit, ahead of user messages):
   * how the actor learns that async work it started (a promise) has finished, without a timer.
   * Dropped once the actor has stopped.
   */
  signal(message: M): void;
  /** Stops this actor after the current message; queued messages are dropped. */
  stop(): void;
  /**
   * Stops this actor once its mailbox is empty: unlike `stop`, every message already queued (or
   * arriving before then) is handled first. Counted as a passivation. For an actor that finds it
   * has nothing to do (an address with no such entity) and must not linger. A later call with
   * `false`, while messages are still being handled, takes the request back. Called while the
   * actor waits for messages (from a callback), it passivates at once.
   */
  stopWhenIdle(stop?: boolean): void;
}

/** Mailbox settings of a kind. */
export interface MailboxOptions<M> {
  /**
   * Most user messages queued per actor. Under `conflate` only keyed messages are held to it:
   * a message without a key is queued past it rather than dropped.
   */
  capacity: number;
  /** What happens to a message that does not fit (see {@linkcode OverflowPolicy}). */
  overflow: OverflowPolicy;
  /**
   * For `conflate`: messages with the same key replace each other, and only keyed messages are
   * ever dropped by an overflow (oldest first). `undefined` = never conflated and never dropped:
   * give commands, events and subscriptions no key, and bound them at their senders.
   */
  conflateKey?: (message: M) => string | undefined;
}

/** Supervision of a kind: what a failure does (a `Directive`, see supervision.ts) and the backoffs. */
export interface SupervisionOptions {
  /** More failures than this within `windowMs` stop the actor for good; `Infinity`: never. */
  maxRestarts: number;
  /** The window in which failures are counted, in ms. */
  windowMs: number;
  /** Delay before the first restart; doubles with each failure in the window. */
  backoffMs: number;
  /** Cap on the restart delay. */
  maxBackoffMs: number;
  /** Chooses the directive for each failure of `receive` (default: always `restart`). */
  decide?: Decider;
  /** Once aborted, a message waiting for its retry fails, and the actor stops as under `stop`. */
  cancelRetry?: AbortSignal;
}

/** The definition of an actor kind, given to `ActorSystem.register`. */
export interface ActorKind<M> {
  /** Builds a new instance for an activation or a restart. */
  create(id: string, ctx: ActorContext<M>): Actor<M>;
  /** Mailbox capacity and overflow policy (default in `ACTOR_DEFAULTS.mailbox`). */
  mailbox?: MailboxOptions<M>;
  /**
   * Passivate after this long without user messages, only with empty queues and when the
   * instance's `canPassivate` agrees; `undefined` = never. A later message activates a new one.
   */
  idleMs?: number;
  /** Messages per turn before yielding to the event loop (default in `ACTOR_DEFAULTS`). */
  throughput?: number;
  /** Directives and backoffs (default in `ACTOR_DEFAULTS.supervision`: always restart). */
  supervision?: SupervisionOptions;
}

/** Options of `ActorRef.ask`. */
export interface AskOptions {
  /** Reject with `AskTimeoutError` after this long (default `ACTOR_DEFAULTS.askTimeoutMs`; `Infinity` = never). */
  timeoutMs?: number;
  /** Reject with the signal's reason when aborted. */
  signal?: AbortSignal;
}

/** An address (kind, id); sending to it activates the actor if needed. */
export interface ActorRef<M> {
  /** The target's kind. */
  readonly kind: string;
  /** The target's id. */
  readonly id: string;
  /**
   * Queues a message.
   * @throws {MailboxFullError} when the mailbox is full under `reject`.
   * @throws {ActorStoppedError} after shutdown began and no live actor holds the address.
   */
  tell(message: M): void;
  /** Sends the message `build` makes around `replyTo` and waits for the reply. */
  ask<R>(build: (replyTo: (reply: R) => void) => M, options?: AskOptions): Promise<R>;
}

/** Counters of one kind, from `ActorSystem.metrics`. */
export interface KindMetrics {
  /** The kind. */
  kind: string;
  /** Actors currently activated. */
  live: number;
  /** Messages queued across its actors (user and control). */
  mailboxDepth: number;
  /** Messages handled without error. */
  processed: number;
  /** Messages refused or discarded: overflow, stop, failure-stop. */
  dropped: number;
  /** Instances recreated after a failure. */
  restarts: number;
  /** Actors activated by a message. */
  activations: number;
  /** Actors removed after being idle. */
  passivations: number;
  /** Failures of `create`, `onStart` or `receive`. */
  failures: number;
}

/** Options of `new ActorSystem`. */
export interface ActorSystemOptions {
  /** Time source (default `systemClock`). */
  clock?: Clock;
  /** Told about every failure, including `onStop` errors (default: logged as `tracking.actors`). */
  onError?: (kind: string, id: string, error: unknown) => void;
}
