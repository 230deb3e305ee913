/**
 * The drivers the notifier found without an active order, so that their next fixes are judged
 * without asking PostgreSQL again: most drivers on the road carry no order the notifier could fire
 * for, and one query per batch for all of them was 93% of the database's transactions at 5,000
 * fixes a second (about 3 µs of PostgreSQL's CPU per fix; the service's own CPU per fix did not
 * change measurably: docs/performance.md, "The notifier's question").
 *
 * A driver is forgotten as soon as any order of theirs changes (every instance reads every order
 * change from order-events), and everything is forgotten every `maxAgeMs`, in case a change was
 * never published. An answer from PostgreSQL is only remembered if no order changed while it was
 * being asked (a change read meanwhile may not be in that answer), and only while `reading` says
 * the order-events tailer has its place in every partition: a change published before that place
 * is never read.
 */
export class OrderlessDrivers {
  #drivers = new Set<string>();
  /** Counts forgets and clears: an answer asked before the last one is not remembered. */
  #generation = 0;
  #clearedAt: number;
  #maxAgeMs: number;
  #now: () => number;
  #reading: () => boolean;

  /**
   * `now` in ms (default `Date.now`); `maxAgeMs`: how long anything is remembered (default 60 s);
   * `reading`: whether every order change from now on will be read (default: always).
   */
  constructor(
    options: { maxAgeMs?: number; now?: () => number; reading?: () => boolean } = {},
  ) {
    this.#maxAgeMs = options.maxAgeMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#reading = options.reading ?? (() => true);
    this.#clearedAt = this.#now();
  }

  /** Drivers remembered. */
  get size(): number {
    return this.#drivers.size;
  }

  /**
   * Call before asking PostgreSQL, and pass the result to {@linkcode remember} with the answer.
   * Forgets everything once `maxAgeMs` has passed since the last time it did. While order changes
   * are not being read, the mark lets nothing be remembered.
   */
  mark(): number {
    const now = this.#now();
    if (now - this.#clearedAt >= this.#maxAgeMs) {
      this.#drivers.clear();
      this.#generation++;
      this.#clearedAt = now;
    }
    return this.#reading() ? this.#generation : -1;
  }

  /** Whether `driverId` is known to have no active order. */
  has(driverId: string): boolean {
    return this.#drivers.has(driverId);
  }

  /**
   * `driverIds` had no active order in an answer asked after `mark`; kept unless an order changed
   * (or everything was forgotten) since.
   */
  remember(driverIds: Iterable<string>, mark: number): void {
    if (mark !== this.#generation) return;
    for (const id of driverIds) this.#drivers.add(id);
  }

  /** An order of `driverId` changed: ask PostgreSQL again for their next fix. */
  forget(driverId: string): void {
    this.#generation++;
    this.#drivers.delete(driverId);
  }
}
