/**
 * The service's own event-loop lag over a window, from its `tracking_event_loop_lag_seconds`
 * histogram (`infra/event_loop_lag.ts`: a timer due every 20 ms notes how late it ran). It tells
 * the service's stalls (long turns, garbage collections, a thread the machine did not run) apart
 * from the simulator's, which the ack latency mixes.
 */

/** The histogram's running totals in one scrape of one process. */
export interface LoopLagTotals {
  /** seconds late, summed over the samples */
  readonly sum: number;
  readonly count: number;
  /** samples more than 100 ms late */
  readonly over100ms: number;
  /** samples more than 250 ms late */
  readonly over250ms: number;
}

/** The lag over a window, summed over the service's processes. */
export interface LoopLag {
  /** the window, s */
  readonly seconds: number;
  /** seconds late summed over the samples ÷ the window, %: about the share of time stalled */
  readonly latePercent: number;
  /** samples more than 100 ms late (each one stall at least that long) */
  readonly stallsOver100ms: number;
  /** samples more than 250 ms late */
  readonly stallsOver250ms: number;
}

/** The histogram's totals in a Prometheus text page; undefined when the page has none. */
export function parseLoopLag(page: string): LoopLagTotals | undefined {
  const value = (series: string) => {
    const m = new RegExp(`^tracking_event_loop_lag_seconds${series} (\\S+)$`, "m").exec(page);
    return m ? Number(m[1]) : undefined;
  };
  const count = value("_count");
  if (count === undefined) return undefined;
  const bucket = (le: string) => count - (value(`_bucket\\{le="${le}"\\}`) ?? count);
  return { sum: value("_sum") ?? 0, count, over100ms: bucket("0.1"), over250ms: bucket("0.25") };
}

/**
 * The lag between two scrapes of the same processes, `seconds` apart (keys name a process; one
 * missing from either scrape is left out); undefined when none is in both.
 */
export function loopLagBetween(
  first: ReadonlyMap<string, LoopLagTotals>,
  last: ReadonlyMap<string, LoopLagTotals>,
  seconds: number,
): LoopLag | undefined {
  let sum = 0, over100ms = 0, over250ms = 0, seen = 0;
  for (const [key, a] of first) {
    const b = last.get(key);
    if (!b) continue;
    seen++;
    sum += b.sum - a.sum;
    over100ms += b.over100ms - a.over100ms;
    over250ms += b.over250ms - a.over250ms;
  }
  if (seen === 0 || seconds <= 0) return undefined;
  return {
    seconds: Math.round(seconds * 10) / 10,
    latePercent: Math.round((sum / seconds) * 1000) / 10,
    stallsOver100ms: over100ms,
    stallsOver250ms: over250ms,
  };
}

/** One line: `late 3.1% of 20 s, 4 stalls > 100 ms, 1 > 250 ms`. */
export function formatLoopLag(lag: LoopLag): string {
  return `late ${lag.latePercent}% of ${lag.seconds} s, ${lag.stallsOver100ms} stalls > 100 ms, ` +
    `${lag.stallsOver250ms} > 250 ms`;
}
