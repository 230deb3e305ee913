/**
 * In-process actor runtime: actors addressed by typed keys and ids, turn-based, with bounded
 * mailboxes (reject, drop-oldest, conflate), supervision directives per kind (restart, resume,
 * stop, retry), timers, ask, passivation, and a clock interface for deterministic tests.
 *
 * @module
 */
export { ACTOR_DEFAULTS } from "./actor_defaults.ts";
export { type ActorKey, actorKey } from "./actor_key.ts";
export { ActorSystem } from "./actor_system.ts";
export { type Clock, systemClock } from "./clock.ts";
export {
  type ActorAddress,
  ActorStoppedError,
  AskTimeoutError,
  MailboxFullError,
} from "./errors.ts";
export type { OverflowPolicy } from "./mailbox.ts";
export type { Decider, Directive } from "./supervision.ts";
export type {
  Actor,
  ActorContext,
  ActorKind,
  ActorRef,
  ActorSystemOptions,
  ActorTimers,
  AskOptions,
  KindMetrics,
  MailboxOptions,
  Message,
  SupervisionOptions,
} from "./types.ts";
export { VirtualClock } from "./virtual_clock.ts";
