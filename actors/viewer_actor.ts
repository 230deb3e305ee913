import {
  type Actor,
  type ActorContext,
  actorKey,
  type ActorKind,
  type Clock,
} from "./runtime/mod.ts";
import { VIEWER_CLOSE_CODES } from "../domain/close_codes.ts";
import type { ViewerFrame } from "./order_protocol.ts";

/** Messages a ViewerActor accepts. */
export type ViewerMessage =
  /** Send this frame to the viewer, once its socket has room. */
  | { type: "frame"; frame: ViewerFrame }
  /** Close the socket with this code and stop. */
  | { type: "close"; code: number; reason: string };

/** The key of the viewer kind: one actor per viewer connection id. */
export const VIEWER = actorKey<ViewerMessage>("viewer");

/** The part of a viewer's WebSocket the actor uses; the route adapts the real one. */
export interface ViewerSocket {
  send(text: string): void;
  /** Bytes queued by `send` and not yet written to the network. */
  bufferedAmount(): number;
  close(code: number, reason: string): void;
}

/** What a ViewerActor needs from outside; the actor id is the connection id. */
export interface ViewerActorDeps {
  /** The socket of a connection; `undefined` once it is gone (the actor then stops). */
  readonly socketFor: (id: string) => ViewerSocket | undefined;
  /** Above this many buffered bytes the actor waits before sending. */
  readonly maxBufferedBytes: number;
  /** A socket over the limit this long is closed with `VIEWER_CLOSE_CODES.tooSlow`. */
  readonly slowMs: number;
  /** How often a waiting actor looks at the buffer again (default 25 ms). */
  readonly pollMs?: number;
  /** Mailbox capacity (default 1,024). */
  readonly mailboxCapacity?: number;
}

/** The defaults: poll every 25 ms; room for 1,024 queued frames (after conflation). */
export const VIEWER_DEFAULTS = { pollMs: 25, mailboxCapacity: 1024 } as const;

/**
 * The mailbox key of a message: a queued `location` of the same order and driver, or `eta`
 * of the same order, is replaced by a newer one; everything else is never conflated.
 */
export function viewerConflateKey(message: ViewerMessage): string | undefined {
  if (message.type !== "frame") return undefined;
  const { frame } = message;
  if (frame.type === "location") return `location:${frame.orderId}:${frame.driverId}`;
  if (frame.type === "eta") return `eta:${frame.orderId}`;
  return undefined;
}

/**
 * One actor per viewer connection (a customer watching an order, a restaurant dashboard):
 * writes frames as JSON, in order. While the socket's buffer is over the limit it waits, so
 * its conflating mailbox keeps only the newest position and ETA; a socket over the limit
 * for `slowMs` is closed with 4008 and the actor stops. Any burst queued faster than it is
 * sent is conflated too (a newer position replaces a queued one in place). A `close` queued
 * behind a wait takes effect when the wait ends (at most `slowMs`).
 */
export class ViewerActor implements Actor<ViewerMessage> {
  #ctx: ActorContext<ViewerMessage>;
  #deps: ViewerActorDeps;
  #pollMs: number;

  /** Creates the actor of connection `ctx.id`. */
  constructor(ctx: ActorContext<ViewerMessage>, deps: ViewerActorDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#pollMs = deps.pollMs ?? VIEWER_DEFAULTS.pollMs;
  }

  /** Sends a frame once the buffer has room, or closes the socket. */
  async receive(message: ViewerMessage): Promise<void> {
    if (message.type === "close") return this.#close(message.code, message.reason);
    const text = JSON.stringify(message.frame);
    const { clock, id } = this.#ctx;
    const since = clock.now();
    for (;;) {
      const socket = this.#deps.socketFor(id);
      if (socket === undefined) return this.#ctx.stop();
      if (socket.bufferedAmount() <= this.#deps.maxBufferedBytes) return this.#send(socket, text);
      const waited = clock.now() - since;
      if (waited >= this.#deps.slowMs) return this.#close(VIEWER_CLOSE_CODES.tooSlow, "too slow");
      await _sleep(clock, Math.min(this.#pollMs, this.#deps.slowMs - waited));
    }
  }

  #send(socket: ViewerSocket, text: string): void {
    try {
      socket.send(text);
    } catch {
      this.#ctx.stop(); // the socket broke under us; the route's close handler cleans up
    }
  }

  #close(code: number, reason: string): void {
    try {
      this.#deps.socketFor(this.#ctx.id)?.close(code, reason);
    } finally {
      this.#ctx.stop();
    }
  }
}

/**
 * Registers ViewerActor: a `conflate` mailbox keyed by {@linkcode viewerConflateKey}, no
 * passivation (the route stops the actor when the socket closes). Only positions and ETAs can be
 * dropped when it is full; snapshots, statuses, notifications and `close` never are (a few per
 * order followed, and a socket that stays too slow is closed after `slowMs`).
 * Throws `RangeError` for a negative limit or a non-positive `slowMs`, `pollMs` or capacity.
 */
export function viewerActorKind(deps: ViewerActorDeps): ActorKind<ViewerMessage> {
  const pollMs = deps.pollMs ?? VIEWER_DEFAULTS.pollMs;
  const capacity = deps.mailboxCapacity ?? VIEWER_DEFAULTS.mailboxCapacity;
  if (!(deps.maxBufferedBytes >= 0)) {
    throw new RangeError(`maxBufferedBytes must be >= 0, got ${deps.maxBufferedBytes}`);
  }
  for (const [name, value] of Object.entries({ slowMs: deps.slowMs, pollMs, capacity })) {
    if (!(value > 0)) throw new RangeError(`${name} must be > 0, got ${value}`);
  }
  return {
    create: (_id, ctx) => new ViewerActor(ctx, deps),
    mailbox: { capacity, overflow: "conflate", conflateKey: viewerConflateKey },
  };
}

function _sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
