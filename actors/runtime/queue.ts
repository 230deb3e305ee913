/**
 * A FIFO queue with O(1) amortised `shift`: an array with a head and a tail index. Internal to the
 * runtime.
 *
 * It keeps its array when it empties, so a mailbox that holds one message at a time (a driver's:
 * a frame, then the publish's signal, a second apart) allocates nothing per message. Replacing the
 * array on every emptying allocated a new array and its backing store per message, which lived
 * until the next one and so was promoted to V8's old space: a fifth of what the service promoted
 * per fix under load (docs/performance.md). Only a queue that held more than
 * {@linkcode KEPT_CAPACITY} items gets a fresh array when it empties, so a burst's array is not
 * kept for good.
 */
export class Queue<T> {
  #items: (T | undefined)[] = [];
  #head = 0;
  #tail = 0;

  /** Number of queued items. */
  get size(): number {
    return this.#tail - this.#head;
  }

  /** Appends an item. */
  push(item: T): void {
    if (this.#tail < this.#items.length) this.#items[this.#tail] = item;
    else this.#items.push(item);
    this.#tail++;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.#head === this.#tail) return undefined;
    const item = this.#items[this.#head] as T;
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#tail) this.#reset();
    else if (this.#head >= 1024 && this.#head * 2 >= this.#tail) {
      this.#items = this.#items.slice(this.#head, this.#tail);
      this.#tail -= this.#head;
      this.#head = 0;
    }
    return item;
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const items = this.#items.slice(this.#head, this.#tail) as T[];
    this.#items.fill(undefined, this.#head, this.#tail);
    this.#reset();
    return items;
  }

  /** Empty again: the array is kept unless a burst made it large. */
  #reset(): void {
    if (this.#items.length > KEPT_CAPACITY) this.#items = [];
    this.#head = 0;
    this.#tail = 0;
  }
}

/** Largest array an empty queue keeps (slots). */
export const KEPT_CAPACITY = 64;
