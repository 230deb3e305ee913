import type { Envelope } from "./actor_ref.ts";
import { ActorStoppedError, MailboxFullError } from "./errors.ts";
import { Mailbox } from "./mailbox.ts";
import type { PendingAsk } from "./pending_ask.ts";
import type { ResolvedKind } from "./resolve_kind.ts";
import type { KindMetrics } from "./types.ts";

/** The counters a cell updates for its kind. Internal. */
export type KindStats = Omit<KindMetrics, "kind" | "live" | "mailboxDepth">;

/**
 * A cell's {@linkcode Mailbox} of envelopes: counts what it drops in the kind's stats, fails the
 * asks of dropped messages, and keeps the asks of messages taken out until they are answered, so
 * a stop can fail those too. Internal.
 */
export class CellMailbox<M> {
  #kind: string;
  #id: string;
  #capacity: number;
  #stats: KindStats;
  #queue: Mailbox<Envelope<M>>;
  /** Made at the first ask taken: most messages are tells. */
  #taken: Set<PendingAsk<unknown>> | undefined;

  /** An empty mailbox with the kind's settings. */
  constructor(address: { kind: string; id: string }, def: ResolvedKind<M>, stats: KindStats) {
    const { kind, id } = address;
    const { capacity, overflow, conflateKey } = def.mailbox;
    this.#kind = kind;
    this.#id = id;
    this.#capacity = capacity;
    this.#stats = stats;
    this.#queue = new Mailbox({
      kind,
      id,
      capacity,
      overflow,
      ...(conflateKey && { key: (envelope: Envelope<M>) => conflateKey(envelope.message) }),
    });
  }

  /** Queued messages, user and control. */
  get size(): number {
    return this.#queue.size;
  }

  /** Queues an envelope; throws {@linkcode MailboxFullError} under `reject`. */
  push(envelope: Envelope<M>): void {
    if (envelope.control) return this.#queue.pushControl(envelope);
    let dropped: Envelope<M> | undefined;
    try {
      dropped = this.#queue.push(envelope);
    } catch (error) {
      this.#stats.dropped++;
      throw error;
    }
    if (dropped === undefined) return;
    this.#stats.dropped++;
    const data = { kind: this.#kind, id: this.#id, capacity: this.#capacity };
    dropped.ask?.reject(new MailboxFullError(data));
  }

  /** The next envelope: control first. Its ask is kept until answered (see `failTaken`). */
  shift(): Envelope<M> | undefined {
    const envelope = this.#queue.shift();
    const ask = envelope?.ask;
    if (ask !== undefined && !ask.settled) {
      const taken = this.#taken ??= new Set();
      taken.add(ask);
      ask.onSettle(() => taken.delete(ask));
    }
    return envelope;
  }

  /** Fails, with `ActorStoppedError`, the asks of messages taken out and not yet answered. */
  failTaken(): void {
    const error = new ActorStoppedError({ kind: this.#kind, id: this.#id });
    for (const ask of [...this.#taken ?? []]) ask.reject(error);
  }

  /** Drops `held` and everything queued, counted, their asks failed with `ActorStoppedError`. */
  dropAll(held: readonly Envelope<M>[] = []): void {
    for (const envelope of [...held, ...this.#queue.drain()]) {
      this.#stats.dropped++;
      envelope.ask?.reject(new ActorStoppedError({ kind: this.#kind, id: this.#id }));
    }
  }
}
