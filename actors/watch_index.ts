/**
 * Which orders this instance's viewers watch, and so which drivers and partitions matter here.
 * It is the private state of the live router (actors/live_router.ts), changed only by the watch
 * messages the router receives: the router asks it where a fix goes, and passes on to the live
 * tailer the partitions to read and the drivers whose fixes to decode.
 */
export class WatchIndex {
  #orders = new Map<string, { driverId: string | null; partitions: Set<number> }>();
  #byDriver = new Map<string, Set<string>>();
  #partitionRefs = new Map<number, number>();
  #onPartitions: (partitions: ReadonlySet<number>) => void;
  #onDriver: (driverId: string, watched: boolean) => void;

  /**
   * `onPartitions` is told the new set whenever the partitions in use change; `onDriver` is told
   * when a driver gets its first watching order (`true`) and when it loses its last (`false`).
   */
  constructor(
    onPartitions: (partitions: ReadonlySet<number>) => void = () => {},
    onDriver: (driverId: string, watched: boolean) => void = () => {},
  ) {
    this.#onPartitions = onPartitions;
    this.#onDriver = onDriver;
  }

  /** Sets (or replaces) what a watched order needs: its driver, and the partitions to read. */
  set(orderId: string, driverId: string | null, partitions: Iterable<number>): void {
    const removed = this.#drop(orderId);
    const entry = { driverId, partitions: new Set(partitions) };
    this.#orders.set(orderId, entry);
    if (driverId !== null) {
      const orders = this.#byDriver.get(driverId);
      if (orders) orders.add(orderId);
      else {
        this.#byDriver.set(driverId, new Set([orderId]));
        this.#onDriver(driverId, true);
      }
    }
    let added = false;
    for (const p of entry.partitions) {
      const refs = this.#partitionRefs.get(p) ?? 0;
      if (refs === 0) added = true;
      this.#partitionRefs.set(p, refs + 1);
    }
    if (added || removed) this.#notify();
  }

  /** Adds one partition to a watched order (its driver was seen in another region). */
  addPartition(orderId: string, partition: number): void {
    const entry = this.#orders.get(orderId);
    if (!entry || entry.partitions.has(partition)) return;
    this.set(orderId, entry.driverId, [...entry.partitions, partition]);
  }

  /** Forgets an order nobody here watches any more. */
  remove(orderId: string): void {
    if (this.#drop(orderId)) this.#notify();
  }

  /** Watched orders whose driver is `driverId`. */
  ordersOf(driverId: string): ReadonlySet<string> | undefined {
    return this.#byDriver.get(driverId);
  }

  /** Partitions some watched order needs. */
  partitions(): ReadonlySet<number> {
    return new Set(this.#partitionRefs.keys());
  }

  /** Removes an order's entry; true when a partition fell out of use. */
  #drop(orderId: string): boolean {
    const entry = this.#orders.get(orderId);
    if (!entry) return false;
    this.#orders.delete(orderId);
    if (entry.driverId !== null) {
      const orders = this.#byDriver.get(entry.driverId);
      orders?.delete(orderId);
      if (orders?.size === 0) {
        this.#byDriver.delete(entry.driverId);
        this.#onDriver(entry.driverId, false);
      }
    }
    let removed = false;
    for (const p of entry.partitions) {
      const refs = (this.#partitionRefs.get(p) ?? 1) - 1;
      if (refs === 0) {
        this.#partitionRefs.delete(p);
        removed = true;
      } else this.#partitionRefs.set(p, refs);
    }
    return removed;
  }

  #notify(): void {
    this.#onPartitions(this.partitions());
  }
}
