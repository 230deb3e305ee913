/** Identifies the actor an error is about. */
export interface ActorAddress {
  /** The actor's kind. */
  kind: string;
  /** The actor's id within its kind. */
  id: string;
}

/** Thrown by `tell` (or rejected from `ask`) when a `reject` mailbox is full, or when a queued ask was dropped by overflow. */
export class MailboxFullError extends Error {
  /** Always `"MailboxFullError"`. */
  override readonly name = "MailboxFullError";
  /** The target's kind. */
  readonly kind: string;
  /** The target's id. */
  readonly id: string;
  /** The mailbox capacity that was reached. */
  readonly capacity: number;

  /** Creates the error from the target's address and mailbox capacity. */
  constructor(data: ActorAddress & { capacity: number }, options?: ErrorOptions) {
    super(`mailbox of ${data.kind}/${data.id} is full (capacity ${data.capacity})`, options);
    this.kind = data.kind;
    this.id = data.id;
    this.capacity = data.capacity;
  }
}

/** Rejects an `ask` that got no reply within its timeout. */
export class AskTimeoutError extends Error {
  /** Always `"AskTimeoutError"`. */
  override readonly name = "AskTimeoutError";
  /** The asked actor's kind. */
  readonly kind: string;
  /** The asked actor's id. */
  readonly id: string;
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  /** Creates the error from the target's address and the elapsed timeout. */
  constructor(data: ActorAddress & { timeoutMs: number }, options?: ErrorOptions) {
    super(`ask to ${data.kind}/${data.id} timed out after ${data.timeoutMs} ms`, options);
    this.kind = data.kind;
    this.id = data.id;
    this.timeoutMs = data.timeoutMs;
  }
}

/**
 * The actor stopped (or the system is shutting down) before it could take or answer a
 * message: thrown by `tell` after shutdown, rejected from pending asks of a stopped actor.
 */
export class ActorStoppedError extends Error {
  /** Always `"ActorStoppedError"`. */
  override readonly name = "ActorStoppedError";
  /** The actor's kind. */
  readonly kind: string;
  /** The actor's id. */
  readonly id: string;

  /** Creates the error from the actor's address. */
  constructor(data: ActorAddress, options?: ErrorOptions) {
    super(`actor ${data.kind}/${data.id} is stopped`, options);
    this.kind = data.kind;
    this.id = data.id;
  }
}
