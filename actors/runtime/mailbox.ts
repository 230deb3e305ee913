import { MailboxFullError } from "./errors.ts";
import { Queue } from "./queue.ts";

/**
 * How a full mailbox treats a new message:
 * - `reject`: the new message is refused with {@linkcode MailboxFullError};
 * - `drop-oldest`: the oldest queued message is discarded;
 * - `conflate`: a message with a key replaces its queued twin (same key) in place, whatever
 *   the fill. Only keyed messages are ever discarded, the oldest keyed one first (the new one,
 *   if it is the only keyed message). A message without a key is never discarded: when no keyed
 *   message can make room, it is queued past `capacity`. Those messages are bounded by their
 *   senders (one subscription per socket, one command per pending `ask`), not by the mailbox.
 */
export type OverflowPolicy = "reject" | "drop-oldest" | "conflate";

/** Settings of one {@linkcode Mailbox}. */
export interface MailboxConfig<T> {
  /** Owner's kind, for errors. */
  kind: string;
  /** Owner's id, for errors. */
  id: string;
  /**
   * Most user messages held at once (control messages are not counted); under `conflate`,
   * messages without a key may exceed it (see {@linkcode OverflowPolicy}).
   */
  capacity: number;
  /** What to do when full. */
  overflow: OverflowPolicy;
  /**
   * For `conflate`: the key whose latest item alone is kept; `undefined` means never conflated
   * and never dropped.
   */
  key?: (item: T) => string | undefined;
}

interface _Slot<T> {
  item: T;
  key: string | undefined;
  /** Discarded by the overflow policy while still in the queue; skipped when reached. */
  dropped: boolean;
}

/**
 * A bounded user queue with an overflow policy, plus an unbounded control queue that is
 * never dropped and always served first.
 */
export class Mailbox<T> {
  #config: MailboxConfig<T>;
  #user = new Queue<_Slot<T>>();
  /** Slots in `#user` marked `dropped`. */
  #dead = 0;
  #control = new Queue<T>();
  /**
   * For conflation only (made for a "conflate" mailbox): queued keyed slots by key, and the same
   * slots oldest first, the order in which an overflow drops them.
   */
  #conflated: { byKey: Map<string, _Slot<T>>; keyed: Queue<_Slot<T>> } | undefined;

  /** Creates an empty mailbox. */
  constructor(config: MailboxConfig<T>) {
    if (!Number.isInteger(config.capacity) || config.capacity < 1) {
      throw new RangeError(`mailbox capacity must be a positive integer, got ${config.capacity}`);
    }
    if (config.overflow === "conflate" && config.key === undefined) {
      throw new TypeError(`mailbox of kind ${config.kind}: "conflate" needs conflateKey`);
    }
    this.#config = config;
    if (config.overflow === "conflate") this.#conflated = { byKey: new Map(), keyed: new Queue() };
  }

  /** Queued messages, user and control. */
  get size(): number {
    return this.#user.size - this.#dead + this.#control.size;
  }

  /**
   * Queues a user message. Returns the item the overflow policy discarded to make room
   * (or replaced, for `conflate`), if any; under `conflate` that may be `item` itself.
   * @throws {MailboxFullError} when full and the policy is `reject`.
   */
  push(item: T): T | undefined {
    const { capacity, overflow } = this.#config;
    if (overflow === "conflate") return this.#pushConflated(item);
    let dropped: T | undefined;
    if (this.#user.size >= capacity) {
      if (overflow === "reject") {
        throw new MailboxFullError({ kind: this.#config.kind, id: this.#config.id, capacity });
      }
      dropped = this.#shiftUser();
    }
    this.#user.push({ item, key: undefined, dropped: false });
    return dropped;
  }

  /** Queues a control message; never refused, never dropped. */
  pushControl(item: T): void {
    this.#control.push(item);
  }

  /** Takes the next message: control first, then user. */
  shift(): T | undefined {
    return this.#control.shift() ?? this.#shiftUser();
  }

  /** Empties both queues, returning what they held (control first). */
  drain(): T[] {
    this.#conflated?.byKey.clear();
    this.#conflated?.keyed.drain();
    this.#dead = 0;
    const user = this.#user.drain().filter((slot) => !slot.dropped).map((slot) => slot.item);
    return [...this.#control.drain(), ...user];
  }

  #pushConflated(item: T): T | undefined {
    const key = this.#config.key!(item);
    const { byKey, keyed } = this.#conflated!;
    if (key !== undefined) {
      const queued = byKey.get(key);
      if (queued !== undefined) {
        const replaced = queued.item;
        queued.item = item;
        return replaced;
      }
    }
    let dropped: T | undefined;
    if (this.#user.size - this.#dead >= this.#config.capacity) {
      if (key !== undefined && keyed.size === 0) return item; // nothing older may go
      dropped = this.#dropOldestKeyed();
    }
    const slot = { item, key, dropped: false };
    this.#user.push(slot);
    if (key !== undefined) {
      byKey.set(key, slot);
      keyed.push(slot);
    }
    return dropped;
  }

  /** Discards the oldest queued keyed message, if any; its slot is skipped when reached. */
  #dropOldestKeyed(): T | undefined {
    const slot = this.#conflated!.keyed.shift();
    if (slot === undefined) return undefined;
    this.#conflated!.byKey.delete(slot.key!);
    slot.dropped = true;
    this.#dead++;
    if (this.#dead > 64 && this.#dead * 2 > this.#user.size) this.#compact();
    return slot.item;
  }

  /** Removes discarded slots, so a stalled consumer does not keep them in memory. */
  #compact(): void {
    for (const slot of this.#user.drain()) if (!slot.dropped) this.#user.push(slot);
    this.#dead = 0;
  }

  #shiftUser(): T | undefined {
    for (;;) {
      const slot = this.#user.shift();
      if (slot === undefined) return undefined;
      if (slot.dropped) {
        this.#dead--;
        continue;
      }
      if (slot.key !== undefined) {
        // Both queues are in arrival order and lose dropped slots, so this is the oldest keyed.
        this.#conflated!.keyed.shift();
        this.#conflated!.byKey.delete(slot.key);
      }
      return slot.item;
    }
  }
}
