import { MailboxFullError } from "./errors.ts";
import { Queue } from "./queue.ts";

/** How a full mailbox treats a new message. */
export type OverflowPolicy = "reject" | "drop-oldest" | "conflate";

/** Settings of one {@linkcode Mailbox}. */
export interface MailboxConfig<T> {
  /** Owner's kind, for errors. */
  kind: string;
  /** Owner's id, for errors. */
  id: string;
  /** Most user messages held at once (control messages are not counted). */
  capacity: number;
  /** What to do when full. */
  overflow: OverflowPolicy;
  /** For `conflate`: the key whose latest item alone is kept; `undefined` means never conflated. */
  key?: (item: T) => string | undefined;
}

interface _Slot<T> {
  item: T;
  key: string | undefined;
}

/**
 * A bounded user queue with an overflow policy, plus an unbounded control queue that is
 * never dropped and always served first.
 */
export class Mailbox<T> {
  #config: MailboxConfig<T>;
  #user = new Queue<_Slot<T>>();
  #control = new Queue<T>();
  #byKey = new Map<string, _Slot<T>>();

  /** Creates an empty mailbox. */
  constructor(config: MailboxConfig<T>) {
    if (!Number.isInteger(config.capacity) || config.capacity < 1) {
      throw new RangeError(`mailbox capacity must be a positive integer, got ${config.capacity}`);
    }
    if (config.overflow === "conflate" && config.key === undefined) {
      throw new TypeError(`mailbox of kind ${config.kind}: "conflate" needs conflateKey`);
    }
    this.#config = config;
  }

  /** Queued messages, user and control. */
  get size(): number {
    return this.#user.size + this.#control.size;
  }

  /**
   * Queues a user message. Returns the item the overflow policy discarded to make room
   * (or replaced, for `conflate`), if any.
   * @throws {MailboxFullError} when full and the policy is `reject`.
   */
  push(item: T): T | undefined {
    const { capacity, overflow } = this.#config;
    const key = overflow === "conflate" ? this.#config.key?.(item) : undefined;
    if (key !== undefined) {
      const queued = this.#byKey.get(key);
      if (queued !== undefined) {
        const replaced = queued.item;
        queued.item = item;
        return replaced;
      }
    }
    let dropped: T | undefined;
    if (this.#user.size >= capacity) {
      if (overflow === "reject") {
        throw new MailboxFullError({ kind: this.#config.kind, id: this.#config.id, capacity });
      }
      dropped = this.#shiftUser();
    }
    const slot = { item, key };
    this.#user.push(slot);
    if (key !== undefined) this.#byKey.set(key, slot);
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
    this.#byKey.clear();
    return [...this.#control.drain(), ...this.#user.drain().map((slot) => slot.item)];
  }

  #shiftUser(): T | undefined {
    const slot = this.#user.shift();
    if (slot === undefined) return undefined;
    if (slot.key !== undefined && this.#byKey.get(slot.key) === slot) this.#byKey.delete(slot.key);
    return slot.item;
  }
}
