/** What a {@linkcode TimerHeap} orders: due time, then scheduling order; `index` is the heap's. */
export interface HeapTimer {
  readonly at: number;
  readonly seq: number;
  /** Position in the heap, -1 when not in it (kept by the heap). */
  index: number;
}

/**
 * A binary min-heap of timers, earliest `at` first and, at the same `at`, the one scheduled first.
 * Each timer knows its position, so a cancelled one leaves at once (`remove`, O(log n)) instead of
 * waiting in the heap until its time. Internal to the runtime (`PooledClock`, `VirtualClock`).
 */
export class TimerHeap<T extends HeapTimer> {
  #items: T[] = [];

  /** Timers in the heap. */
  get size(): number {
    return this.#items.length;
  }

  /** The earliest timer, left in the heap. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds a timer. */
  push(timer: T): void {
    timer.index = this.#items.length;
    this.#items.push(timer);
    this.#up(timer.index);
  }

  /** Takes the earliest timer out. */
  pop(): T | undefined {
    const first = this.#items[0];
    if (first !== undefined) this.remove(first);
    return first;
  }

  /** Takes `timer` out, wherever it is; a timer not in the heap is ignored. */
  remove(timer: T): void {
    const i = timer.index;
    if (i < 0 || this.#items[i] !== timer) return;
    const last = this.#items.pop()!;
    timer.index = -1;
    if (last === timer) return;
    this.#items[i] = last;
    last.index = i;
    this.#down(i);
    this.#up(last.index);
  }

  #up(i: number): void {
    const items = this.#items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!_before(items[i]!, items[parent]!)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const items = this.#items;
    for (;;) {
      const left = 2 * i + 1;
      let least = i;
      if (left < items.length && _before(items[left]!, items[least]!)) least = left;
      if (left + 1 < items.length && _before(items[left + 1]!, items[least]!)) least = left + 1;
      if (least === i) return;
      this.#swap(i, least);
      i = least;
    }
  }

  #swap(a: number, b: number): void {
    const items = this.#items;
    const x = items[a]!;
    const y = items[b]!;
    items[a] = y;
    items[b] = x;
    y.index = a;
    x.index = b;
  }
}

function _before(a: HeapTimer, b: HeapTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
