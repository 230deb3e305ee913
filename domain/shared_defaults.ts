/**
 * The defaults that both `infra/config.ts` (for its environment variables) and the actors (for a
 * dependency left out, as unit tests do) need, written once. `infra/config.ts` is the table of
 * every setting and its default; it takes these from here, and the rule defaults from
 * `DEFAULT_FIX_RULES` (`fix_filter.ts`) and `THRESHOLD_DEFAULTS` (`threshold_tracker.ts`).
 */
export const SHARED_DEFAULTS = {
  /** `ACK_INTERVAL_MS`: least time between two acks to one driver, ms. */
  ackIntervalMs: 200,
  /** `DRIVER_IDLE_MS`: a driver actor without frames this long is passivated, ms (5 min). */
  driverIdleMs: 300_000,
  /** `HISTORY_FLUSH_ROWS`: the history writer flushes at this many buffered rows. */
  historyFlushRows: 1000,
  /** `HISTORY_FLUSH_MS`: ... or this long after the first buffered row, ms. */
  historyFlushMs: 1000,
  /** `HISTORY_RETENTION_DAYS`: days of history kept; the driver actor refuses older fixes. */
  historyRetentionDays: 30,
  /** `STALE_AFTER_MS`: a driver position with no newer fix for this long is stale, ms. */
  staleAfterMs: 30_000,
} as const;
