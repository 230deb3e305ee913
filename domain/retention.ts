/** What one retention round did; see {@linkcode Retention}. */
export interface RetentionReport {
  /** False when another instance held the retention lock, so this one did nothing. */
  readonly ran: boolean;
  /** Day partitions of the history created ahead. */
  readonly created: readonly string[];
  /** Day partitions of the history dropped past retention. */
  readonly dropped: readonly string[];
  /** Day partitions of the history after the round. */
  readonly partitions: number;
  /** Finished orders deleted past retention. */
  readonly ordersDeleted: number;
  /** Notifications of those orders deleted with them. */
  readonly notificationsDeleted: number;
  /** Dead letters deleted past their retention (`DEAD_LETTER_RETENTION_DAYS`). */
  readonly deadLettersDeleted: number;
}

/**
 * Storage upkeep: history partitions made ahead and dropped past retention, old orders and old
 * dead letters pruned.
 */
export interface Retention {
  /** Runs one round as of `now` (epoch ms); rejects when the database fails it. */
  run(now: number): Promise<RetentionReport>;
}
