/**
 * How long a fetch may wait on the broker for records to gather: the broker answers once it has
 * `minBytes` for the fetch, or after `maxWaitMs`, whichever comes first. With `minBytes: 1` a
 * reader fetches again as soon as anything arrives; at a few hundred fixes a second, each in a
 * produce request of its own, that is hundreds of fetches a second per reader, most of them for a
 * record or two. Waiting a little gathers them into one fetch.
 */
export interface FetchWait {
  /** Bytes the broker gathers before it answers. */
  readonly minBytes: number;
  /** Longest time the broker waits for them, ms. */
  readonly maxWaitMs: number;
}

/** The waits the service's readers use (docs/performance.md, "Fewer fetches"). */
export const FETCH_WAITS = {
  /**
   * Readers a tenth of a second does not hurt: the history writer and the judges (notifications,
   * zone events).
   */
  gathered: { minBytes: 16 * 1024, maxWaitMs: 100 },
  /** What viewers watch (the location tailer): at most 20 ms more between a fix and its viewers. */
  live: { minBytes: 16 * 1024, maxWaitMs: 20 },
  /** Small topics whose every record matters at once (orders, zone events): no gathering. */
  immediate: { minBytes: 1, maxWaitMs: 100 },
} as const satisfies Record<string, FetchWait>;

/** A wait as `@platformatic/kafka`'s fetch options (default: `FETCH_WAITS.immediate`). */
export function fetchWaitOptions(
  wait: FetchWait = FETCH_WAITS.immediate,
): { maxWaitTime: number; minBytes: number } {
  return { maxWaitTime: wait.maxWaitMs, minBytes: wait.minBytes };
}
