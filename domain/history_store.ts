import type { DeadLetter } from "./dead_letter.ts";
import type { LocationRecord } from "./location_record.ts";

/** A time range query on one driver's history. */
export interface HistoryQuery {
  /** Inclusive lower bound on `ts`, epoch ms. */
  from?: number;
  /** Inclusive upper bound on `ts`, epoch ms. */
  to?: number;
  /** Maximum rows to return, 1 to {@linkcode HISTORY_MAX_LIMIT}. */
  limit: number;
  /** Exclusive cursor: only rows with `ts` greater than this (the last `ts` of the previous page). */
  after?: number;
}

/** The largest `limit` {@linkcode HistoryStore.history} accepts. */
export const HISTORY_MAX_LIMIT = 10_000;

/**
 * The history storage the actors and routes use; implemented by `PostgresHistoryStore` in
 * `infra/postgres/`.
 */
export interface HistoryStore {
  /**
   * Stores rows; returns how many were new. Rows whose (driverId, ts) is already stored, or
   * repeated in `rows`, are skipped. Rejects with `RowRejectedError` (`row_rejected_error.ts`)
   * when a row holds what the table cannot or is of a day the history does not keep (nothing of
   * the batch is stored then), with another error when the database cannot be reached.
   */
  insertBatch(rows: readonly LocationRecord[]): Promise<number>;
  /**
   * Keeps records that cannot be stored; one already kept (same topic, partition, offset) is
   * skipped.
   */
  deadLetter(letters: readonly DeadLetter[]): Promise<void>;
  /** One driver's fixes ordered by ascending `ts`. */
  history(driverId: string, query: HistoryQuery): Promise<LocationRecord[]>;
  /** The driver's fix with the greatest `ts`, if any. */
  latest(driverId: string): Promise<LocationRecord | undefined>;
  /**
   * {@linkcode HistoryStore.latest} of many drivers in one round trip, by driver id; a driver
   * with no fix is not in the map.
   */
  latestOf(driverIds: readonly string[]): Promise<Map<string, LocationRecord>>;
  /** Resolves when the database answers; rejects otherwise. */
  ping(): Promise<void>;
}

/** The range of one driver's fixes a history cursor reads (`infra/postgres/history_cursor.ts`), epoch ms. */
export interface HistoryRange {
  /** Inclusive lower bound on `ts`. */
  readonly from?: number | undefined;
  /** Inclusive upper bound on `ts`. */
  readonly to?: number | undefined;
  /** Exclusive lower bound on `ts` (a page cursor). */
  readonly after?: number | undefined;
}
