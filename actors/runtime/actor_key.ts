import type { Message } from "./types.ts";

declare const _messageType: unique symbol;

/**
 * The typed name of an actor kind: it pairs the kind's name with the messages its actors accept,
 * so `register` and `ref` agree on the message type without a cast. Define one next to the actor
 * it addresses (or in its protocol file) and use it everywhere the kind is named.
 *
 * @example
 * ```ts
 * type Ping = { type: "ping" };
 * const PINGER = actorKey<Ping>("pinger");
 * system.register(PINGER, { create: () => ({ receive() {} }) });
 * system.ref(PINGER, "a").tell({ type: "ping" });
 * ```
 */
export interface ActorKey<M extends Message> {
  /** The kind's name, as metrics and errors show it. */
  readonly kind: string;
  /** Type only, never set: makes keys of different message types incompatible. */
  readonly [_messageType]?: (message: M) => M;
}

/** Makes the typed key of the kind `kind`, whose actors accept `M`. */
export function actorKey<M extends Message>(kind: string): ActorKey<M> {
  if (kind === "") throw new TypeError("an actor kind needs a name");
  return Object.freeze({ kind });
}
